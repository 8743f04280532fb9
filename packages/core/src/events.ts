type EventMap = Record<string, unknown>

export interface Events<E extends EventMap> {
  on<K extends keyof E>(type: K, handler: (payload: E[K]) => void): () => void
  off<K extends keyof E>(type: K, handler: (payload: E[K]) => void): void
}

/**
 * A typed event bus in mitt's shape (one map of event types to payloads), with an emit that
 * isolates handlers: a listener that throws must not stop the others nor the connection, and
 * must not vanish, so it is reported the way the runtime reports uncaught errors.
 */
export const createEvents = <E extends EventMap>() => {
  const all: { [K in keyof E]?: ((payload: E[K]) => void)[] } = {}
  const events: Events<E> = {
    on(type, handler) {
      ;(all[type] ??= []).push(handler)
      return () => events.off(type, handler)
    },
    off(type, handler) {
      all[type] = all[type]?.filter((h) => h !== handler)
    },
  }
  const emit = <K extends keyof E>(type: K, payload: E[K]) => {
    for (const handler of all[type] ?? []) {
      try {
        handler(payload)
      } catch (error) {
        ;(globalThis.reportError ?? console.error)(error)
      }
    }
  }
  return { events, emit }
}
