// moveClients(): close code 4308 with the new URL as the reason means "this endpoint moved,
// reconnect there" (docs/moves.md). Real `ws` endpoints and clients on 127.0.0.1; the core client
// (`followsocket`) for what a followsocket user sees.
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { connect, type Connection, type RedirectInfo } from 'followsocket'
import { createRedirects, FollowSocketConfigError, moveClients } from '../src'
import { closeAt, moveReason } from '../src/move'
import { closeOf, next, NodeWebSocket, openClient } from './clients'
import { startServer, type TestServer } from './server'

let server: TestServer
const connections: Connection[] = []
const clients: WebSocket[] = []
afterEach(async () => {
  for (const c of connections.splice(0)) c.close()
  for (const c of clients.splice(0)) c.terminate()
  await server?.close()
})

/** `count` raw clients connected to `path`, in order, with their server-side sockets in the same order. */
const connectMany = async (path: string, count: number) => {
  const endpoint = server.endpoint(path)
  for (let i = 0; i < count; i++) {
    const [client] = await Promise.all([openClient(server.ws(path)), endpoint.nextConnection()])
    clients.push(client)
  }
  return { endpoint, clients: clients.slice(-count) }
}

/** A ws: URL on the test server whose href is exactly `bytes` long. */
const urlOfLength = (bytes: number) => {
  const base = server.ws('/moved/')
  return base + 'x'.repeat(bytes - base.length)
}

describe('moveClients(): the close frame', () => {
  it('closes each open client with 4308 and the URL as the reason, and resolves { moved }', async () => {
    server = await startServer()
    const { endpoint, clients } = await connectMany('/v1/live', 3)
    const closes = clients.map(closeOf)
    expect(await moveClients(endpoint.wss.clients, 'wss://live2.example.com/v2/live')).toEqual({ moved: 3 })
    for (const close of await Promise.all(closes))
      expect(close).toMatchObject({ code: 4308, reason: 'wss://live2.example.com/v2/live' })
  })

  it('sends the close code given in options.code', async () => {
    server = await startServer()
    const { endpoint, clients } = await connectMany('/v1/live', 1)
    const close = closeOf(clients[0]!)
    await moveClients(endpoint.sockets, 'wss://live2.example.com/v2/live', { code: 4000 })
    expect(await close).toMatchObject({ code: 4000, reason: 'wss://live2.example.com/v2/live' })
  })

  it('keeps a URL of exactly 123 bytes as the reason and sends an empty reason for 124', async () => {
    server = await startServer()
    const { endpoint, clients } = await connectMany('/v1/live', 2)
    const [fits, long] = [urlOfLength(123), urlOfLength(124)]
    expect(moveReason(new URL(fits))).toBe(fits)
    expect(moveReason(new URL(long))).toBe('')
    const closes = clients.map(closeOf)
    await moveClients([endpoint.sockets[0]!], fits)
    await moveClients([endpoint.sockets[1]!], long)
    expect(await Promise.all(closes)).toMatchObject([
      { code: 4308, reason: fits },
      { code: 4308, reason: '' },
    ])
  })

  it('skips clients that are no longer open and does not count them', async () => {
    server = await startServer()
    const { endpoint, clients } = await connectMany('/v1/live', 3)
    const gone = new Promise((done) => endpoint.sockets[1]!.once('close', done))
    clients[1]!.terminate()
    await gone
    expect(await moveClients(endpoint.sockets, 'wss://live2.example.com/v2/live')).toEqual({ moved: 2 })
  })

  it('rejects a bad URL or option with a FollowSocketConfigError naming it, closing nobody', async () => {
    server = await startServer()
    const { endpoint } = await connectMany('/v1/live', 1)
    await expect(moveClients(endpoint.sockets, '/v2/live')).rejects.toMatchObject({ field: 'url' })
    await expect(moveClients(endpoint.sockets, 'ftp://x.example.com/')).rejects.toBeInstanceOf(FollowSocketConfigError)
    await expect(moveClients(endpoint.sockets, 'wss://x.example.com/', { spreadMs: -1 })).rejects.toMatchObject({
      field: 'spreadMs',
    })
    await expect(moveClients(endpoint.sockets, 'wss://x.example.com/', { code: 1006 })).rejects.toMatchObject({
      field: 'code',
    })
    expect(endpoint.sockets[0]!.readyState).toBe(WebSocket.OPEN)
  })
})

describe('moveClients(): spreadMs', () => {
  it('spaces the closes evenly over [0, spreadMs)', () => {
    expect([0, 1, 2, 3].map((i) => closeAt(i, 4, 1000))).toEqual([0, 250, 500, 750])
    expect(closeAt(0, 1, 1000)).toBe(0)
    expect(closeAt(5, 10, 0)).toBe(0)
  })

  it('closes client i no earlier than its turn and all within the window, resolving after the last close was sent', async () => {
    server = await startServer()
    const COUNT = 8
    const SPREAD = 400
    // Generous for a loaded two-core machine: lateness is possible, earliness is not.
    const SLACK = 3000
    const { endpoint, clients } = await connectMany('/v1/live', COUNT)
    const closes = clients.map(closeOf)
    const started = performance.now()
    const { moved } = await moveClients(endpoint.sockets, 'wss://live2.example.com/v2/live', { spreadMs: SPREAD })
    const resolved = performance.now() - started
    expect(moved).toBe(COUNT)
    // Every close frame was sent (the socket is closing or closed) by the time the promise resolved.
    for (const socket of endpoint.sockets) expect([WebSocket.CLOSING, WebSocket.CLOSED]).toContain(socket.readyState)
    expect(resolved).toBeGreaterThanOrEqual(closeAt(COUNT - 1, COUNT, SPREAD))
    const received = (await Promise.all(closes)).map((c) => c.at - started)
    // Each client saw its close frame no earlier than its turn: the closes really were spread.
    received.forEach((at, i) => expect(at).toBeGreaterThanOrEqual(closeAt(i, COUNT, SPREAD)))
    // The first went out at once and the last within the window.
    expect(received[0]).toBeLessThanOrEqual(SLACK)
    expect(Math.max(...received)).toBeLessThanOrEqual(SPREAD + SLACK)
  })
})

describe('followsocket clients follow the move', () => {
  it('a 4308 with the URL moves the core client there at once: redirect via close-frame, no preflight', async () => {
    server = await startServer()
    const old = server.endpoint('/v1/live')
    const moved = server.endpoint('/v2/live')
    const c = connect(server.ws('/v1/live'), { WebSocket: NodeWebSocket, cache: false })
    connections.push(c)
    await Promise.all([next(c, 'open'), old.nextConnection()])
    const redirect = next(c, 'redirect')
    const reopened = next(c, 'open')
    const close = next(c, 'close')
    await moveClients(old.sockets, server.ws('/v2/live'))
    expect(await close).toMatchObject({ code: 4308, reason: server.ws('/v2/live'), willReconnect: true })
    expect(await redirect).toEqual<RedirectInfo>({
      from: server.ws('/v1/live'),
      to: server.ws('/v2/live'),
      hops: [{ from: server.ws('/v1/live'), to: server.ws('/v2/live') }],
      via: 'close-frame',
    })
    expect((await reopened).url).toBe(server.ws('/v2/live'))
    expect(moved.sockets).toHaveLength(1)
    expect(server.count('/v1/live', 'get') + server.count('/v2/live', 'get')).toBe(0)
  })

  it('a URL over 123 bytes goes as an empty reason, and the core client rediscovers it through the redirect', async () => {
    server = await startServer()
    const old = server.endpoint('/v1/live')
    const c = connect(server.ws('/v1/live'), { WebSocket: NodeWebSocket, cache: false })
    connections.push(c)
    await Promise.all([next(c, 'open'), old.nextConnection()])
    // The endpoint moves to a long URL: the redirect goes in place first, then the clients are told.
    const long = urlOfLength(160)
    const target = server.endpoint(new URL(long).pathname)
    server.redirects = createRedirects({ rules: { '/v1/live': long } })
    const close = next(c, 'close')
    const redirect = next(c, 'redirect')
    const reopened = next(c, 'open')
    expect(await moveClients(old.sockets, long)).toEqual({ moved: 1 })
    expect(await close).toMatchObject({ code: 4308, reason: '', willReconnect: true })
    expect(await redirect).toMatchObject({ from: server.ws('/v1/live'), to: long, via: 'preflight' })
    expect((await reopened).url).toBe(long)
    expect(target.sockets).toHaveLength(1)
    expect(server.count('/v1/live', 'get')).toBe(1)
  })
})
