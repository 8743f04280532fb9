import mitt from 'mitt'
import type { ConnectionEvents } from './types'

type EventMap = Record<string, unknown>

export interface Events<E extends EventMap> {
  on<K extends keyof E>(type: K, handler: (payload: E[K]) => void): () => void
  off<K extends keyof E>(type: K, handler: (payload: E[K]) => void): void
}

/**
 * The connection's event bus: mitt holds the handlers (one typed map of event types to payloads).
 * Events are dispatched here, over mitt's handler map, rather than by mitt's emit, which stops
 * at the first handler that throws: a listener that throws must stop neither the others nor the
 * connection, and must not vanish, so it is reported the way the runtime reports uncaught errors.
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
    // A copy: a handler may call off() (or on()) while the event is dispatched.
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

/** Every event a connection emits, for code that passes them all on (the store, tabs). */
export const CONNECTION_EVENTS = [
  'state',
  'open',
  'message',
  'close',
  'redirect',
  'reconnecting',
  'error',
] as const satisfies readonly (keyof ConnectionEvents)[]
