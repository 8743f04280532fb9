import * as z from 'zod'
import { settle } from './config'
import { closeCodeField, closeSpread, spreadMsField, type MovableClient } from './move'

/**
 * What drainClients needs of a server-side socket: a way to learn that its closing handshake is
 * done. A `ws` WebSocket says so with `once('close')`, a WHATWG WebSocket (Deno.upgradeWebSocket's
 * socket) with its `close` event; Bun's ServerWebSocket has neither, and needs none: its close()
 * runs the server's close handler and leaves it CLOSED before returning.
 */
export interface DrainableClient extends MovableClient {
  once?(event: 'close', listener: () => void): unknown
  addEventListener?(type: 'close', listener: () => void, options: { once: true }): void
}

export interface DrainOptions {
  /** Spread the closes uniformly over this many milliseconds. Default 0: all at once. */
  spreadMs?: number
  /** The close code. Default 1012 (Service Restart). */
  code?: number
}

// RFC 6455 §7.4 (IANA registry): 1012 Service Restart, "the client may reconnect". followsocket
// reconnects to the URL it asked for after its first back-off wait (0–500 ms with the defaults),
// without a preflight, so a load balancer in front sends it to another backend. A 4308 to that
// same URL would not do: it is followed at once, with no back-off to spread the clients
// (docs/moves.md#draining-a-backend).
export const SERVICE_RESTART = 1012

const options = z.strictObject(
  { spreadMs: spreadMsField, code: closeCodeField(SERVICE_RESTART) },
  { error: 'must be an object: { spreadMs?, code? }' },
)

/**
 * Hands this server's open clients to the rest of a fleet before it stops: closes each with
 * 1012 spread uniformly over `spreadMs`, so the other backends see a steady trickle of new
 * connections instead of a wall. Resolves `{ drained }` once every closed client has finished
 * its closing handshake, so whatever a client sent before its close frame has been received:
 * then the process may exit. Stop accepting connections first (the load balancer's drain, the
 * server's close()), or the clients may come back here.
 * Rejects with a FollowSocketConfigError naming the option when one is wrong.
 */
export async function drainClients(
  clients: Iterable<DrainableClient>,
  drain: DrainOptions = {},
): Promise<{ drained: number }> {
  const { spreadMs, code } = settle(options, drain)
  const closed: Promise<void>[] = []
  const drained = await closeSpread(clients, spreadMs, (client) => {
    closed.push(
      new Promise((done) => {
        if (client.once) client.once('close', () => done())
        else if (client.addEventListener) client.addEventListener('close', () => done(), { once: true })
        client.close(code)
        // A socket with no close event to wait for counts as closed when close() returns.
        if (!client.once && !client.addEventListener) done()
      }),
    )
  })
  await Promise.all(closed)
  return { drained }
}
