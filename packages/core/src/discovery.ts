import { timerDelay } from './backoff'
import { FollowSocketError } from './errors'
import { cached, remember } from './cache'
import { refusal } from './diagnosis'
import { followChain } from '#hops'
import { toHttp } from './url'
import type { DiscoverySettings } from './options'
import type { RedirectInfo, Resolution } from './types'

/** The preflight's GET of `at`, following redirects itself or not (`redirect` mode). */
export type Get = (at: URL, redirect: RequestRedirect) => Promise<Response>

/**
 * Where an attempt opens its socket: a preflight's result (with what a failed handshake where it
 * ended would mean, SPEC §9), a remembered location, or where a close frame moved the endpoint.
 */
export interface Found extends Omit<Resolution, 'via'> {
  via: RedirectInfo['via']
  refusal?: FollowSocketError
}

/**
 * Preflights `url` (ws form) with a plain GET of its http(s) twin (a simple CORS request: no
 * custom headers, so no OPTIONS round trip) and returns where it ends; how the chain is
 * followed depends on the runtime (see #hops). Redirects are cached.
 * Throws DISCOVERY_BLOCKED (in Node: HANDSHAKE_FAILED, see hops.ts) / DISCOVERY_TIMEOUT, or the
 * policy's error for a refused hop.
 */
export const preflight = async (url: string, s: DiscoverySettings): Promise<Resolution & { refusal: FollowSocketError }> => {
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
  const [response, hops] = await followChain(get, new URL(toHttp(new URL(url))), s)
  const final = hops.at(-1)?.to ?? url
  if (hops[0]) remember(s, url, final, hops)
  return { url: final, redirected: !!hops[0], hops, via: 'preflight', status: response.status, refusal: refusal(final, response) }
}

/**
 * Where `url` leads for this attempt: a preflight when `discover`, else the cache (undefined
 * when it has nothing). `failed`: the direct handshake already failed, so a preflight that
 * finds no redirect throws what the endpoint's answer says about that failure.
 */
export const locate = async (url: string, s: DiscoverySettings, discover: boolean, failed?: boolean): Promise<Found | undefined> => {
  const found: Found | undefined = discover ? await preflight(url, s) : cached(s, url)
  if (failed && !found?.redirected) throw found!.refusal
  return found
}
