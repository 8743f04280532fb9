import { hidden, nowhere, refusal, unreachable } from './diagnosis'
import type { Get } from './discovery'
import type { FollowSocketError } from './errors'
import type { DiscoverySettings } from './options'
import { checkHop } from './redirect-policy'
import type { Hop, WebSocketConstructor } from './types'
import { toWs } from './url'

/**
 * What differs in browsers (the "browser" condition of `#runtime` in package.json; other runtimes
 * load runtime.ts). Browsers hide redirect statuses from fetch ('manual' gives an opaque response
 * with status 0), so one request follows the whole chain and reports only where it ended, which
 * is checked as one step from the start. A GET that throws is probed (below). Every browser has
 * a WebSocket, and its close() is all there is to end one.
 */

export const followChain = async (get: Get, start: URL, s: DiscoverySettings): Promise<[Response, Hop[]]> => {
  const response = await get(start, { redirect: 'follow' })
  if (!response.redirected) return [response, []]
  const to = new URL(response.url)
  checkHop(start, to, [start.href], 1, s)
  return [response, [{ from: toWs(start), to: toWs(to) }]]
}

/**
 * Why a GET of `at` threw. A browser's fetch throws the same TypeError for a server that is down,
 * an answer CORS hides and a redirect chain it gave up on (a loop, over 20 hops); requests in
 * 'no-cors' mode tell them apart (docs/diagnosis.md). They run only on this failure path, and only
 * once a failure streak: `known` is what they found on its first attempt.
 */
export const unanswered = async (
  request: Get,
  at: URL,
  url: string,
  cause: unknown,
  known?: FollowSocketError,
): Promise<FollowSocketError> => {
  if (known) return known
  // A 'no-cors' request resolves (opaquely) when something answers and rejects when nothing does.
  const answer = (redirect: RequestRedirect) => request(at, { mode: 'no-cors', redirect }).catch(() => undefined)
  // Same-origin, CORS hides nothing, and 'manual' counts a redirect as an answer (an
  // opaqueredirect). Cross-origin, the Fetch standard refuses 'manual' in 'no-cors' mode.
  if (at.origin === globalThis.location?.origin) {
    const first = await answer('manual')
    if (!first) return unreachable(url, at, cause)
    if (first.type !== 'opaqueredirect') return refusal(url, first)
  }
  // A cross-origin GET, or a first hop that redirects: following the chain tells a hop that left
  // the origin without CORS (it answers) from a chain that ends nowhere.
  return (await answer('follow')) ? hidden(url, at, cause) : nowhere(url, at, cause)
}

export const webSocketClass = (given?: WebSocketConstructor): WebSocketConstructor => given ?? WebSocket

export const endSocket = (ws: WebSocket): void => ws.close()

// A browser gives no way to end a socket whose server never finishes the closing handshake:
// FollowWebSocket closes as the browser's own WebSocket does.
export const closeSocket = (ws: WebSocket, code?: number, reason?: string): void => ws.close(code, reason)
