// The two walks of one endpoint, hop by hop: the preflight GET as a browser's fetch() sends it,
// and the WebSocket upgrade. Each redirect step is checked with the client's own policy
// (checkHop) before it is requested, exactly as discovery does in Node.
import type { ErrorCode } from '../errors'
import { isFollowSocketError } from '../errors'
import type { DiscoverySettings } from '../options'
import { checkHop } from '../redirect-policy'
import { parseUrl, toHttp, toWs } from '../url'
import { corsCheck, type Cors } from './cors'
import { get, handshake, type Handshake, type Net } from './http'

// Fetch's redirect statuses; the same list discovery follows.
export const REDIRECT = [301, 302, 303, 307, 308]

/** A redirect step the client's policy refuses: the code it throws and its message. */
export interface Refusal {
  code: ErrorCode
  message: string
}

interface HopBase {
  /** 1 for the URL asked for, then one more per redirect. */
  n: number
  url: string
  status?: number
  /** The Location header as sent. */
  location?: string
  /** The Location resolved against the hop's URL. */
  to?: string
  /** Why the request got no answer. */
  error?: string
  timeout?: true
  /** The policy refused the step to `to`; the walk stopped here. */
  refused?: Refusal
}

export interface GetHop extends HopBase {
  cors?: Cors
  /** An https: page may not fetch an http: URL (mixed content): the browser blocks the request. */
  mixedContent?: true
  /** A ws:/wss: Location, which fetch cannot follow (not an HTTP(S) scheme). */
  wsLocation?: true
  /** On a 429 or 503: the Retry-After as sent, and whether a page of another origin may read it. */
  retryAfter?: { value: string; readable: boolean }
}

export interface UpgradeHop extends HopBase, Pick<Handshake, 'accept' | 'expectedAccept' | 'upgradeHeader'> {
  gotAccept?: string
}

const isRedirect = (status: number | undefined, location: string | undefined) =>
  REDIRECT.includes(status ?? 0) && location !== undefined

/**
 * The next step from `at` for `location`, checked against the policy: the target, or the
 * refusal. A Location that is not a URL is refused as discovery refuses it (REDIRECT_NOT_ALLOWED).
 */
const step = (
  at: URL,
  location: string,
  seen: string[],
  n: number,
  policy: DiscoverySettings,
): { to: URL; refused?: Refusal } => {
  const to = parseUrl(location, at) ?? new URL('x:')
  try {
    checkHop(at, to, [...seen, toHttp(at)], n, policy)
    return { to }
  } catch (error) {
    if (!isFollowSocketError(error)) throw error
    return { to, refused: { code: error.code, message: error.message } }
  }
}

// Mixed Content: an https: page may not fetch http: URLs, except potentially trustworthy ones
// (Secure Contexts: localhost, *.localhost, 127.0.0.0/8, ::1), which browsers let through.
const isLoopback = (url: URL) =>
  /^(localhost|127(\.\d+){3}|\[::1\])$/.test(url.hostname) || url.hostname.endsWith('.localhost')
export const blocksMixed = (page: string, url: URL): boolean =>
  page.startsWith('https:') && url.protocol === 'http:' && !isLoopback(url)

/**
 * Walk 1, the preflight as a browser sends it (Fetch standard, main fetch and HTTP-redirect fetch):
 * - no Origin while every URL so far is same-origin with the page (a same-origin GET sends none);
 * - the page's origin once the chain has left it ("response tainting" becomes cors and stays);
 * - `null` once a redirect goes to another origin from a URL whose origin is not the page's
 *   (the request's origin is then "redirect-tainted", for every later hop);
 * and every answer of a CORS request, redirects included, must pass the CORS check.
 */
export const preflightWalk = async (
  start: URL,
  page: string,
  credentials: boolean,
  policy: DiscoverySettings,
  net: Net,
): Promise<GetHop[]> => {
  const hops: GetHop[] = []
  const seen: string[] = []
  let at = start
  let cors = at.origin !== page
  let tainted = false
  for (let n = 1; ; n++) {
    const origin = cors ? (tainted ? 'null' : page) : undefined
    const hop: GetHop = { n, url: at.href, ...(blocksMixed(page, at) && { mixedContent: true as const }) }
    hops.push(hop)
    const answer = await get(at, origin, net)
    if ('error' in answer) {
      Object.assign(hop, answer)
      return hops
    }
    hop.status = answer.status
    const location = answer.headers.location
    if (location !== undefined) hop.location = location
    hop.cors = corsCheck(answer, origin, credentials)
    const retryAfter = answer.headers['retry-after']
    if ((hop.status === 429 || hop.status === 503) && retryAfter) {
      // A CORS request's page reads only the headers the answer exposes (a wildcard does not
      // cover credentialed requests); same-origin, every header.
      const exposed = String(answer.headers['access-control-expose-headers'] ?? '')
        .toLowerCase()
        .split(/\s*,\s*/)
      hop.retryAfter = {
        value: retryAfter,
        readable: origin === undefined || exposed.includes('retry-after') || (exposed.includes('*') && !credentials),
      }
    }
    if (!isRedirect(hop.status, location)) return hops
    const { to, refused } = step(at, location!, seen, n, policy)
    hop.to = to.href
    if (refused) {
      hop.refused = refused
      return hops
    }
    // Fetch: "if locationURL's scheme is not an HTTP(S) scheme, return a network error". The
    // walk goes on with the http(s) twin, as a Node client would, to find later problems too.
    if (/^wss?:$/.test(to.protocol)) hop.wsLocation = true
    const next = new URL(toHttp(to))
    tainted ||= next.origin !== at.origin && at.origin !== page
    cors ||= next.origin !== page
    seen.push(at.href)
    at = next
  }
}

/**
 * Walk 2, the WebSocket upgrade, with the Origin a page's `new WebSocket()` sends (its own, on
 * every attempt: each socket is a new request, never a followed redirect). Follows Locations in
 * either form (ws(s) or http(s)), checked by the policy, until a 101 or an answer that is not one.
 */
export const upgradeWalk = async (
  start: URL,
  page: string,
  policy: DiscoverySettings,
  net: Net,
): Promise<UpgradeHop[]> => {
  const hops: UpgradeHop[] = []
  const seen: string[] = []
  let at = start
  for (let n = 1; ; n++) {
    const hop = await handshakeHop(n, at, page, net)
    hops.push(hop)
    if (!isRedirect(hop.status, hop.location)) return hops
    const { to, refused } = step(at, hop.location!, seen, n, policy)
    hop.to = toWs(to)
    if (refused) {
      hop.refused = refused
      return hops
    }
    seen.push(toHttp(at))
    at = to
  }
}

/** One handshake at `url`, not followed: what a page's WebSocket gets there. */
export const handshakeHop = async (n: number, url: URL, page: string, net: Net): Promise<UpgradeHop> => {
  const answer = await handshake(url, page, net)
  const hop: UpgradeHop = { n, url: toWs(url) }
  if (answer.error !== undefined)
    return { ...hop, error: answer.error, ...(answer.timeout && { timeout: true as const }) }
  hop.status = answer.status
  const location = answer.headers?.location
  if (location !== undefined) hop.location = location
  if (answer.status === 101) {
    const got = answer.headers?.['sec-websocket-accept']
    Object.assign(
      hop,
      { accept: answer.accept, expectedAccept: answer.expectedAccept, upgradeHeader: answer.upgradeHeader },
      got !== undefined && { gotAccept: got },
    )
  }
  return hop
}
