// The README's nginx recipe, run: a real nginx on a runtime port with exactly the two nginx
// blocks of README.md, answering the preflight GET and the upgrade as createRedirects does.
// .ci/run installs nginx (Debian) when it is missing; elsewhere the test is skipped without it.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { get, upgrade } from './server'

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx', '/usr/local/sbin/nginx', '/usr/local/bin/nginx'].find(existsSync)
// CI installs nginx, so there a missing one is a failure, not a skip.
const run = NGINX || process.env.CI ? describe : describe.skip

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const [httpBlock, serverBlock] = [...readme.matchAll(/```nginx\n([\s\S]*?)```/g)].map((m) => m[1]!)

/** A port nothing listens on right now. */
const freePort = () =>
  new Promise<number>((done) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => done(port))
    })
  })

let nginx: ChildProcess | undefined
let prefix: string
let port: number

/** Starts nginx in the foreground; resolves once its worker runs, rejects with its log if it exits. */
const startNginx = async () => {
  port = await freePort()
  writeFileSync(
    join(prefix, 'nginx.conf'),
    `daemon off;
pid ${join(prefix, 'nginx.pid')};
error_log stderr notice;
worker_processes 1;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
${httpBlock}
  server {
    listen 127.0.0.1:${port};
${serverBlock}
  }
}
`,
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

run("the README's nginx recipe", () => {
  beforeAll(async () => {
    if (!NGINX) throw new Error('nginx is not installed: .ci/run installs it with apt-get on Debian')
    prefix = mkdtempSync(join(tmpdir(), 'followsocket-nginx-'))
    // A port can be taken between the probe and nginx's bind: try again once.
    nginx = await startNginx().catch(startNginx)
  }, 15000)

  afterAll(async () => {
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((done) => nginx!.once('exit', done))
      nginx.kill('SIGQUIT')
      await exited
    }
    if (prefix) rmSync(prefix, { recursive: true, force: true })
  })

  const url = (path: string, scheme = 'http') => `${scheme}://127.0.0.1:${port}${path}`

  it('answers the preflight GET with 308, the Location with the query kept, and CORS for a listed origin', async () => {
    const answer = await get(url('/v1/live?token=abc'), { origin: 'https://app.example.com' })
    expect(answer.status).toBe(308)
    expect(answer.headers.location).toBe('https://live2.example.com/v2/live?token=abc')
    expect(answer.headers['access-control-allow-origin']).toBe('https://app.example.com')
    expect(answer.headers.vary).toBe('Origin')
  })

  it("admits Origin: null, and redirects an origin not listed without Access-Control-Allow-Origin", async () => {
    expect((await get(url('/v1/live'), { origin: 'null' })).headers['access-control-allow-origin']).toBe('null')
    const refused = await get(url('/v1/live'), { origin: 'https://evil.example.net' })
    expect(refused.status).toBe(308)
    expect(refused.headers.location).toBe('https://live2.example.com/v2/live')
    expect(refused.headers['access-control-allow-origin']).toBeUndefined()
    expect(refused.headers.vary).toBe('Origin')
  })

  it('answers the upgrade with the same status and Location as the GET', async () => {
    const plain = await get(url('/v1/live?token=abc'))
    const handshake = await upgrade(url('/v1/live?token=abc', 'ws'), {}, { untilEnd: false })
    expect(handshake.status).toBe(plain.status)
    expect(handshake.headers.location).toBe(plain.headers.location)
  })
})
