import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRedirects } from '@followsocket/server'
import { describe, expect, it } from 'vitest'
import { CLI, doctor, printed, sitesPerTest } from './support'

const PAGE = 'https://app.example.com'
const USAGE =
  'usage: followsocket doctor <url> [--origin <page origin>] [--credentials] [--json] [--insecure | --ca <file>]'
const open = sitesPerTest()

/** A site whose redirect lacks Access-Control-Allow-Origin for PAGE (one error) and whose endpoint echoes it without Vary (one warning). */
const brokenSite = async () => {
  const s = await open()
  s.redirects = createRedirects({ rules: { '/v1/live': s.ws('/v2/live') } })
  s.get = (req, res) => {
    if (req.url !== '/v2/live') return false
    res.writeHead(426, { 'access-control-allow-origin': PAGE }).end()
    return true
  }
  s.endpoint('/v2/live')
  return s
}

describe('followsocket doctor, as a command', () => {
  it('prints with --json one JSON document holding the same verdict, hops and findings, with the same exit status', async () => {
    const s = await brokenSite()
    const text = await doctor('doctor', s.ws('/v1/live'), '--origin', PAGE)
    const json = await doctor('doctor', s.ws('/v1/live'), '--origin', PAGE, '--json')
    expect(json.code).toBe(1)
    expect(text.code).toBe(1)
    const report = JSON.parse(json.stdout)
    expect(report.verdict).toMatchObject({ connects: false, code: 'DISCOVERY_BLOCKED' })
    expect(text.stdout).toContain(`A browser page at ${PAGE} ${report.verdict.summary}\n`)
    expect(report.url).toBe(s.ws('/v1/live'))
    expect(report.origin).toBe(PAGE)
    expect(report.preflight.map((h: { url: string; status: number }) => [h.url, h.status])).toEqual([
      [s.http('/v1/live'), 308],
      [s.http('/v2/live'), 426],
    ])
    expect(report.upgrade.map((h: { status: number }) => h.status)).toEqual([308, 101])
    expect(
      report.findings.map((f: { severity: string; code?: string; hop: number }) => [f.severity, f.code, f.hop]),
    ).toEqual([
      ['error', 'DISCOVERY_BLOCKED', 1],
      ['warning', undefined, 2],
    ])
    for (const finding of report.findings) {
      expect(text.stdout).toContain(finding.title)
      for (const line of finding.fix.headers) expect(text.stdout).toContain(`    ${line}\n`)
      expect(text.stdout).toContain(finding.fix.server.split('\n')[0])
      // Each proxy's lines beside nginx's, whole, under their heading in the text.
      expect(Object.keys(finding.fix)).toEqual(['headers', 'server', 'nginx', 'haproxy', 'caddy'])
      const { nginx, haproxy, caddy } = finding.fix
      for (const [form, lines] of [
        ['nginx', nginx],
        ['HAProxy', haproxy],
        ['Caddy', caddy],
      ])
        expect(text.stdout).toContain(printed(form, lines.split('\n')))
    }
  })

  it('prints --json for an endpoint that passes, with exit 0 and the preflight count', async () => {
    const s = await open()
    s.redirects = createRedirects({ rules: { '/v1/live': s.ws('/v2/live') }, origins: [PAGE] })
    s.endpoint('/v2/live')
    const run = await doctor('doctor', s.ws('/v1/live'), '--origin', PAGE, '--json')
    expect(run.code).toBe(0)
    expect(JSON.parse(run.stdout)).toMatchObject({
      verdict: { connects: true, preflights: 1, url: s.ws('/v2/live') },
      findings: [],
    })
  })

  for (const [why, args] of [
    ['no command', []],
    ['an unknown command', ['cure', 'ws://127.0.0.1:1/']],
    ['no URL', ['doctor']],
    ['a URL that is not one', ['doctor', 'not a url']],
    ['an ftp: URL', ['doctor', 'ftp://127.0.0.1/live']],
    ['two URLs', ['doctor', 'ws://127.0.0.1:1/a', 'ws://127.0.0.1:1/b']],
    ['an unknown option', ['doctor', 'ws://127.0.0.1:1/', '--follow']],
    ['--origin without a value', ['doctor', 'ws://127.0.0.1:1/', '--origin']],
    ['--origin that is not an origin', ['doctor', 'ws://127.0.0.1:1/', '--origin', 'app.example.com']],
    ['--ca naming no file', ['doctor', 'ws://127.0.0.1:1/', '--ca', '/nonexistent/ca.pem']],
  ] as const)
    it(`exits 2 with a usage line on stderr for ${why}`, async () => {
      const run = await doctor(...args)
      expect(run.code).toBe(2)
      expect(run.stderr).toMatch(/^followsocket: .+\n/)
      expect(run.stderr).toContain(`\n${USAGE}\n`)
      expect(run.stdout).toBe('')
    })

  it('prints its help on stdout with exit 0', async () => {
    const run = await doctor('--help')
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(USAGE)
    expect(run.stdout).toContain('--insecure')
  })
})

// script(1) runs the command on a pseudo-terminal, as a user's shell does.
describe.skipIf(!existsSync('/usr/bin/script'))('followsocket doctor, colours', () => {
  const onTty = (command: string, env: Record<string, string | undefined>) =>
    new Promise<string>((done, fail) =>
      execFile(
        '/usr/bin/script',
        ['-qec', command, '/dev/null'],
        { env: { ...process.env, ...env } },
        (error, stdout) => (error && error.code !== 1 ? fail(error) : done(stdout)),
      ),
    )

  it('colours a terminal, and not when NO_COLOR is set or stdout is a pipe', async () => {
    const s = await open()
    s.endpoint('/live')
    const command = `${process.execPath} ${CLI} doctor ${s.ws('/live')}`
    expect(await onTty(command, { NO_COLOR: undefined })).toContain('\x1b[32m✓\x1b[39m')
    expect(await onTty(command, { NO_COLOR: '1' })).not.toContain('\x1b[')
    expect((await doctor('doctor', s.ws('/live'))).stdout).not.toContain('\x1b[')
  })
})
