// redirects.fetch in a Hono app on @hono/node-server (docs/discovery.md#the-server-side): one
// `app.use` answers the moved path's GET and its WebSocket upgrade alike, because the node-server
// hands upgrades to the app too (its `websocket.server` option, with a `ws` server behind
// upgradeWebSocket), and writes the app's Response (status, Location) as the handshake's answer. A
// followsocket client in Node asks for the old path and talks to the ws endpoint at the new one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAdaptorServer, upgradeWebSocket } from '@hono/node-server'
import { Hono } from 'hono'
import type { Server } from 'node:http'
import { WebSocketServer } from 'ws'
import { connect, type RedirectInfo } from 'followsocket'
import { createRedirects } from '../src'
import { next, NodeWebSocket } from './clients'
import { get, upgrade } from './server'

const PAGE = 'https://app.example.com'
let server: Server
let base: string
const ws = (path: string) => `ws://${base}${path}`
const http = (path: string) => `http://${base}${path}`

beforeAll(async () => {
  const app = new Hono()
  const wss = new WebSocketServer({ noServer: true })
  server = createAdaptorServer({ fetch: app.fetch, websocket: { server: wss } }) as Server
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  base = `127.0.0.1:${(server.address() as { port: number }).port}`
  const redirects = createRedirects({ rules: { '/v1/live': ws('/v2/live') }, origins: [PAGE] })

  // The README's Hono recipe: the redirects answer first, for the GET and the upgrade alike.
  app.use(async (c, next) => redirects.fetch(c.req.raw) ?? next())
  app.get(
    '/v2/live',
    upgradeWebSocket(() => ({
      onMessage: (event, socket) => socket.send(`hono got ${String(event.data)}`),
    })),
  )
  app.get('/v2/live', (c) => c.text('upgrade required', 426))
})
afterAll(
  () =>
    new Promise<void>((done) => {
      server.closeAllConnections()
      server.close(() => done())
    }),
)

describe('redirects.fetch in a Hono app on @hono/node-server', () => {
  it('answers the GET of the old path with 308, the http: Location and CORS for the page', async () => {
    const answer = await get(http('/v1/live?token=t'), { origin: PAGE })
    expect(answer.status).toBe(308)
    expect(answer.headers.location).toBe(http('/v2/live?token=t'))
    expect(answer.headers['access-control-allow-origin']).toBe(PAGE)
  })

  it('answers the upgrade of the old path with 308 and the Location as written (ws:)', async () => {
    const answer = await upgrade(ws('/v1/live'))
    expect(answer.status).toBe(308)
    expect(answer.headers.location).toBe(ws('/v2/live'))
  })

  it('a followsocket client in Node asking for the old path follows the 308 and talks to the ws endpoint', async () => {
    const c = connect(ws('/v1/live'), { WebSocket: NodeWebSocket, cache: false, reconnect: false })
    try {
      const redirects: RedirectInfo[] = []
      c.on('redirect', (r) => redirects.push(r))
      expect((await next(c, 'open')).url).toBe(ws('/v2/live'))
      expect(redirects).toEqual([
        {
          from: ws('/v1/live'),
          to: ws('/v2/live'),
          hops: [{ from: ws('/v1/live'), to: ws('/v2/live'), status: 308 }],
          via: 'preflight',
        },
      ])
      const reply = next(c, 'message')
      c.send('hello')
      expect((await reply).data).toBe('hono got hello')
    } finally {
      c.close()
    }
  })
})
