import * as z from 'zod'
import { parseTarget, settle } from './config'

/** What moveClients needs of a server-side socket; a `ws` WebSocket is one. */
export interface MovableClient {
  readonly readyState: number
  close(code?: number, reason?: string): void
}

export interface MoveOptions {
  /** Spread the closes uniformly over this many milliseconds. Default 0: all at once. */
  spreadMs?: number
  /** The close code. Default 4308: "moved, the reason is the new URL". */
  code?: number
}

// RFC 6455 §7.4.2 private-use code: "this endpoint moved; the close reason is the new URL".
export const MOVED = 4308
// RFC 6455 §5.5: a control frame's payload is at most 125 bytes, 2 of them the close code.
export const MAX_REASON_BYTES = 123
const OPEN = 1

export const spreadMsField = z
  .number({ error: 'must be a number of milliseconds' })
  .min(0, 'must be >= 0')
  .max(2 ** 31 - 1, 'must be below 2^31 ms')
  .default(0)

/** A close code an endpoint may send (RFC 6455 §7.4, as `ws` checks them); `keep` names the usual one. */
export const closeCodeField = (keep: number) =>
  z
    .number()
    .int()
    .refine((c) => (c >= 1000 && c <= 1014 && ![1004, 1005, 1006].includes(c)) || (c >= 3000 && c <= 4999), {
      error: (issue) => `${String(issue.input)} is not a close code an endpoint may send: keep ${keep}`,
    })
    .default(keep)

const options = z.strictObject(
  { spreadMs: spreadMsField, code: closeCodeField(MOVED) },
  { error: 'must be an object: { spreadMs?, code? }' },
)

/**
 * The close reason that carries `url`: its href, or '' when that exceeds the 123 bytes a close
 * reason may hold. An empty 4308 still tells followsocket clients to move: they rediscover
 * the endpoint with a preflight of the URL they asked for, so its redirect must be in place.
 */
export const moveReason = (url: URL): string =>
  new TextEncoder().encode(url.href).length > MAX_REASON_BYTES ? '' : url.href

/** When (ms after the start) the i-th of `count` clients is closed: evenly over [0, spreadMs). */
export const closeAt = (i: number, count: number, spreadMs: number): number => (count ? (i * spreadMs) / count : 0)

/**
 * Calls `close` for every client still open when its turn comes, the turns spread uniformly over
 * `spreadMs`; resolves with how many were closed, once the last turn came. Shared by moving
 * and draining.
 */
export async function closeSpread<C extends MovableClient>(
  clients: Iterable<C>,
  spreadMs: number,
  close: (client: C) => void,
): Promise<number> {
  // A snapshot: a server's client set shrinks as the closed clients go.
  const all = [...clients]
  const start = performance.now()
  let closed = 0
  let next = 0
  await new Promise<void>((done) => {
    // One timer at a time, however many clients: each tick closes every client whose turn has
    // come, so a late timer (a busy event loop) catches up instead of drifting past spreadMs.
    const tick = () => {
      const elapsed = performance.now() - start
      for (; next < all.length && closeAt(next, all.length, spreadMs) <= elapsed; next++) {
        const client = all[next]!
        if (client.readyState !== OPEN) continue
        close(client)
        closed++
      }
      if (next < all.length) setTimeout(tick, closeAt(next, all.length, spreadMs) - elapsed)
      else done()
    }
    tick()
  })
  return closed
}

/**
 * Moves open clients to `url`: closes each with 4308 and the URL as the reason (followsocket
 * reconnects there at once), spread uniformly over `spreadMs` so that thousands of clients do
 * not reconnect in the same millisecond. Clients no longer open when their turn comes are
 * skipped. Resolves with how many were sent their close frame, once all were.
 * Rejects with a FollowSocketConfigError naming the argument when `url` or an option is wrong.
 */
export async function moveClients(
  clients: Iterable<MovableClient>,
  url: string | URL,
  move: MoveOptions = {},
): Promise<{ moved: number }> {
  const target = parseTarget('url', url)
  const { spreadMs, code } = settle(options, move)
  const reason = moveReason(target)
  const moved = await closeSpread(clients, spreadMs, (client) => client.close(code, reason))
  return { moved }
}
