import { FollowSocketError, type ErrorCode } from './errors'
import type { DiscoverySettings } from './options'
import { isSecure, isWebUrl, parseUrl, toHttp, toWs } from './url'

export type RedirectPolicy = Pick<DiscoverySettings, 'maxRedirects' | 'allowInsecure' | 'allowedOrigins'>

/**
 * Compiles an allowedOrigins entry (`https://*.example.com`, `wss://live.example.com:8443`) into
 * a pattern over http(s) origins, since ws:/wss: and http:/https: forms are equivalent; `*`
 * stands for one or more host labels. Returns undefined for an entry that is not an origin.
 */
export const compileOrigin = (entry: string): RegExp | false =>
  /^(http|ws)s?:\/\/[^/?#@]+$/.test(entry) &&
  RegExp(`^${entry.replace(/^ws/, 'http').replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/:]+')}$`)

/**
 * Checks one redirect step `from` → `to` before it is requested. `seen` holds the earlier URLs of the
 * chain so far (http form); `hop` is this step's number. Throws the FollowSocketError that
 * ends discovery: policy refusals are final because retrying would meet the same redirect.
 */
export const checkHop = (from: URL, to: URL, seen: string[], hop: number, policy: RedirectPolicy): void => {
  const http = isWebUrl(to) && toHttp(to)
  const [code, advice] =
    !http || to.username || to.password || (policy.allowedOrigins && !policy.allowedOrigins.some((re) => re.test(new URL(http).origin)))
      ? ['REDIRECT_NOT_ALLOWED', 'see allowedOrigins']
      : isSecure(from) && !isSecure(to) && !policy.allowInsecure
        ? ['INSECURE_REDIRECT', 'set allowInsecure?']
        : seen.includes(http) || toHttp(from) == http
          ? ['REDIRECT_LOOP', 'it loops']
          : hop > policy.maxRedirects
            ? ['TOO_MANY_REDIRECTS', 'raise maxRedirects?']
            : []
  if (code) throw new FollowSocketError(code as ErrorCode, `Redirect to ${to.href} refused: ${advice}`, to.href)
}

/**
 * Where a close with code 4308 moves a connection at `from`: the reason as a ws: URL, checked
 * against the policy (whose refusal it throws), or undefined when the reason is no absolute URL
 * (the client then rediscovers). Any absolute URL counts, so `javascript:` is refused, not ignored.
 */
export const movedTo = (reason: string, from: string, policy: RedirectPolicy): string | undefined => {
  const to = parseUrl(reason, 'x:/')
  if (to && to.protocol != 'x:') {
    checkHop(new URL(from), to, [], 1, policy)
    return toWs(to)
  }
}
