import type { Get } from './discovery'
import type { DiscoverySettings } from './options'
import { checkHop } from './policy'
import type { Hop } from './types'
import { toWs } from './url'

/**
 * How a preflight follows a redirect chain in a browser (the "browser" condition of `#hops` in
 * package.json; other runtimes load hops.ts). Browsers hide redirect statuses from fetch
 * ('manual' gives an opaque response with status 0), so one request follows the whole chain and
 * reports only where it ended, which is checked as one step from the start.
 */
export const followChain = async (get: Get, start: URL, s: DiscoverySettings): Promise<[Response, Hop[]]> => {
  const response = await get(start, 'follow')
  if (!response.redirected) return [response, []]
  const to = new URL(response.url)
  checkHop(start, to, [], 1, s)
  return [response, [{ from: toWs(start), to: toWs(to) }]]
}
