import { unreachable } from './diagnosis'
import type { Get } from './discovery'
import type { FollowSocketError } from './errors'
import type { DiscoverySettings } from './options'
import { checkHop } from './policy'
import type { Hop } from './types'
import { parseUrl, toHttp, toWs } from './url'

/**
 * How a preflight follows a redirect chain where the runtime shows each hop: Node, Deno and Bun
 * give real statuses with `redirect: 'manual'`, so the chain is walked hop by hop and every
 * target is checked against the policy *before* it is requested. Browsers load hops.browser.ts
 * instead (the "browser" condition of `#hops` in package.json), so they do not carry this walk.
 */

const REDIRECT = [301, 302, 303, 307, 308]

/** Follows the chain from `start`: the final response, and the hops taken (statuses included). */
export const followChain = async (get: Get, start: URL, s: DiscoverySettings): Promise<[Response, Hop[]]> => {
  const seen: string[] = []
  const hops: Hop[] = []
  for (let at = start; ; ) {
    // No CORS outside browsers: a GET that failed here failed at the network.
    const response = await get(at, 'manual').catch((error: FollowSocketError) => {
      throw error.code == 'DISCOVERY_BLOCKED' ? unreachable(at, error) : error
    })
    const { status } = response
    const location = response.headers.get('location')
    if (!REDIRECT.includes(status) || location === null) return [response, hops]
    // A Location that is no URL at all becomes x:, which the policy refuses like any non-web
    // target; a relative one resolves against its hop.
    const to = parseUrl(location, at) ?? new URL('x:')
    checkHop(at, to, seen, hops.length + 1, s)
    hops.push({ from: toWs(at), to: toWs(to), status })
    seen.push(at.href)
    at = new URL(toHttp(to))
  }
}
