import * as z from 'zod'
import { settle } from './config'
import { closeCodeField, closeSpread, spreadMsField, type MovableClient } from './move'

/** What drainClients needs of a server-side socket: a `ws` WebSocket is one. */
export interface DrainableClient extends MovableClient {
  once(event: 'close', listener: () => void): unknown
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
    closed.push(new Promise((done) => client.once('close', () => done())))
    client.close(code)
  })
  await Promise.all(closed)
  return { drained }
}
