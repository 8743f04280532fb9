import { cached } from './redirect-cache'
import { preflight, type Found } from './discovery'
import { discoverySettings } from './options'
import type { Resolution, ResolveOptions } from './types'
import { normaliseUrl } from './url'

/**
 * Discovery alone: where `url` leads now, from the cache or a preflight. Rejects with a
 * FollowSocketError on bad input, a refused redirect or a failed preflight.
 */
export const resolve = async (url: string | URL, options?: ResolveOptions): Promise<Resolution> => {
  const s = discoverySettings(options)
  const ws = normaliseUrl(url)
  const { answer, ...found }: Found & Pick<Resolution, 'via'> = cached(s, ws) ?? (await preflight(ws, s))
  // A remembered location has no status: the cache keeps where the endpoint is, not what it answered.
  return { ...found, redirected: found.hops.length > 0, ...(answer && { status: answer.status }) }
}
