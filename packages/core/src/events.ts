import mitt, { type Handler } from 'mitt'

type EventMap = Record<string, unknown>

export interface Events<E extends EventMap> {
  on<K extends keyof E>(type: K, handler: (payload: E[K]) => void): () => void
  off<K extends keyof E>(type: K, handler: (payload: E[K]) => void): void
}

// A listener that throws must not stop the others nor the connection, and must not vanish:
// it is reported the way the runtime reports uncaught errors.
const report = (error: unknown) => {
  ;(globalThis.reportError ?? console.error)(error)
}

/** mitt, with every handler isolated so one throwing listener cannot break delivery. */
export const createEvents = <E extends EventMap>() => {
  const bus = mitt<E>()
  const wrapped = new Map<keyof E, Map<Function, Handler<any>>>()
  const events: Events<E> = {
    on(type, handler) {
      const safe: Handler<any> = (payload) => {
        try {
          handler(payload)
        } catch (error) {
          report(error)
        }
      }
      const byType = wrapped.get(type) ?? new Map()
      wrapped.set(type, byType)
      // Registering the same handler twice replaces it, so off() always finds it.
      events.off(type, handler)
      byType.set(handler, safe)
      bus.on(type, safe)
      return () => events.off(type, handler)
    },
    off(type, handler) {
      const safe = wrapped.get(type)?.get(handler)
      if (safe) bus.off(type, safe)
      wrapped.get(type)?.delete(handler)
    },
  }
  return { events, emit: bus.emit }
}
