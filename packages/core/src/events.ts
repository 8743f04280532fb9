import mitt from 'mitt'

type EventMap = Record<string, unknown>

export interface Events<E extends EventMap> {
  on<K extends keyof E>(type: K, handler: (payload: E[K]) => void): () => void
  off<K extends keyof E>(type: K, handler: (payload: E[K]) => void): void
}

/**
 * mitt's handler registry, with an emit that isolates handlers: a listener that throws must not
 * stop the others nor the connection, and must not vanish, so it is reported the way the
 * runtime reports uncaught errors.
 */
export const createEvents = <E extends EventMap>() => {
  const bus = mitt<E>()
  const events: Events<E> = {
    on(type, handler) {
      bus.on(type, handler)
      return () => bus.off(type, handler)
    },
    off: bus.off,
  }
  const emit = <K extends keyof E>(type: K, payload: E[K]) => {
    for (const handler of bus.all.get(type)?.slice() ?? []) {
      try {
        ;(handler as (payload: E[K]) => void)(payload)
      } catch (error) {
        ;(globalThis.reportError ?? console.error)(error)
      }
    }
  }
  return { events, emit }
}
