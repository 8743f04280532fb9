// The HAProxy and Caddy lines the doctor suggests, checked by the proxies themselves: every kind of
// fix passes `haproxy -c` and `caddy adapt` (a mistyped directive fails here, not at a user's
// reload), and Caddy's lines for an Origin: null hop, pasted into a running Caddy, make the doctor
// pass, as nginx.test.ts does for nginx. .ci/run installs both (Debian); elsewhere they are skipped.
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { createRedirects } from '@followsocket/server'
import { CADDY, startCaddy } from '@followsocket/lab/caddy'
import { HAPROXY } from '@followsocket/lab/haproxy'
import { afterAll, describe, expect, it } from 'vitest'
import type { Cors } from '../../src/cli/cors'
import { corsFix, endpointFix, moveOf, redirectFix, retryAfterFix, varyFix, type Fix } from '../../src/cli/fixes'
import { doctor, site, type Site } from './support'

const PAGE = 'https://app.example.com'
const exec = promisify(execFile)

// One fix of each kind, with what changes its lines: CORS or none, one origin or two, credentials,
// a redirect or the endpoint's own GET, a target whose percent-encoding HAProxy must keep.
const move = moveOf('https://live.example.com/v1/live', 308, 'wss://live2.example.com/v2/l%C3%AFve')
const cors = (problem: Cors['problem'], origin: string): Cors => ({
  required: true,
  origin,
  problem,
  varyMissing: false,
})
const nullHop = { sent: 'null', origins: [PAGE, 'null'] }
const moved = { move, path: move.path }
const own = { path: '/v2/live' }
const FIXES: [string, Fix][] = [
  ['a redirect', redirectFix(move, undefined, false, false)],
  ['a redirect with CORS for two origins and credentials', redirectFix(move, nullHop, true, true)],
  ['CORS on a redirect', corsFix(cors('missing', PAGE), PAGE, false, moved)],
  ["CORS with credentials on an endpoint's own GET", corsFix(cors('mismatch', 'null'), PAGE, true, own)],
  ['credentials alone on a redirect', corsFix(cors('no-credentials', PAGE), PAGE, true, moved)],
  ["credentials alone on an endpoint's own GET", corsFix(cors('no-credentials', PAGE), PAGE, true, own)],
  ['Vary on a redirect', varyFix(moved)],
  ["Vary on an endpoint's own GET", varyFix(own)],
  ['a WebSocket endpoint', endpointFix('/v2/live')],
  ['an exposed Retry-After', retryAfterFix('30', PAGE)],
]

/** The lines under a snippet's first line, which says where they go. */
const under = (heading: string, snippet: string) => {
  const [first, ...lines] = snippet.split('\n')
  expect(first).toBe(heading)
  return lines.join('\n')
}

/** The least a configuration needs around the doctor's lines, which go in its frontend. */
const haproxyConfig = (port: number, fix: Fix) =>
  'defaults\n    mode http\n    timeout connect 5s\n    timeout client 30s\n    timeout server 30s\n\n' +
  `frontend live\n    bind 127.0.0.1:${port}\n${fix.haproxy!}\n`

const caddySite = (port: number, fix: Fix) => `:${port} {\n${under('# in the site block:', fix.caddy!)}\n}\n`

/** Runs `binary args…` on `text` written to a file of a temporary directory; resolves with what it printed. */
const check = async (binary: string, text: string, args: (file: string) => string[]) => {
  const dir = mkdtempSync(join(tmpdir(), 'followsocket-doctor-proxy-'))
  try {
    const file = join(dir, 'config')
    writeFileSync(file, text)
    // Caddy keeps its state under HOME (XDG): a directory of the test's own, not the user's.
    const env = { ...process.env, HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir }
    const { stdout, stderr } = await exec(binary, args(file), { env })
    return { stdout, stderr }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

interface Proxy {
  name: string
  binary: string | undefined
  /** Rejects when the proxy refuses the lines (HAProxy: or warns about them). */
  accepts(fix: Fix): Promise<void>
  /** Runs the proxy with the fix's lines, when a test can rely on knowing when it serves. */
  start?(fix: Fix): Promise<{ port: number; stop(): Promise<void> }>
}

const PROXIES: Proxy[] = [
  {
    name: 'HAProxy',
    binary: HAPROXY,
    async accepts(fix) {
      const { stdout, stderr } = await check(HAPROXY!, haproxyConfig(8080, fix), (file) => ['-c', '-f', file])
      expect(stdout + stderr).not.toMatch(/\[(WARNING|ALERT)\]/)
    },
    // No run on a real HAProxy: startHaproxy (lab) takes the stats socket's file appearing for the
    // socket answering, and under load HAProxy has not called listen() yet (ECONNREFUSED).
  },
  {
    name: 'Caddy',
    binary: CADDY,
    async accepts(fix) {
      await check(CADDY!, caddySite(8080, fix), (file) => ['adapt', '--config', file, '--adapter', 'caddyfile'])
    },
    start: (fix) => startCaddy((port) => caddySite(port, fix)),
  },
]

for (const proxy of PROXIES) {
  // CI installs both proxies, so there a missing one is a failure, not a skip.
  const run = proxy.binary || process.env.CI ? describe : describe.skip
  run(`followsocket doctor, its ${proxy.name} lines in a real ${proxy.name}`, () => {
    for (const [kind, fix] of FIXES) it(`are accepted by ${proxy.name} for ${kind}`, () => proxy.accepts(fix))

    let running: { port: number; stop(): Promise<void> } | undefined
    const sites: Site[] = []
    afterAll(async () => {
      await running?.stop()
      await Promise.all(sites.map((s) => s.close()))
    })

    const start = proxy.start
    if (start)
      it('takes the lines it suggests for an Origin: null hop, and then passes', async () => {
        const open = async () => sites[sites.push(await site()) - 1]!
        // A → B → C, where C's /v2/live admits only the page: the hop that gets Origin: null.
        const b = await open()
        const c = await open()
        b.redirects = createRedirects({ rules: { '/v1/live': c.ws('/v2/live') }, origins: [PAGE] })
        c.redirects = createRedirects({ rules: { '/v2/live': c.ws('/v3/live') }, origins: [PAGE] })
        c.endpoint('/v3/live', [PAGE, 'null'])
        const before = await doctor('doctor', b.ws('/v1/live'), '--origin', PAGE, '--json')
        expect(before.code).toBe(1)
        const fix: Fix = JSON.parse(before.stdout).findings[0].fix

        // The proxy now answers /v2/live with exactly those lines, and B sends pages there.
        running = await start(fix)
        const { port } = running
        b.redirects = createRedirects({ rules: { '/v1/live': `ws://127.0.0.1:${port}/v2/live` }, origins: [PAGE] })
        const after = await doctor('doctor', b.ws('/v1/live'), '--origin', PAGE)
        const hop = `GET http://127.0.0.1:${port}/v2/live → 308 ${c.http('/v3/live')}`
        expect(after.stdout).toContain(`${hop} · Origin: null, Access-Control-Allow-Origin: null`)
        expect(after.stdout).toContain(`✓ A browser page at ${PAGE} connects after 2 preflights`)
        expect(after.code).toBe(0)
      })
  })
}
