import WebSocket from 'ws'
import type { Connection, ConnectionEvents, WebSocketConstructor } from '../src'

/** Node's WebSocket for connect(): the real `ws` client. */
export const NodeWebSocket = WebSocket as unknown as WebSocketConstructor

/** Resolves with the next `type` event whose payload passes `test`. */
export const next = <T, K extends keyof ConnectionEvents<T>>(
  connection: Connection<T>,
  type: K,
  test: (payload: ConnectionEvents<T>[K]) => boolean = () => true,
): Promise<ConnectionEvents<T>[K]> =>
  new Promise((done) => {
    const off = connection.on(type, (payload) => {
      if (!test(payload)) return
      off()
      done(payload)
    })
  })

/** Records every event of a connection, in order, as [type, payload] pairs. */
export const record = <T>(connection: Connection<T>) => {
  const seen: [keyof ConnectionEvents<T>, unknown][] = []
  for (const type of ['state', 'open', 'message', 'close', 'redirect', 'reconnecting', 'error'] as const)
    connection.on(type, (payload) => seen.push([type, payload]))
  return {
    all: seen,
    of: <K extends keyof ConnectionEvents<T>>(type: K) =>
      seen.filter(([t]) => t === type).map(([, p]) => p as ConnectionEvents<T>[K]),
  }
}
