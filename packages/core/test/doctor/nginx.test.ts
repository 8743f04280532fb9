// The nginx lines the doctor suggests, pasted into a real nginx, make the doctor pass: the
// snippet is checked as a user would use it, not only as text. .ci/run installs nginx (Debian);
// elsewhere the test is skipped without it.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRedirects } from '@followsocket/server'
import { afterAll, describe, expect, it } from 'vitest'
import { closedPort, doctor, site, type Site } from './support'

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx', '/usr/local/sbin/nginx', '/usr/local/bin/nginx'].find(existsSync)
// CI installs nginx, so there a missing one is a failure, not a skip.
const run = NGINX || process.env.CI ? describe : describe.skip
const PAGE = 'https://app.example.com'

let nginx: ChildProcess | undefined
let prefix: string | undefined
const sites: Site[] = []

/** Starts nginx in the foreground with `http` in http { } and `server` in a server { } on `port`; resolves once its worker runs. */
const startNginx = async (port: number, http: string, server: string) => {
  prefix ??= mkdtempSync(join(tmpdir(), 'followsocket-doctor-nginx-'))
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((name) => `${name}_temp_path ${prefix}/${name};`).join('\n  ')
  writeFileSync(
    join(prefix, 'nginx.conf'),
    `daemon off;\npid ${join(prefix, 'nginx.pid')};\nerror_log stderr notice;\nworker_processes 1;\nevents { worker_connections 64; }\n` +
      `http {\n  access_log off;\n  ${temp}\n${http}\n  server {\n    listen 127.0.0.1:${port};\n${server}\n  }\n}\n`,
  )
  const child = spawn(NGINX!, ['-p', prefix, '-c', join(prefix, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] })
  let log = ''
  await new Promise<void>((done, fail) => {
    child.stderr!.on('data', (chunk) => {
      log += chunk
      if (/start worker process \d+/.test(log)) done()
    })
    child.once('exit', (code) => fail(new Error(`nginx exited (${code}):\n${log}`)))
    child.once('error', fail)
  })
  return child
}

run('followsocket doctor, its nginx fix in a real nginx', () => {
  afterAll(async () => {
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((done) => nginx!.once('exit', done))
      nginx.kill('SIGQUIT')
      await exited
    }
    if (prefix) rmSync(prefix, { recursive: true, force: true })
    await Promise.all(sites.map((s) => s.close()))
  })

  it("takes the map and location it suggests for an Origin: null hop, and then passes", async () => {
    const open = async () => (sites[sites.push(await site()) - 1]!)
    // A → B → C, where C's /v2/live admits only the page: the hop that gets Origin: null.
    const b = await open()
    const c = await open()
    b.redirects = createRedirects({ rules: { '/v1/live': c.ws('/v2/live') }, origins: [PAGE] })
    c.redirects = createRedirects({ rules: { '/v2/live': c.ws('/v3/live') }, origins: [PAGE] })
    c.endpoint('/v3/live', [PAGE, 'null'])
    const before = await doctor('doctor', b.ws('/v1/live'), '--origin', PAGE, '--json')
    expect(before.code).toBe(1)
    const fix: string = JSON.parse(before.stdout).findings[0].fix.nginx
    const [http, server] = fix.split('# in server { }:\n') as [string, string]
    expect(http).toContain('map $http_origin $followsocket_cors')

    // nginx now answers /v2/live with exactly those lines, and B sends pages there.
    // A port can be taken between the probe and nginx's bind: try again once.
    let port = 0
    const start = async () => (nginx = await startNginx((port = await closedPort()), http.replace('# in http { }:\n', ''), server))
    await start().catch(start)
    b.redirects = createRedirects({ rules: { '/v1/live': `ws://127.0.0.1:${port}/v2/live` }, origins: [PAGE] })
    const after = await doctor('doctor', b.ws('/v1/live'), '--origin', PAGE)
    expect(after.stdout).toContain(`GET http://127.0.0.1:${port}/v2/live → 308 ${c.http('/v3/live')} · Origin: null, Access-Control-Allow-Origin: null`)
    expect(after.stdout).toContain(`✓ A browser page at ${PAGE} connects after 2 preflights`)
    expect(after.code).toBe(0)
  })
})
