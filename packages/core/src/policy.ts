import { FollowSocketError } from './errors'
import { isSecure, isWebUrl, parseUrl, toHttp, toWs } from './url'

export interface RedirectPolicy {
  maxRedirects: number
  allowInsecure: boolean
  /** Compiled from `allowedOrigins`; absent = any origin. */
  origins?: RegExp[]
}

/**
 * Compiles allowedOrigins entries (`https://*.example.com`, `wss://live.example.com:8443`) into
 * patterns over http(s) origins, because ws:/wss: and http:/https: forms are equivalent.
 * Returns undefined for an entry that is not an origin.
 */
export const compileOrigin = (entry: string): RegExp | undefined => {
  const url = parseUrl(entry.replace(/\*/g, 'wildcard--'), 'x:/')
  if (!url || !isWebUrl(url) || url.pathname.length > 1 || url.search || url.username) return undefined
  const origin = new URL(toHttp(url)).origin
  const source = origin.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/wildcard--/g, '[^/:]+')
  return new RegExp(`^${source}$`)
}

/**
 * Checks one redirect step `from` → `to` before it is requested. `seen` holds every URL of the
 * chain so far (http form); `hop` is this step's number. Throws the FollowSocketError that
 * ends discovery: policy refusals are final because retrying would meet the same redirect.
 */
export const checkHop = (from: URL, to: URL, seen: Set<string>, hop: number, policy: RedirectPolicy): void => {
  const where = `Redirect from ${toWs(from)} to ${to.href}`
  const refuse = (code: ConstructorParameters<typeof FollowSocketError>[0], why: string) => {
    throw new FollowSocketError(code, `${where} refused: ${why}`, to.href)
  }
  if (!isWebUrl(to)) refuse('REDIRECT_NOT_ALLOWED', `${to.protocol} is not a web scheme`)
  if (to.username || to.password) refuse('REDIRECT_NOT_ALLOWED', 'the target carries user-info')
  if (isSecure(from) && !isSecure(to) && !policy.allowInsecure) refuse('INSECURE_REDIRECT', 'it leaves a secure scheme')
  const http = toHttp(to)
  if (policy.origins && !policy.origins.some((re) => re.test(new URL(http).origin)))
    refuse('REDIRECT_NOT_ALLOWED', 'its origin is not in allowedOrigins')
  if (seen.has(http)) refuse('REDIRECT_LOOP', 'this URL was already visited')
  if (hop > policy.maxRedirects) refuse('TOO_MANY_REDIRECTS', `more than ${policy.maxRedirects} hops`)
}
