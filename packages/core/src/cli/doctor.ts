// `followsocket doctor`: walks an endpoint as a browser's preflight and as a WebSocket upgrade,
// checks the handshake where a page would open its socket, and says what a page at the given origin
// will do, with the lines to change when it fails (packages/core/README.md#is-my-server-ready).
import type { ErrorCode } from '../errors'
import { discoverySettings } from '../options'
import { normaliseUrl, toHttp, toWs } from '../url'
import { agreementFindings, opens, preflightFindings, redirects, targetFindings, type Finding } from './findings'
import type { Net } from './http'
import { handshakeHop, preflightWalk, upgradeWalk, type GetHop, type UpgradeHop } from './walk'

export type { Finding } from './findings'

export interface Verdict {
  connects: boolean
  /** Why not: the client's error code. */
  code?: ErrorCode
  /** Redirects the preflight follows before the socket opens (0: it opens directly). */
  preflights?: number
  /** Where the page's socket opens. */
  url?: string
  summary: string
}

export interface Report {
  /** The endpoint, ws form. */
  url: string
  /** The page origin the walks play. */
  origin: string
  /** No --origin: the page is taken to be on the endpoint's own origin. */
  originAssumed: boolean
  credentials: boolean
  preflight: GetHop[]
  upgrade: UpgradeHop[]
  /** The handshake where the page opens its socket, when the upgrade walk did not make it. */
  handshake?: UpgradeHop
  /** Errors first, then warnings. */
  findings: Finding[]
  verdict: Verdict
}

export interface DoctorOptions {
  url: string
  origin?: string
  credentials: boolean
  tls: Pick<Net, 'insecure' | 'ca'>
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

/** Runs both walks against `options.url` and judges them. Throws INVALID_URL for a URL that is not ws(s)/http(s). */
export async function doctor(options: DoctorOptions): Promise<Report> {
  // The client's own defaults: maxRedirects 10, no allowInsecure, any origin, its timeouts.
  const policy = discoverySettings()
  const net: Net = {
    ...options.tls,
    getTimeoutMs: policy.preflight.timeoutMs,
    handshakeTimeoutMs: policy.connectTimeoutMs,
  }
  const start = new URL(normaliseUrl(options.url))
  const page = options.origin ?? new URL(toHttp(start)).origin
  const { credentials } = options
  const [preflight, upgrade] = await Promise.all([
    preflightWalk(new URL(toHttp(start)), page, credentials, policy, net),
    upgradeWalk(start, page, policy, net),
  ])
  const report: Report = {
    url: start.href,
    origin: page,
    originAssumed: options.origin === undefined,
    credentials,
    preflight,
    upgrade,
    findings: [],
    verdict: { connects: false, summary: '' },
  }

  // With discovery 'auto' (the default) a page first opens the URL it was given; only when that
  // handshake fails does it preflight, then open its socket where the GET chain ends.
  const direct = opens(upgrade[0]!)
  const last = preflight.at(-1)!
  let target: Finding[] = []
  if (!direct && last.status !== undefined && !redirects(last) && !last.refused) {
    const url = toWs(new URL(last.url))
    let hop = upgrade.find((h) => h.url === url)
    if (!hop) {
      hop = await handshakeHop(1, new URL(url), page, net)
      report.handshake = hop
    }
    target = targetFindings(last, hop, preflight.length - 1, page, credentials)
  }
  // "The GET must be redirected too" is the last GET's finding, and its fix carries that answer's CORS headers.
  const mustRedirect = target[0]?.walk === 'preflight'
  const findings = [
    ...preflightFindings(preflight, page, credentials, mustRedirect ? last.n : undefined),
    ...target,
    ...(mustRedirect ? [] : agreementFindings(preflight, upgrade)),
  ]
  if (direct)
    for (const finding of findings)
      if (finding.severity === 'error') {
        finding.severity = 'warning'
        finding.detail += ` This matters only with discovery: 'preflight': with the default 'auto' the page opens ${start.href} directly.`
        delete finding.code
      }
  report.findings = [
    ...findings.filter((f) => f.severity === 'error'),
    ...findings.filter((f) => f.severity === 'warning'),
  ]
  report.verdict = verdict(report, direct)
  return report
}

const verdict = (report: Report, direct: boolean): Verdict => {
  const failure = report.findings.find((f) => f.severity === 'error')
  if (failure)
    return {
      connects: false,
      code: failure.code!,
      summary: `fails with ${failure.code} at ${failure.walk} hop ${failure.hop}: ${failure.title}`,
    }
  if (direct)
    return {
      connects: true,
      preflights: 0,
      url: report.url,
      summary: `connects directly at ${report.url}, no preflight needed`,
    }
  const last = report.preflight.at(-1)!
  const n = report.preflight.length - 1
  const url = toWs(new URL(last.url))
  return {
    connects: true,
    preflights: n,
    url,
    summary: `connects after ${plural(n, 'preflight')}: its fetch() follows ${plural(n, 'redirect')} to ${last.url}, and the WebSocket opens at ${url}`,
  }
}
