// Clients for the tests: the real `ws` client, and the followsocket core client running on it.
import WebSocket from 'ws'
import type { Connection, ConnectionEvents, WebSocketConstructor } from 'followsocket'

/** Node 20 has no global WebSocket: the core client gets `ws`'s. */
export const NodeWebSocket = WebSocket as unknown as WebSocketConstructor

/** Resolves with the next `type` event of `connection`. */
export const next = <K extends keyof ConnectionEvents>(connection: Connection, type: K): Promise<ConnectionEvents[K]> =>
  new Promise((done) => {
    const off = connection.on(type, (payload) => {
      off()
      done(payload)
    })
  })

/** A raw `ws` client, resolved once open. */
export const openClient = (url: string): Promise<WebSocket> =>
  new Promise((done, fail) => {
    const client = new WebSocket(url)
    client.once('open', () => done(client))
    client.once('error', fail)
  })

/** Resolves with the close `client` receives: code, reason, and when (performance.now()). */
export const closeOf = (client: WebSocket): Promise<{ code: number; reason: string; at: number }> =>
  new Promise((done) =>
    client.once('close', (code, reason) => done({ code, reason: reason.toString(), at: performance.now() })),
  )
