import { timerDelay } from './backoff'
import { FollowSocketError } from './errors'
import { cached, remember } from './cache'
import { checkHop } from './policy'
import { parseUrl, toHttp, toWs } from './url'
import type { DiscoverySettings } from './options'
import type { Hop, Resolution } from './types'

const REDIRECT = [301, 302, 303, 307, 308]

// Browsers hide redirect statuses from fetch ('manual' gives an opaque response with status 0),
// so there a single 'follow' request reports only where it ended. Node, Deno and Bun expose
// each hop, so there the chain is walked hop by hop and every target is checked before it is
// requested. Browser user agents are the ones that start with "Mozilla/".
const seesHops = (): boolean => !/^Mozilla\//.test(globalThis.navigator?.userAgent ?? '')

/**
 * Preflights `url` (ws form) with a plain GET of its http(s) twin (a simple CORS request: no
 * custom headers, so no OPTIONS round trip) and returns where it ends. Redirects are cached.
 * Throws DISCOVERY_BLOCKED / DISCOVERY_TIMEOUT, or the policy's error for a refused hop.
 */
export const preflight = async (url: string, s: DiscoverySettings): Promise<Resolution> => {
  const start = new URL(toHttp(new URL(url)))
  const seen: string[] = []
  const hops: Hop[] = []
  const manual = seesHops()
  const deadline = AbortSignal.timeout(timerDelay(s.preflight.timeoutMs))
  let at = start
  for (;;) {
    let response: Response
    try {
      response = await (s.fetch ?? fetch)(at.href, {
        redirect: manual ? 'manual' : 'follow',
        cache: 'no-store',
        credentials: s.preflight.credentials,
        signal: deadline,
      })
    } catch (cause) {
      throw deadline.aborted
        ? new FollowSocketError('DISCOVERY_TIMEOUT', `GET ${at.href} timed out: is it up? Or raise preflight.timeoutMs`, url, cause)
        : new FollowSocketError('DISCOVERY_BLOCKED', `GET ${at.href} failed: is it up? It must redirect the GET too, with Access-Control-Allow-Origin on every hop`, url, cause)
    }
    // Only the status line matters; release the connection.
    response.body?.cancel().catch(() => {})
    const location = response.headers.get('location')
    if (manual && REDIRECT.includes(response.status) && location !== null) {
      // A Location that is no URL at all becomes x:, which the policy refuses like any non-web target.
      const to = parseUrl(location, at) ?? new URL('x:')
      checkHop(at, to, seen, hops.length + 1, s)
      hops.push({ from: toWs(at), to: toWs(to), status: response.status })
      seen.push(at.href)
      at = new URL(toHttp(to))
    } else {
      if (!manual && response.redirected) {
        // The browser followed the chain itself; check the one step it lets us see.
        const to = new URL(response.url)
        checkHop(start, to, seen, 1, s)
        hops.push({ from: url, to: toWs(to) })
      }
      const final = hops.at(-1)?.to ?? url
      if (hops[0]) remember(s, url, final, hops)
      return { url: final, redirected: !!hops[0], hops, via: 'preflight' }
    }
  }
}

/**
 * Where `url` leads for this attempt: a preflight when `discover`, else the cache; undefined
 * for "open `url` itself". `failure`: the direct handshake already failed, so a preflight that
 * finds no redirect rethrows it ("no redirect → the original failure stands").
 */
export const locate = async (url: string, s: DiscoverySettings, discover: boolean, failure?: FollowSocketError): Promise<Resolution | undefined> => {
  const found = discover ? await preflight(url, s) : cached(s, url)
  if (failure && !found?.redirected) throw failure
  return found?.redirected ? found : undefined
}
