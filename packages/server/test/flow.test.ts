// The whole redirect, as a followsocket client in Node meets it: a server using createRedirects
// for both requests, the core client (`followsocket`) on `ws`, Node's own fetch. A cold 308 costs
// at most one preflight per hop plus one handshake (docs/discovery.md#the-preflight).
import { afterEach, describe, expect, it } from 'vitest'
import { connect, type Connection, type RedirectInfo } from 'followsocket'
import { createRedirects } from '../src'
import { next, NodeWebSocket } from './clients'
import { startServer, type TestServer } from './server'

let server: TestServer | undefined
const connections: Connection[] = []
afterEach(async () => {
  for (const c of connections.splice(0)) c.close()
  await server?.close()
})

describe('a followsocket client behind createRedirects', () => {
  it('asking for the old path, opens at the new one after exactly one preflight', async () => {
    server = await startServer()
    const endpoint = server.endpoint('/v2/live')
    server.redirects = createRedirects({ rules: { '/v1/live': server.ws('/v2/live') } })
    const c = connect(server.ws('/v1/live'), { WebSocket: NodeWebSocket, cache: false, reconnect: false })
    connections.push(c)
    const redirects: RedirectInfo[] = []
    c.on('redirect', (r) => redirects.push(r))
    const [opened] = await Promise.all([next(c, 'open'), endpoint.nextConnection()])
    expect(opened.url).toBe(server.ws('/v2/live'))
    expect(redirects).toEqual([
      {
        from: server.ws('/v1/live'),
        to: server.ws('/v2/live'),
        hops: [{ from: server.ws('/v1/live'), to: server.ws('/v2/live'), status: 308 }],
        via: 'preflight',
      },
    ])
    // 'auto': the direct handshake met the 308, one preflight found the target, one handshake there.
    expect(server.count('/v1/live', 'upgrade')).toBe(1)
    expect(server.count('/v1/live', 'get')).toBe(1)
    expect(server.count('/v2/live', 'get')).toBe(1)
    expect(server.count('/v2/live', 'upgrade')).toBe(1)
  })

  it('carries the query string (a token) through the move to the endpoint', async () => {
    server = await startServer()
    const endpoint = server.endpoint('/v2/live')
    server.redirects = createRedirects({ rules: { '/v1/live': server.http('/v2/live') } })
    const urls: string[] = []
    endpoint.wss.on('connection', (_ws, req) => urls.push(req.url!))
    const c = connect(server.ws('/v1/live?token=abc'), {
      WebSocket: NodeWebSocket,
      cache: false,
      reconnect: false,
      discovery: 'preflight',
    })
    connections.push(c)
    expect((await next(c, 'open')).url).toBe(server.ws('/v2/live?token=abc'))
    expect(urls).toEqual(['/v2/live?token=abc'])
    expect(server.count('/v1/live', 'upgrade')).toBe(0)
  })
})
