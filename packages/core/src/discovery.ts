import { FollowSocketError } from './errors'
import { dropCache, readCache, writeCache } from './cache'
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

/** Cached resolution for `url` (ws form), if fresh. */
export const cached = (url: string, s: DiscoverySettings): Resolution | undefined => {
  const entry = s.cache ? readCache(s.cache, url) : undefined
  return entry && { url: entry.url, redirected: true, hops: entry.hops, via: 'cache' }
}

export const remember = (from: string, to: string, hops: Hop[], s: DiscoverySettings): void => {
  if (s.cache) writeCache(s.cache, from, to, hops, s.cacheTtlMs)
}

export const forget = (url: string, s: DiscoverySettings): void => {
  if (s.cache) dropCache(s.cache, url)
}

/**
 * Preflights `url` (ws form) with a plain GET of its http(s) twin (a simple CORS request: no
 * custom headers, so no OPTIONS round trip) and returns where it ends. Redirects are cached.
 * Throws DISCOVERY_BLOCKED / DISCOVERY_TIMEOUT, or the policy's error for a refused hop.
 */
export const preflight = async (url: string, s: DiscoverySettings, signal?: AbortSignal): Promise<Resolution> => {
  const doFetch = s.fetch ?? globalThis.fetch
  const timeout = new AbortController()
  const timer = setTimeout(() => timeout.abort(), s.preflight.timeoutMs)
  const abort = () => timeout.abort()
  signal?.addEventListener('abort', abort)
  const start = new URL(toHttp(new URL(url)))
  const seen = new Set([start.href])
  const hops: Hop[] = []
  const manual = seesHops()
  let at = start
  try {
    for (;;) {
      let response: Response
      try {
        response = await doFetch(at.href, {
          redirect: manual ? 'manual' : 'follow',
          cache: 'no-store',
          credentials: s.preflight.credentials,
          signal: timeout.signal,
        })
      } catch (cause) {
        if (signal?.aborted) throw cause
        throw timeout.signal.aborted
          ? new FollowSocketError('DISCOVERY_TIMEOUT', `Preflight GET ${at.href} timed out after ${s.preflight.timeoutMs} ms`, url, cause)
          : new FollowSocketError('DISCOVERY_BLOCKED', `Preflight GET ${at.href} failed`, url, cause)
      }
      // Only the status line matters; release the connection.
      response.body?.cancel().catch(() => {})
      const location = response.headers.get('location')
      if (manual && REDIRECT.includes(response.status) && location !== null) {
        const to = parseUrl(location, at) ?? new URL('invalid:')
        checkHop(at, to, seen, hops.length + 1, s.policy)
        hops.push({ from: toWs(at), to: toWs(to), status: response.status })
        at = new URL(toHttp(to))
        seen.add(at.href)
        continue
      }
      if (!manual && response.redirected) {
        // The browser followed the chain itself; check the one step it lets us see.
        const to = new URL(response.url)
        checkHop(start, to, seen, 1, s.policy)
        hops.push({ from: url, to: toWs(to) })
      }
      break
    }
  } finally {
    clearTimeout(timer)
    signal?.removeEventListener('abort', abort)
  }
  const final = hops.length ? hops[hops.length - 1]!.to : url
  if (hops.length) remember(url, final, hops, s)
  return { url: final, redirected: hops.length > 0, hops, via: 'preflight' }
}
