import { FollowSocketError, type ErrorCode } from './errors'
import { isSecure, isWebUrl, parseUrl, toHttp, toWs } from './url'

/** What the policy reads of the discovery settings (options.ts). */
export interface RedirectPolicy {
  maxRedirects: number
  /** Compiled from the allowedOrigins option; undefined admits any origin. */
  allowedOrigins?: RegExp[]
  allowInsecure: boolean
}

/**
 * Compiles an allowedOrigins entry (`https://*.example.com`, `wss://live.example.com:8443`) into
 * a pattern over http(s) origins, since ws:/wss: and http:/https: forms are equivalent; `*`
 * stands for one or more host labels. Returns undefined for an entry that is not an origin.
 */
export const compileOrigin = (entry: string): RegExp | false =>
  /^(http|ws)s?:\/\/[^/?#@]+$/.test(entry) &&
  RegExp(
    `^${entry
      .replace(/^ws/, 'http')
      .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '[^/:]+')}$`,
  )

/**
 * Checks one redirect step `from` → `to` before it is requested. `seen` holds the URLs of the
 * chain so far, `from` included (http form); `hop` is this step's number. Throws the FollowSocketError that
 * ends discovery: policy refusals are final because retrying would meet the same redirect.
 */
export const checkHop = (from: URL, to: URL, seen: string[], hop: number, policy: RedirectPolicy): void => {
  const refuse = (code: ErrorCode, why: string): never => {
    throw new FollowSocketError(code, `Redirect to ${to.href} refused: ${why}`, to.href)
  }
  if (!isWebUrl(to)) refuse('REDIRECT_NOT_ALLOWED', 'not an http(s) or ws(s) URL')
  if (to.username || to.password) refuse('REDIRECT_NOT_ALLOWED', 'it carries user:password@')
  const http = toHttp(to)
  if (policy.allowedOrigins && !policy.allowedOrigins.some((origin) => origin.test(new URL(http).origin)))
    refuse('REDIRECT_NOT_ALLOWED', 'its origin is not in allowedOrigins')
  if (isSecure(from) && !isSecure(to) && !policy.allowInsecure)
    refuse('INSECURE_REDIRECT', 'secure to insecure: set allowInsecure to allow it')
  if (seen.includes(http)) refuse('REDIRECT_LOOP', 'it loops back')
  if (hop > policy.maxRedirects) refuse('TOO_MANY_REDIRECTS', `over maxRedirects (${policy.maxRedirects})`)
}

/**
 * Where a close with code 4308 moves a connection at `from`: the reason as a ws: URL, checked
 * against the policy (whose refusal it throws), or undefined when the reason is no absolute URL
 * (the client then rediscovers). Any absolute URL counts, so `javascript:` is refused, not ignored.
 * A move back to where an earlier one came from is no loop: moves are spread over time and paced
 * (next-step.ts), where a preflight's redirect chain loops for certain.
 */
export const movedTo = (reason: string, from: string, policy: RedirectPolicy): string | undefined => {
  // Resolved against a base of a made-up scheme (x:), which only an absolute URL replaces.
  const to = parseUrl(reason, 'x:/')
  if (to && to.protocol !== 'x:') {
    checkHop(new URL(from), to, [], 1, policy)
    return toWs(to)
  }
}
