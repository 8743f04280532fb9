// redirects.fetch() and createComeBackLater().fetch under the Fetch-API servers people run
// (docs/discovery.md#the-server-side): Bun.serve and Deno.serve, each a real runtime in a child
// process serving test/runtimes/*-server.mjs, which imports the built package by its name. The old
// path answers through redirects.fetch, the new one is the runtime's own WebSocket endpoint, and a
// followsocket client in Node goes from one to the other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect, type Connection, type RedirectInfo } from 'followsocket'
import { next, NodeWebSocket } from './clients'
import { RUNTIMES, startRuntime, type RuntimeServer } from './runtime'
import { get, upgrade } from './server'

const PAGE = 'https://app.example.com'

const SERVERS = [
  { name: 'Bun.serve', greeting: 'bun', ...RUNTIMES.bun, args: RUNTIMES.bun.args('bun-server.mjs') },
  { name: 'Deno.serve', greeting: 'deno', ...RUNTIMES.deno, args: RUNTIMES.deno.args('deno-server.mjs') },
]

for (const runtime of SERVERS) {
  if (!runtime.binary)
    console.warn(
      `skipping the ${runtime.name} tests: the ${runtime.greeting} runtime is not installed (pnpm install brings it)`,
    )

  describe.skipIf(!runtime.binary)(`redirects.fetch under ${runtime.name}`, () => {
    let server: RuntimeServer
    beforeAll(async () => {
      server = await startRuntime(runtime.binary!, runtime.args)
    }, 30000)
    afterAll(() => server?.stop())

    it('answers the GET of the old path with 308, the http: Location (query kept) and CORS for the page', async () => {
      const answer = await get(server.http('/v1/live?token=t'), { origin: PAGE })
      expect(answer.status).toBe(308)
      expect(answer.headers.location).toBe(server.http('/v2/live?token=t'))
      expect(answer.headers['access-control-allow-origin']).toBe(PAGE)
      expect(answer.headers.vary).toBe('Origin')
    })

    it('answers the upgrade of the old path with 308 and the Location as written (ws:)', async () => {
      const answer = await upgrade(server.ws('/v1/live'), { origin: PAGE }, { untilEnd: false })
      expect(answer.status).toBe(308)
      expect(answer.headers.location).toBe(server.ws('/v2/live'))
    })

    it('answers the GET and the upgrade of an endpoint under maintenance 503, Retry-After and CORS (createComeBackLater().fetch)', async () => {
      for (const answer of [
        await get(server.http('/maintenance'), { origin: PAGE }),
        await upgrade(server.ws('/maintenance'), { origin: PAGE }, { untilEnd: false }),
      ]) {
        expect(answer.status).toBe(503)
        expect(answer.headers['retry-after']).toBe('30')
        expect(answer.headers['access-control-allow-origin']).toBe(PAGE)
        expect(answer.headers['access-control-expose-headers']).toBe('Retry-After')
      }
    })

    it("lets a path no rule names through to the runtime's own handler", async () => {
      expect((await get(server.http('/v3/live'))).status).toBe(404)
    })

    it('a followsocket client in Node asking for the old path follows the 308 and talks to the endpoint', async () => {
      const c: Connection = connect(server.ws('/v1/live'), { WebSocket: NodeWebSocket, cache: false, reconnect: false })
      try {
        const redirects: RedirectInfo[] = []
        c.on('redirect', (r) => redirects.push(r))
        expect((await next(c, 'open')).url).toBe(server.ws('/v2/live'))
        expect(redirects).toEqual([
          {
            from: server.ws('/v1/live'),
            to: server.ws('/v2/live'),
            hops: [{ from: server.ws('/v1/live'), to: server.ws('/v2/live'), status: 308 }],
            via: 'preflight',
          },
        ])
        const reply = next(c, 'message')
        c.send('hello')
        expect((await reply).data).toMatch(new RegExp(`^${runtime.greeting} \\d+\\.\\d+\\.\\d+ got hello$`))
      } finally {
        c.close()
      }
    })
  })
}
