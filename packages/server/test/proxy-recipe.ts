// What every proxy recipe of the README must do, checked against the real proxy: redirect the
// moved path's preflight GET (http(s) Location, CORS) and its upgrade (ws(s) Location), proxy the
// WebSocket at the new path to a `ws` app (the lab's echo endpoint), pass followsocket doctor,
// and take a followsocket client from the old URL to the app. Written once, run per proxy.
import { startLab, type Endpoint, type Lab } from '@followsocket/lab'
import { connect, type RedirectInfo } from 'followsocket'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { doctor } from '../../core/test/doctor/support'
import { NodeWebSocket } from './clients'
import { get, upgrade } from './server'

const PAGE = 'https://app.example.com'

/** A running proxy, started from a README block made to listen on `port`. */
export interface Proxy {
  readonly port: number
  stop(): Promise<void>
}

/**
 * A README block (target host live.example.com, listening on 8080, the app on 127.0.0.1:9001)
 * made concrete for a test: the target is the proxy itself at `port`, over plain http/ws, and
 * the app is `appPort`. Throws when the block no longer has what it replaces.
 */
export const localized = (block: string, port: number, appPort: number, listen: [string, string]): string => {
  for (const needle of [listen[0], 'https://live.example.com', 'wss://live.example.com', '127.0.0.1:9001'])
    if (!block.includes(needle)) throw new Error(`the README block no longer has ${needle}: update this test`)
  return block
    .replaceAll(listen[0], listen[1])
    .replaceAll('https://live.example.com', `http://127.0.0.1:${port}`)
    .replaceAll('wss://live.example.com', `ws://127.0.0.1:${port}`)
    .replaceAll('127.0.0.1:9001', `127.0.0.1:${appPort}`)
}

export function proxyRecipeSpecs(name: string, installed: boolean, start: (appPort: number) => Promise<Proxy>) {
  // CI installs the proxies (.ci/run), so there a missing one is a failure, not a skip.
  const run = installed || process.env.CI ? describe : describe.skip
  if (!installed && !process.env.CI)
    console.log(
      `skipped: the README's ${name} recipe (${name.toLowerCase()} is not installed; .ci/run installs it on Debian)`,
    )

  run(`the README's ${name} recipe, on a real ${name}`, () => {
    let lab: Lab
    let app: Endpoint
    let proxy: Proxy
    beforeAll(async () => {
      lab = await startLab()
      app = lab.endpoint('/v2/live')
      proxy = await start(lab.port)
    }, 15000)
    afterAll(async () => {
      await proxy?.stop()
      await lab?.close()
    })

    const url = (path: string, scheme = 'http') => `${scheme}://127.0.0.1:${proxy.port}${path}`

    it('answers the preflight GET with 308, an http(s) Location with the query kept, and CORS for a listed origin', async () => {
      const answer = await get(url('/v1/live?token=abc'), { origin: PAGE })
      expect(answer.status).toBe(308)
      expect(answer.headers.location).toBe(url('/v2/live?token=abc'))
      expect(answer.headers['access-control-allow-origin']).toBe(PAGE)
      expect(answer.headers.vary).toBe('Origin')
    })

    it('admits Origin: null, and redirects an origin not listed without Access-Control-Allow-Origin', async () => {
      expect((await get(url('/v1/live'), { origin: 'null' })).headers['access-control-allow-origin']).toBe('null')
      const refused = await get(url('/v1/live'), { origin: 'https://evil.example.net' })
      expect(refused.status).toBe(308)
      expect(refused.headers.location).toBe(url('/v2/live'))
      expect(refused.headers['access-control-allow-origin']).toBeUndefined()
      expect(refused.headers.vary).toBe('Origin')
    })

    it('answers the upgrade of the moved path with 308 and the ws(s) Location as written, query kept', async () => {
      const handshake = await upgrade(url('/v1/live?token=abc', 'ws'), { origin: PAGE }, { untilEnd: false })
      expect(handshake.status).toBe(308)
      expect(handshake.headers.location).toBe(url('/v2/live?token=abc', 'ws'))
    })

    it('proxies the WebSocket handshake at the new path to the app (101)', async () => {
      const handshake = await upgrade(url('/v2/live', 'ws'), {}, { untilEnd: false })
      expect(handshake.status).toBe(101)
      expect(handshake.headers['sec-websocket-accept']).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=')
    })

    it(`passes followsocket doctor --origin ${PAGE}: a browser connects after 1 preflight`, async () => {
      const run = await doctor('doctor', url('/v1/live', 'ws'), '--origin', PAGE)
      expect(run.stdout, run.stdout).toContain(`A browser page at ${PAGE} connects after 1 preflight`)
      expect(run.code).toBe(0)
    })

    it('takes a followsocket client from /v1/live through the redirect to the app, and a message there and back', async () => {
      const c = connect(url('/v1/live', 'ws'), { WebSocket: NodeWebSocket, cache: false, reconnect: false })
      const redirected = new Promise<RedirectInfo>((done) => c.on('redirect', done))
      const opened = new Promise<string>((done, fail) => {
        c.on('open', ({ url }) => done(url))
        c.on('error', fail)
      })
      expect(await opened).toBe(url('/v2/live', 'ws'))
      expect(await redirected).toMatchObject({ via: 'preflight', to: url('/v2/live', 'ws') })
      const echoed = new Promise((done) => c.on('message', ({ data }) => done(data)))
      c.send('hello through the proxy')
      expect(String(await echoed)).toBe('hello through the proxy')
      expect(app.received).toContain('hello through the proxy')
      c.close()
    })
  })
}
