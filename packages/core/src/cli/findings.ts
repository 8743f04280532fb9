// What the two walks mean for a browser page: one Finding per problem, worded for the server's
// owner (what is wrong, why a browser cares, the client's error code) with the fix to paste.
import type { ErrorCode } from '../errors'
import { toHttp, toWs } from '../url'
import type { Cors } from './cors'
import { corsFix, endpointFix, moveOf, originsFor, redirectFix, retryAfterFix, varyFix, type Fix } from './fixes'
import { REDIRECT, type GetHop, type UpgradeHop } from './walk'

export interface Finding {
  /** An error stops a browser page from connecting; a warning does not. */
  severity: 'error' | 'warning'
  /** For an error: the code the client reports for it. */
  code?: ErrorCode
  walk: 'preflight' | 'upgrade'
  hop: number
  url: string
  /** What is wrong, in one line. */
  title: string
  /** Why it matters in a browser, and what to do. */
  detail: string
  fix?: Fix
}

export const redirects = (hop: { status?: number; location?: string } | undefined): boolean =>
  REDIRECT.includes(hop?.status ?? 0) && hop?.location !== undefined
/** A completed opening handshake: 101, Upgrade: websocket and the right Sec-WebSocket-Accept. */
export const opens = (hop: UpgradeHop): boolean =>
  hop.status === 101 && hop.accept === 'ok' && hop.upgradeHeader === true
const originOf = (url: string) => new URL(toHttp(new URL(url))).origin
const pathOf = (url: string) => new URL(url).pathname
const at = (walk: Finding['walk'], hop: { n: number; url: string }) => ({ walk, hop: hop.n, url: hop.url })
/** The CORS a fix must keep: the Origin the hop was sent and the origins to admit, when it was a CORS request. */
const admitted = (cors: Cors | undefined, page: string) =>
  cors?.required ? { sent: cors.origin!, origins: originsFor(cors.origin!, page) } : undefined

/**
 * Walk 1: what a browser's fetch() makes of each answer, and what the client's policy refuses.
 * `redirectedAt`: a hop whose GET must become a redirect, whose CORS that finding covers.
 */
export const preflightFindings = (
  chain: GetHop[],
  page: string,
  credentials: boolean,
  redirectedAt?: number,
): Finding[] => {
  const findings: Finding[] = []
  for (const hop of chain) {
    const move = hop.to !== undefined ? moveOf(hop.url, hop.status!, hop.to) : undefined
    const where = { path: pathOf(hop.url), ...(move && !hop.refused && { move }) }
    const cors = hop.cors
    if (hop.mixedContent)
      findings.push({
        ...at('preflight', hop),
        severity: 'error',
        code: 'HANDSHAKE_FAILED',
        title: `an https: page cannot fetch ${hop.url} (mixed content)`,
        // The client's no-cors probe is blocked the same way, so it finds nothing answering.
        detail:
          'Browsers block http: and ws: requests from https: pages (localhost aside), so fetch() and its no-cors probe reject and the client reports HANDSHAKE_FAILED (nothing answers). Serve this URL over https: and its WebSocket over wss:.',
      })
    if (hop.error !== undefined) {
      // A browser's fetch() rejects; its 'no-cors' probe then finds nothing answering either, which
      // the client reports as HANDSHAKE_FAILED without a status, not as CORS (docs/diagnosis.md).
      const code = hop.timeout ? 'DISCOVERY_TIMEOUT' : 'HANDSHAKE_FAILED'
      const detail = hop.timeout
        ? 'The preflight cannot go on, so the client reports DISCOVERY_TIMEOUT.'
        : "The preflight cannot go on, and the client's no-cors probe finds nothing answering either: it reports HANDSHAKE_FAILED (nothing answers, or the redirects lead nowhere)."
      findings.push({
        ...at('preflight', hop),
        severity: 'error',
        code,
        title: `GET ${hop.url} got no answer: ${hop.error}`,
        detail,
      })
      continue
    }
    if (cors?.problem && hop.n !== redirectedAt)
      findings.push({
        ...at('preflight', hop),
        severity: 'error',
        code: 'DISCOVERY_BLOCKED',
        ...corsWords(hop, cors, chain, page),
        fix: corsFix(cors, page, credentials, where),
      })
    else if (cors?.required && cors.varyMissing)
      findings.push({
        ...at('preflight', hop),
        severity: 'warning',
        title: `the answer to GET ${hop.url} echoes Access-Control-Allow-Origin: ${cors.allowOrigin} without Vary: Origin`,
        detail:
          'Browsers accept it, but a cache between server and browser (a CDN, a proxy) may hand this answer to a page of another origin, which then fails. Add Vary: Origin.',
        fix: varyFix(where),
      })
    if (hop.wsLocation)
      findings.push({
        ...at('preflight', hop),
        severity: 'error',
        code: 'DISCOVERY_BLOCKED',
        title: `GET ${hop.url} answers ${hop.status} with Location: ${hop.location}, and fetch cannot follow a ws(s): Location`,
        detail: `A browser's fetch() follows only http(s): Locations (any other scheme is a network error), so the page sees DISCOVERY_BLOCKED. Answer the GET with the http(s): form, Location: ${toHttp(new URL(hop.to!))}; the upgrade may keep the ws(s): one.`,
        fix: redirectFix(move!, admitted(cors, page), credentials, false),
      })
    if (hop.refused)
      findings.push({
        ...at('preflight', hop),
        severity: 'error',
        code: hop.refused.code,
        ...refusal(hop, page, credentials),
      })
  }
  return findings
}

/**
 * Where the page opens its socket, at the end of the GET chain (`last`), `hop` being the handshake
 * there. An upgrade redirected where the GET is not leaves the page nowhere to go: that GET must
 * be redirected too (and its fix, which carries CORS, replaces a CORS finding of the same answer).
 */
export const targetFindings = (
  last: GetHop,
  hop: UpgradeHop,
  followed: number,
  page: string,
  credentials: boolean,
): Finding[] => {
  if (redirects(hop)) {
    const blocked = last.cors?.problem !== undefined
    return [
      {
        ...at('preflight', last),
        severity: 'error',
        code: blocked ? 'DISCOVERY_BLOCKED' : 'HANDSHAKE_FAILED',
        title: `${last.url}: the upgrade is redirected (${hop.status} → ${hop.to}) but the GET is not (${last.status}): the GET must be redirected too`,
        detail:
          'Browsers never follow a redirect of the handshake, and the preflight GET shows none here, so the page has nowhere to go: ' +
          (blocked
            ? `the GET's answer does not even admit Origin: ${last.cors!.origin}, so fetch() rejects and the client reports DISCOVERY_BLOCKED. `
            : 'its socket fails and the client reports HANDSHAKE_FAILED. ') +
          `Answer GET ${pathOf(last.url)} with the same ${hop.status} and an http(s): Location.`,
        fix: redirectFix(moveOf(last.url, hop.status!, hop.to!), admitted(last.cors, page), credentials, true),
      },
    ]
  }
  const answered = answeredFinding(last, hop, page)
  if (answered) return [answered]
  const problem = handshakeProblem(hop)
  if (!problem) return []
  const code = hop.timeout ? 'CONNECT_TIMEOUT' : 'HANDSHAKE_FAILED'
  return [
    {
      ...at('upgrade', hop),
      severity: 'error',
      code,
      title: `no WebSocket at ${hop.url}: ${problem}`,
      detail: `A page ${followed ? 'is sent here by the preflight and opens' : 'opens'} its socket here; it fails, and the client reports ${code}.`,
      ...(hop.status !== undefined && hop.status !== 101 && { fix: endpointFix(pathOf(hop.url)) }),
    },
  ]
}

/** Walk 2 beside walk 1: both requests should be answered alike, hop by hop, and end in one place. */
export const agreementFindings = (chain: GetHop[], upgrade: UpgradeHop[]): Finding[] => {
  for (let i = 0; i < Math.min(chain.length, upgrade.length); i++) {
    const get = chain[i]!
    const up = upgrade[i]!
    if (get.status === undefined || up.status === undefined || toHttp(new URL(up.url)) !== get.url || !redirects(get))
      break
    if (redirects(up) && toHttp(new URL(get.to!)) !== toHttp(new URL(up.to!)))
      return [
        {
          ...at('upgrade', up),
          severity: 'warning',
          title: `the GET of ${get.url} redirects to ${get.to} but the upgrade to ${up.to}`,
          detail:
            'followsocket clients go where the GET points; other WebSocket clients that follow redirects end up elsewhere. Give both requests the same Location (createRedirects does, from one rule).',
        },
      ]
    if (!redirects(up))
      return [
        {
          ...at('upgrade', up),
          severity: 'warning',
          title: `the GET of ${get.url} redirects to ${get.to} but the upgrade is answered ${up.status}`,
          detail: `followsocket clients with discovery 'auto' ${opens(up) ? 'connect here directly' : 'find the move through the GET'}; clients that read the upgrade's redirect do not. Redirect both requests alike.`,
        },
      ]
  }
  const get = chain.at(-1)!
  const up = upgrade.at(-1)!
  return get.status !== undefined && !redirects(get) && opens(up) && toWs(new URL(get.url)) !== up.url
    ? [
        {
          ...at('upgrade', up),
          severity: 'warning',
          title: `the GET ends at ${get.url} but the upgrade at ${up.url}`,
          detail:
            'followsocket clients open their socket where the GET ends. Make both chains end at the same endpoint.',
        },
      ]
    : []
}

/**
 * A final answer that is not "no WebSocket here" but a refusal the client reads from its preflight
 * GET (docs/diagnosis.md#the-table): come back later (429/503 with Retry-After) or the credentials
 * (401/403).
 */
const answeredFinding = (last: GetHop, hop: UpgradeHop, page: string): Finding | undefined => {
  const status = last.status
  if (hop.status === undefined || hop.status === 101 || last.cors?.problem || toWs(new URL(last.url)) !== hop.url)
    return
  const where = { ...at('upgrade', hop), severity: 'error' as const, code: 'HANDSHAKE_FAILED' as const }
  if (last.retryAfter) {
    const { value, readable } = last.retryAfter
    return {
      ...where,
      title: `${hop.url} asks clients to come back later: ${status} with Retry-After: ${value}`,
      detail: readable
        ? `A page's handshake fails; its client reads the ${status} and the Retry-After from its preflight GET and waits that long, plus its own back-off, before it tries again.`
        : `A page's handshake fails, and its client reads the ${status} from its preflight GET, but not the Retry-After: a page at ${page} may read it only when the answer says Access-Control-Expose-Headers: Retry-After. Without it the client retries on its own back-off.`,
      ...(!readable && { fix: retryAfterFix(value, page) }),
    }
  }
  if (status === 401 || status === 403)
    return {
      ...where,
      title: `${hop.url} refuses the credentials: it answers the GET and the upgrade with ${status}`,
      detail: `A page's client reports HANDSHAKE_FAILED with status ${status}, read from its preflight GET. A browser's WebSocket cannot send an Authorization header: carry a token in the URL (a url function runs before every attempt) or in a cookie.`,
    }
}

/** Why a page's WebSocket does not open at `hop`, or undefined when it does. */
const handshakeProblem = (hop: UpgradeHop): string | undefined =>
  hop.error !== undefined
    ? hop.error
    : hop.status !== 101
      ? `it answers the upgrade with ${hop.status} instead of 101 Switching Protocols`
      : hop.accept === 'missing'
        ? 'its 101 has no Sec-WebSocket-Accept'
        : hop.accept === 'wrong'
          ? `its 101 carries Sec-WebSocket-Accept: ${hop.gotAccept}, but for the key sent it must be ${hop.expectedAccept} (RFC 6455 §4.2.2: base64 of SHA-1 of the key + 258EAFA5-E914-47DA-95CA-C5AB0DC85B11)`
          : !hop.upgradeHeader
            ? 'its 101 has no Upgrade: websocket'
            : undefined

/** A failed CORS check of `hop`; explains Origin: null where the chain tainted it. */
const corsWords = (hop: GetHop, cors: Cors, chain: GetHop[], page: string): Pick<Finding, 'title' | 'detail'> => {
  const sent = `Origin: ${cors.origin}`
  const what = {
    missing: `has no Access-Control-Allow-Origin for ${sent}`,
    multiple: `sends Access-Control-Allow-Origin more than once ("${cors.allowOrigin}"), which matches no origin`,
    mismatch: `allows ${cors.allowOrigin}, not the ${sent} the browser sent`,
    'wildcard-credentials': 'allows "*", which a credentialed request (--credentials) never accepts',
    'no-credentials': `admits ${cors.origin} without Access-Control-Allow-Credentials: true, which a credentialed request needs`,
  }[cors.problem!]
  let why = ''
  const first = chain.findIndex((h) => h.cors?.origin === 'null')
  if (cors.origin === 'null' && page !== 'null' && first > 0) {
    const origins = [page, originOf(chain[first - 1]!.url), originOf(chain[first]!.url)]
    why =
      `The browser sends Origin: null here because the chain crossed origins twice (${origins.join(' → ')}): a redirect to another origin ` +
      `from a URL that is not the page's own "taints" the request's origin (Fetch standard), and every later hop, the final endpoint's GET included, ` +
      `gets Origin: null. Admit 'null' here, besides ${page}. `
  }
  return {
    title: `the answer to GET ${hop.url} (${hop.status}) ${what}`,
    detail: `${why}A page at ${page} sees where the preflight went only if every answer of a cross-origin chain admits its Origin; here fetch() rejects and the client reports DISCOVERY_BLOCKED.`,
  }
}

/** The client's policy refusal of `hop`'s redirect, for a server owner, with the Location to send instead where there is one. */
const refusal = (hop: GetHop, page: string, credentials: boolean): Pick<Finding, 'title' | 'detail' | 'fix'> => {
  const to = new URL(hop.to!)
  const instead = (target: URL) => ({
    fix: redirectFix(
      { ...moveOf(hop.url, hop.status!, hop.to!), target },
      admitted(hop.cors, page),
      credentials,
      false,
    ),
  })
  switch (hop.refused!.code) {
    case 'INSECURE_REDIRECT':
      return {
        title: `GET ${hop.url} redirects from https: to http: (${hop.to})`,
        detail: `followsocket refuses a secure → insecure step (INSECURE_REDIRECT) unless the page sets allowInsecure${page.startsWith('https:') ? "; an https: page's fetch() blocks it anyway as mixed content" : ''}. Keep every hop on https:/wss:.`,
        ...instead(new URL(to.href.replace(/^(http|ws):/, '$1s:'))),
      }
    case 'REDIRECT_LOOP':
      return {
        title: `GET ${hop.url} redirects to ${hop.to}, which the chain already requested: a loop`,
        detail:
          "followsocket stops at the first URL seen twice (REDIRECT_LOOP); a browser's fetch() goes round until its limit of 20 redirects and rejects. Point the chain at the endpoint that answers the upgrade with 101.",
      }
    case 'TOO_MANY_REDIRECTS':
      return {
        title: `GET ${hop.url} → ${hop.to} is redirect number ${hop.n}, more than maxRedirects (10)`,
        detail:
          'followsocket follows at most 10 redirects by default (TOO_MANY_REDIRECTS), and every hop is a round trip before the socket opens. Redirect the first URL straight to where the chain ends.',
      }
    default:
      if (to.username || to.password) {
        const bare = new URL(to)
        bare.username = bare.password = ''
        return {
          title: `GET ${hop.url} redirects to a URL with user:password@ (${hop.to})`,
          detail:
            'followsocket refuses credentials in a redirect target (REDIRECT_NOT_ALLOWED): they would leak into logs and the page. Carry a token in the query string instead.',
          ...instead(bare),
        }
      }
      return {
        title: `GET ${hop.url} redirects to ${hop.location}, which is not an http(s): or ws(s): URL`,
        detail:
          "followsocket follows only http(s) and ws(s) targets (REDIRECT_NOT_ALLOWED), and a browser's fetch() refuses any other scheme too. Answer with the absolute https: URL of the endpoint.",
      }
  }
}
