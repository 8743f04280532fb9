import { FollowSocketError } from './errors'

/**
 * Why a handshake failed (SPEC §9). A browser shows a failed handshake as `error` + close 1006
 * whatever the server answered; the preflight's GET of the same URL reads that answer, and this
 * module says what it was: the status, how long the server asked to be left alone, or that
 * nothing answers at all.
 */

const HOUR = 3_600_000

/**
 * A Retry-After value (delta-seconds or an HTTP date) in ms from `now`, at most an hour;
 * undefined when it asks for no wait: absent, unreadable, or a date already past.
 */
export const parseRetryAfter = (value: string | null, now = Date.now()): number | undefined => {
  const ms = value ? (/^\d+$/.test(value) ? +value * 1000 : Date.parse(value) - now) : NaN
  return ms > 0 ? Math.min(ms, HOUR) : undefined
}

/**
 * What a handshake failure at `url` means when the endpoint's GET answers `response` (no
 * redirect): the status, which the example apps word for people, and on a 429 or 503 how long
 * the server asked to be left alone.
 */
export const refusal = (url: string, { status, headers }: Response): FollowSocketError => {
  const wait = status == 429 || status == 503 ? parseRetryAfter(headers.get('retry-after')) : undefined
  return new FollowSocketError('HANDSHAKE_FAILED', `${url} answered ${status}${wait ? `: come back in ${Math.ceil(wait / 1000)} s` : ''}`, url, undefined, status, wait)
}

/**
 * A preflight GET that failed (DISCOVERY_BLOCKED, which in a browser may be CORS or a server that
 * is down) where the runtime shows network errors as they are (Node, Deno, Bun: no CORS there):
 * nothing answers at that host.
 */
export const unreachable = (at: URL, { url, cause }: FollowSocketError): FollowSocketError =>
  new FollowSocketError('HANDSHAKE_FAILED', `Nothing answers at ${at.host}: down or unreachable`, url, cause)
