// The doctor's report for a terminal: one line per hop with ✓/!/✗, the verdict line, then what to
// change with snippets to paste. Colours only on a TTY, and never when NO_COLOR is set.
import type { Finding, Report } from './doctor'
import type { GetHop, UpgradeHop } from './walk'

/** no-color.org: NO_COLOR present and not empty turns colours off; a pipe or a file never gets them. */
export const wantsColor = (stream: { isTTY?: boolean }, env: Record<string, string | undefined>): boolean =>
  stream.isTTY === true && !env.NO_COLOR

const paint = (on: boolean) => {
  const sgr = (open: number, close: number) => (text: string) => (on ? `\x1b[${open}m${text}\x1b[${close}m` : text)
  return {
    green: sgr(32, 39),
    red: sgr(31, 39),
    yellow: sgr(33, 39),
    cyan: sgr(36, 39),
    dim: sgr(2, 22),
    bold: sgr(1, 22),
  }
}

const MARK = { ok: '✓', warning: '!', error: '✗' }

const worst = (findings: Finding[]): keyof typeof MARK =>
  findings.some((f) => f.severity === 'error') ? 'error' : findings.length ? 'warning' : 'ok'

const getLine = (hop: GetHop, credentials: boolean): string => {
  if (hop.error !== undefined) return `GET ${hop.url} → ${hop.error}`
  const answer = `${hop.status}${hop.location !== undefined ? ` ${hop.to ?? hop.location}` : ''}`
  const cors = hop.cors!
  const headers = !cors.required
    ? 'no Origin (same-origin: no CORS needed)'
    : [
        `Origin: ${cors.origin}`,
        cors.allowOrigin !== undefined
          ? `Access-Control-Allow-Origin: ${cors.allowOrigin}`
          : 'no Access-Control-Allow-Origin',
        ...(credentials
          ? [
              cors.allowCredentials !== undefined
                ? `Access-Control-Allow-Credentials: ${cors.allowCredentials}`
                : 'no Access-Control-Allow-Credentials',
            ]
          : []),
      ].join(', ')
  return `GET ${hop.url} → ${answer} · ${headers}${hop.refused ? ` · refused: ${hop.refused.code}` : ''}`
}

const upgradeLine = (hop: UpgradeHop): string => {
  if (hop.error !== undefined) return `${hop.url} → ${hop.error}`
  const answer =
    hop.status === 101
      ? `101 · Sec-WebSocket-Accept ${hop.accept === 'ok' ? 'correct' : hop.accept}`
      : `${hop.status}${hop.to !== undefined ? ` ${hop.to}` : ''}`
  return `${hop.url} → ${answer}${hop.refused ? ` · refused: ${hop.refused.code}` : ''}`
}

const indent = (text: string, by: string) =>
  text
    .split('\n')
    .map((line) => by + line)
    .join('\n')

export const render = (report: Report, color: boolean): string => {
  const c = paint(color)
  const mark = (kind: keyof typeof MARK) => (kind === 'ok' ? c.green : kind === 'error' ? c.red : c.yellow)(MARK[kind])
  const on = (walk: Finding['walk'], match: (f: Finding) => boolean) =>
    report.findings.filter((f) => f.walk === walk && match(f))
  const out: string[] = []
  out.push(c.bold(`followsocket doctor ${report.url}`))
  const page = report.origin === 'null' ? 'with an opaque origin (null)' : `at ${report.origin}`
  out.push(
    `page origin ${report.origin}${report.originAssumed ? c.dim(" (the endpoint's own; --origin <origin> checks a page elsewhere)") : ''}${report.credentials ? ", credentials: 'include'" : ''}`,
  )
  out.push('', c.bold('preflight') + c.dim(" · GET, as a page's fetch() sends it, hop by hop"))
  for (const hop of report.preflight) {
    const kind = hop.refused || hop.error !== undefined ? 'error' : worst(on('preflight', (f) => f.hop === hop.n))
    out.push(`${mark(kind)} ${hop.n} ${getLine(hop, report.credentials)}`)
  }
  out.push(c.bold('upgrade') + c.dim(' · the WebSocket handshake, hop by hop'))
  const upgrades: [UpgradeHop, string][] = report.upgrade.map((hop) => [hop, `${hop.n} `])
  if (report.handshake) upgrades.push([report.handshake, 'where the page opens: '])
  for (const [hop, label] of upgrades) {
    const findings = on('upgrade', (f) => f.url === hop.url)
    const kind =
      hop.refused || hop.error !== undefined || (hop.status === 101 && hop.accept !== 'ok') ? 'error' : worst(findings)
    out.push(`${mark(kind)} ${label}${upgradeLine(hop)}`)
  }
  const { verdict } = report
  out.push('', `${mark(verdict.connects ? 'ok' : 'error')} ${c.bold(`A browser page ${page} ${verdict.summary}`)}`)
  if (report.findings.length) out.push('', c.bold('What to change'))
  for (const finding of report.findings) {
    out.push(
      `${mark(finding.severity)} ${finding.walk} hop ${finding.hop}: ${finding.title}`,
      indent(finding.detail, '  '),
    )
    const fix = finding.fix
    if (fix?.headers)
      out.push(c.dim('  the header lines that answer needs:'), c.cyan(indent(fix.headers.join('\n'), '    ')))
    if (fix?.server) out.push(c.dim('  with @followsocket/server:'), c.cyan(indent(fix.server, '    ')))
    for (const [proxy, lines] of [
      ['nginx', fix?.nginx],
      ['HAProxy', fix?.haproxy],
      ['Caddy', fix?.caddy],
    ])
      if (lines) out.push(c.dim(`  with ${proxy}:`), c.cyan(indent(lines, '    ')))
  }
  return out.join('\n') + '\n'
}
