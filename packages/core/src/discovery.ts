import { timerDelay } from './backoff'
import { FollowSocketError } from './errors'
import { cached, remember } from './cache'
import { followChain } from '#hops'
import { toHttp } from './url'
import type { DiscoverySettings } from './options'
import type { Resolution } from './types'

/** The preflight's GET of `at`, following redirects itself or not (`redirect` mode). */
export type Get = (at: URL, redirect: RequestRedirect) => Promise<Response>

/**
 * Preflights `url` (ws form) with a plain GET of its http(s) twin (a simple CORS request: no
 * custom headers, so no OPTIONS round trip) and returns where it ends; how the chain is
 * followed depends on the runtime (see #hops). Redirects are cached.
 * Throws DISCOVERY_BLOCKED / DISCOVERY_TIMEOUT, or the policy's error for a refused hop.
 */
export const preflight = async (url: string, s: DiscoverySettings): Promise<Resolution> => {
  const deadline = AbortSignal.timeout(timerDelay(s.preflight.timeoutMs))
  const get: Get = async (at, redirect) => {
    try {
      const response = await (s.fetch ?? fetch)(at.href, { redirect, cache: 'no-store', credentials: s.preflight.credentials, signal: deadline })
      // Only the status line matters; release the connection.
      response.body?.cancel().catch(() => {})
      return response
    } catch (cause) {
      throw deadline.aborted
        ? new FollowSocketError('DISCOVERY_TIMEOUT', `GET ${at.href} timed out: is it up? Or raise preflight.timeoutMs`, url, cause)
        : new FollowSocketError('DISCOVERY_BLOCKED', `GET ${at.href} failed: is it up? It must redirect the GET too, with Access-Control-Allow-Origin on every hop`, url, cause)
    }
  }
  const [, hops] = await followChain(get, new URL(toHttp(new URL(url))), s)
  const final = hops.at(-1)?.to ?? url
  if (hops[0]) remember(s, url, final, hops)
  return { url: final, redirected: !!hops[0], hops, via: 'preflight' }
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
