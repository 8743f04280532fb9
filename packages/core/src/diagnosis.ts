import { FollowSocketError } from './errors'

/**
 * Why a handshake failed (docs/diagnosis.md). A browser shows a failed handshake as `error` +
 * close 1006 whatever the server answered; the preflight's GET of the same URL reads that
 * answer, and this module words it: one message per row of the diagnosis table, each saying
 * what happened and what to do.
 */

const HOUR = 3_600_000
// An HTTP-date (RFC 9110 §5.6.7) in each form a recipient must read: IMF-fixdate
// "Sun, 06 Nov 1994 08:49:37 GMT" and the obsolete rfc850 "Sunday, 06-Nov-94 08:49:37 GMT", which
// differ in the separator (a space or a dash, the same twice) and the year's digits, and asctime
// "Sun Nov  6 08:49:37 1994". Date.parse reads all three once the form is checked (alone it would
// read nonsense too: "foo 2030" as a year); asctime is in GMT as well, which it does not say.
const HTTP_DATE = /^\w+, \d\d([ -])\w{3}\1\d\d(\d\d)? \d\d:\d\d:\d\d GMT$|^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$/

/**
 * A Retry-After value (delta-seconds or an HTTP-date) in ms from `now`, at most an hour;
 * undefined when it asks for no wait: absent, unreadable, zero, or a date already past.
 */
export const parseRetryAfter = (value: string | null, now = Date.now()): number | undefined => {
  const ms = !value
    ? NaN
    : /^\d+$/.test(value)
      ? +value * 1000
      : HTTP_DATE.test(value)
        ? Date.parse(value.replace(/\d$/, '$& GMT')) - now
        : NaN
  return ms > 0 ? Math.min(ms, HOUR) : undefined
}

/** What a status tells a person, by the rows of the diagnosis table; any other status speaks for itself. */
const advice = (status: number, wait: number | undefined): string | undefined => {
  if (status === 401 || status === 403)
    return 'the server refused the credentials: a url function can put a fresh token in the URL'
  if (status === 404 || status === 410) return 'nothing at that path: check the URL'
  if (wait) return `the server asks to come back in ${Math.ceil(wait / 1000)} s`
  if (status === 101 || status === 400 || status === 426 || (status >= 200 && status < 300))
    return 'a WebSocket endpoint is there but refused this handshake (subprotocol? Origin check?)'
}

/**
 * What a handshake failure at `url` means when its GET answered `response` (no redirect): the
 * status, with what to do about it, and on a 429 or 503 how long the server asked to be left alone.
 */
export const refusal = (url: string, { status, headers }: Response): FollowSocketError => {
  const wait = status === 429 || status === 503 ? parseRetryAfter(headers.get('retry-after')) : undefined
  const why = advice(status, wait)
  return new FollowSocketError(
    'HANDSHAKE_FAILED',
    `${url} answered ${status}${why ? `: ${why}` : ''}`,
    url,
    undefined,
    status,
    wait,
  )
}

/** Nothing answers a GET of `at` (refused, DNS, TLS, offline): the server is down or out of reach. */
export const unreachable = (url: string, at: URL, cause?: unknown): FollowSocketError =>
  new FollowSocketError('HANDSHAKE_FAILED', `Nothing answers at ${at.host}: down or unreachable`, url, cause)

/** Something answers `at`, but without the CORS headers that let this page read the answer. */
export const hidden = (url: string, at: URL, cause?: unknown): FollowSocketError =>
  new FollowSocketError(
    'DISCOVERY_BLOCKED',
    `${at.href} answers but does not let this page read it: send Access-Control-Allow-Origin: ${globalThis.location?.origin} on every hop`,
    url,
    cause,
  )

/**
 * Nothing answers at `at`, or its redirects end nowhere that answers: a loop, more than the
 * browser's 20, a target that is down. A browser cannot tell these apart (cross-origin, not even
 * from a host that is down); only the doctor sees each hop.
 */
export const nowhere = (url: string, at: URL, cause?: unknown): FollowSocketError =>
  new FollowSocketError(
    'HANDSHAKE_FAILED',
    `Nothing answers at ${at.href}, or its redirects lead nowhere (a loop, over 20 redirects, a target that is down): run npx followsocket doctor ${at.href}`,
    url,
    cause,
  )
