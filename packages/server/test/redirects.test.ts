// createRedirects(): one rule answers both requests a client makes to a moved endpoint, the
// preflight GET and the WebSocket upgrade (docs/discovery.md#the-server-side). Real node:http
// servers on 127.0.0.1, real requests: a plain GET through node:http, the handshake written on a
// raw TCP socket.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { afterEach, describe, expect, it, vi } from 'vitest'
import WebSocket from 'ws'
import { createRedirects, type Redirects } from '../src'
import { get, startServer, upgrade, type TestServer } from './server'

const servers: TestServer[] = []
const start = async (redirects?: Redirects) => {
  const server = await startServer(redirects)
  servers.push(server)
  return server
}
afterEach(async () => {
  vi.restoreAllMocks()
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

const TARGET = 'wss://live2.example.com/v2/live'

describe('one rule answers the GET and the upgrade alike', () => {
  it('answers both with 308 and one Location: http(s) for the GET, the target as written for the upgrade', async () => {
    const server = await start(createRedirects({ rules: { '/v1/live': TARGET } }))
    const plain = await get(server.http('/v1/live'))
    const handshake = await upgrade(server.ws('/v1/live'))
    expect(plain.status).toBe(308)
    expect(plain.headers.location).toBe('https://live2.example.com/v2/live')
    expect(handshake.status).toBe(308)
    expect(handshake.headers.location).toBe(TARGET)
    // A complete HTTP response on the raw socket, which the server then ended (upgrade() awaits the end).
    expect(handshake.raw).toMatch(/^HTTP\/1\.1 308 Permanent Redirect\r\n/)
    expect(handshake.headers['content-length']).toBe('0')
  })

  for (const status of [301, 302, 303, 307] as const)
    it(`answers both with status ${status} when configured`, async () => {
      const server = await start(createRedirects({ rules: { '/v1/live': TARGET }, status }))
      expect((await get(server.http('/v1/live'))).status).toBe(status)
      expect((await upgrade(server.ws('/v1/live'))).status).toBe(status)
    })

  it('keeps a target written as https: in that form for the upgrade, and maps ws: to http: for the GET', async () => {
    const server = await start(
      createRedirects({ rules: { '/a': 'https://live2.example.com/v2/live', '/b': 'ws://127.0.0.1:9/v2/live' } }),
    )
    expect((await get(server.http('/a'))).headers.location).toBe('https://live2.example.com/v2/live')
    expect((await upgrade(server.ws('/a'))).headers.location).toBe('https://live2.example.com/v2/live')
    expect((await get(server.http('/b'))).headers.location).toBe('http://127.0.0.1:9/v2/live')
    expect((await upgrade(server.ws('/b'))).headers.location).toBe('ws://127.0.0.1:9/v2/live')
  })

  it("keeps the request's query string on the target, after the target's own query", async () => {
    const server = await start(
      createRedirects({ rules: { '/v1/live': TARGET, '/eu/live': 'wss://live2.example.com/v2/live?region=eu' } }),
    )
    expect((await get(server.http('/v1/live?token=abc&room=7'))).headers.location).toBe(
      'https://live2.example.com/v2/live?token=abc&room=7',
    )
    expect((await upgrade(server.ws('/v1/live?token=abc&room=7'))).headers.location).toBe(`${TARGET}?token=abc&room=7`)
    expect((await get(server.http('/eu/live?token=abc'))).headers.location).toBe(
      'https://live2.example.com/v2/live?region=eu&token=abc',
    )
    expect((await upgrade(server.ws('/eu/live'))).headers.location).toBe('wss://live2.example.com/v2/live?region=eu')
  })

  it('answers HEAD like GET, and leaves other methods on a moved path to the app', async () => {
    const server = await start(createRedirects({ rules: { '/v1/live': TARGET } }))
    const head = await get(server.http('/v1/live'), {}, 'HEAD')
    expect(head.status).toBe(308)
    expect(head.headers.location).toBe('https://live2.example.com/v2/live')
    expect((await get(server.http('/v1/live'), {}, 'POST')).status).toBe(404)
    expect(server.count('/v1/live', 'other')).toBe(2)
  })
})

describe('requests no rule matches', () => {
  it('returns false and touches nothing: the app answers the GET and the endpoint takes the upgrade', async () => {
    const redirects = createRedirects({ rules: { '/v1/live': TARGET } })
    const server = await start()
    const endpoint = server.endpoint('/v2/live')
    const returned: boolean[] = []
    const untouched: boolean[] = []
    server.redirects = {
      ...redirects,
      request: (req, res) => {
        returned.push(redirects.request(req, res))
        untouched.push(!res.headersSent && res.getHeaderNames().length === 0)
        return returned.at(-1)!
      },
    }
    // The app's own answer to the GET of a live endpoint.
    expect((await get(server.http('/v2/live'))).status).toBe(426)
    // Exact paths only: neither a trailing slash nor a longer path is the moved one.
    expect((await get(server.http('/v1/live/'))).status).toBe(404)
    expect((await get(server.http('/v1/livestream'))).status).toBe(404)
    expect(returned).toEqual([false, false, false])
    expect(untouched).toEqual([true, true, true])
    // The upgrade falls through to the WebSocket endpoint, which opens.
    const client = new WebSocket(server.ws('/v2/live'))
    const [accepted] = await Promise.all([endpoint.nextConnection(), new Promise((done) => client.once('open', done))])
    expect(accepted.readyState).toBe(WebSocket.OPEN)
    client.close()
  })

  it('upgrade() returns false for a path no rule names, leaving the socket to the caller', async () => {
    const redirects = createRedirects({ rules: { '/v1/live': TARGET } })
    const server = await start()
    const results: boolean[] = []
    server.redirects = {
      ...redirects,
      upgrade: (req, socket, head) => {
        results.push(redirects.upgrade(req, socket, head))
        return false
      },
    }
    // Nothing answered by the redirects: the server's own 404 for unknown upgrades.
    expect((await upgrade(server.ws('/v2/live'))).status).toBe(404)
    expect(results).toEqual([false])
  })
})

describe('function rules', () => {
  const rooms = createRedirects({
    rules: (req) => {
      const { pathname } = new URL(req.url!, 'http://x')
      return pathname.startsWith('/rooms/') ? `wss://rooms.example.com${pathname}` : undefined
    },
  })

  it('redirect where the function says, and let the request through when it returns undefined', async () => {
    const server = await start(rooms)
    server.endpoint('/lobby')
    expect((await get(server.http('/rooms/42?token=t'))).headers.location).toBe(
      'https://rooms.example.com/rooms/42?token=t',
    )
    expect((await upgrade(server.ws('/rooms/42'))).headers.location).toBe('wss://rooms.example.com/rooms/42')
    expect((await get(server.http('/lobby'))).status).toBe(426)
  })

  it('accept a URL object as the target', async () => {
    const server = await start(createRedirects({ rules: () => new URL(TARGET) }))
    expect((await upgrade(server.ws('/anything'))).headers.location).toBe(TARGET)
  })

  it('answer 500 and report a FollowSocketConfigError when the function returns a bad target, without crashing the server', async () => {
    const reported: unknown[] = []
    vi.spyOn(console, 'error').mockImplementation((error) => void reported.push(error))
    const server = await start(
      createRedirects({ rules: (req) => (req.url!.includes('bad') ? 'ftp://files.example.com/' : undefined) }),
    )
    server.endpoint('/good')
    expect((await get(server.http('/bad'))).status).toBe(500)
    expect(reported).toHaveLength(1)
    expect(reported[0]).toMatchObject({ name: 'FollowSocketConfigError', field: 'rules(req) for /bad' })
    expect(String((reported[0] as Error).message)).toContain(
      '"ftp://files.example.com/" is not an absolute ws(s): or http(s): URL',
    )
    // The upgrade is dropped, and the server still serves other requests.
    await expect(upgrade(server.ws('/bad'))).resolves.toMatchObject({ raw: '' })
    expect(reported).toHaveLength(2)
    expect((await get(server.http('/good'))).status).toBe(426)
  })
})

describe('middleware (Express / Connect)', () => {
  /** What Connect and Express do with a middleware stack: next() runs the next one, next(error) answers 500. */
  const stack =
    (...layers: ((req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void)[]) =>
    (req: IncomingMessage, res: ServerResponse) => {
      let i = 0
      const next = (error?: unknown): void => {
        if (error) return void res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error))
        layers[i++]!(req, res, next)
      }
      next()
      return true
    }
  const app = (_req: IncomingMessage, res: ServerResponse) =>
    void res.writeHead(200, { 'content-type': 'text/plain' }).end('app')

  it('answers a moved path with the redirect and calls next() for everything else', async () => {
    const redirects = createRedirects({ rules: { '/v1/live': TARGET }, origins: ['https://app.example.com'] })
    const server = await start()
    server.app = stack(redirects.middleware, app)
    const moved = await get(server.http('/v1/live?x=1'), { origin: 'https://app.example.com' })
    expect(moved.status).toBe(308)
    expect(moved.headers.location).toBe('https://live2.example.com/v2/live?x=1')
    expect(moved.headers['access-control-allow-origin']).toBe('https://app.example.com')
    expect((await get(server.http('/other'))).status).toBe(200)
    expect((await get(server.http('/v1/live'), {}, 'POST')).status).toBe(200)
  })

  it("adds Origin to a Vary header an earlier middleware set, keeping that middleware's", async () => {
    const redirects = createRedirects({ rules: { '/v1/live': TARGET } })
    const server = await start()
    server.app = stack(
      (_req, res, next) => {
        res.setHeader('vary', 'Accept-Encoding')
        next()
      },
      redirects.middleware,
      app,
    )
    expect((await get(server.http('/v1/live'))).headers.vary).toBe('Accept-Encoding, Origin')
  })

  it('passes a function rule that throws to next(error), as Express expects', async () => {
    const redirects = createRedirects({
      rules: () => {
        throw new Error('rule broke')
      },
    })
    const server = await start()
    server.app = stack(redirects.middleware, app)
    expect((await get(server.http('/v1/live'))).status).toBe(500)
  })
})
