import { CLOSE_TIMEOUT_MS } from './backoff'
import { unreachable } from './diagnosis'
import { FollowSocketError } from './errors'
import type { Get } from './discovery'
import type { DiscoverySettings } from './options'
import { checkHop } from './redirect-policy'
import type { Hop, WebSocketConstructor } from './types'
import { parseUrl, toHttp, toWs } from './url'

/**
 * What differs outside browsers (Node, Deno, Bun); browsers load runtime.browser.ts instead (the
 * "browser" condition of `#runtime` in package.json), so they do not carry any of it:
 * - how a preflight follows a redirect chain: these runtimes give real statuses with
 *   `redirect: 'manual'`, so the chain is walked hop by hop and every target is checked against
 *   the policy *before* it is requested;
 * - what a GET that throws means (no CORS here: the network failed);
 * - where the WebSocket comes from (Node 20 has none of its own), how a socket is ended now, and
 *   how long FollowWebSocket's close() waits for the server (connect() keeps its own deadline).
 */

const REDIRECT = [301, 302, 303, 307, 308]

/** Follows the chain from `start`: the final response, and the hops taken (statuses included). */
export const followChain = async (get: Get, start: URL, s: DiscoverySettings): Promise<[Response, Hop[]]> => {
  const seen: string[] = []
  const hops: Hop[] = []
  for (let at = start; ; ) {
    const response = await get(at, { redirect: 'manual' })
    const { status } = response
    const location = response.headers.get('location')
    if (!REDIRECT.includes(status) || location === null) return [response, hops]
    // A Location that is no URL at all becomes x:, which the policy refuses like any non-web
    // target; a relative one resolves against its hop.
    const to = parseUrl(location, at) ?? new URL('x:')
    seen.push(at.href)
    checkHop(at, to, seen, hops.length + 1, s)
    hops.push({ from: toWs(at), to: toWs(to), status })
    at = new URL(toHttp(to))
  }
}

/**
 * Why a GET of `at` threw. No CORS outside browsers: a GET that fails here failed at the network,
 * which this attempt's own error says (a verdict known from an earlier attempt is not needed).
 */
export const unanswered = async (_request: Get, at: URL, url: string, cause: unknown, _known?: FollowSocketError) =>
  unreachable(url, at, cause)

/** The WebSocket to use: the one given, else the runtime's; Node 20 has none. */
export const webSocketClass = (given?: WebSocketConstructor): WebSocketConstructor => {
  const WS = given ?? globalThis.WebSocket
  if (!WS) throw new FollowSocketError('INVALID_OPTIONS', 'No WebSocket here: pass options.WebSocket (`ws` in Node 20)')
  return WS
}

/** Ends a socket now: `ws` can drop the TCP connection at once (terminate), where close() waits for the server. */
export const endSocket = (ws: WebSocket): void =>
  ((ws as WebSocket & { terminate?(): void }).terminate ?? ws.close).call(ws)

/**
 * Closes a socket, and ends it if the server does not finish the closing handshake in time (a
 * silent or half-open peer), so close() is prompt and the process can exit: `ws` would wait 30 s.
 */
export const closeSocket = (ws: WebSocket, code?: number, reason?: string): void => {
  ws.close(code, reason)
  const node = ws as WebSocket & { once?(type: 'close', listener: () => void): void }
  if (!node.once) return
  const timer = setTimeout(() => endSocket(ws), CLOSE_TIMEOUT_MS)
  node.once('close', () => clearTimeout(timer))
}
