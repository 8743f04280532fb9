// drainClients(): hand a backend's open clients to the rest of a fleet before it stops
// (docs/moves.md#draining-a-backend). Real `ws` endpoints and clients on 127.0.0.1; the core client
// (`followsocket`) for what a followsocket user sees.
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { connect, type Connection } from 'followsocket'
import { drainClients, FollowSocketConfigError, moveClients } from '../src'
import { closeAt } from '../src/move'
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

const connectMany = async (path: string, count: number) => {
  const endpoint = server.endpoint(path)
  for (let i = 0; i < count; i++) {
    const [client] = await Promise.all([openClient(server.ws(path)), endpoint.nextConnection()])
    clients.push(client)
  }
  return { endpoint, clients: clients.slice(-count) }
}

describe('drainClients(): the close frames', () => {
  it('closes each open client with 1012 (Service Restart) and no reason, resolving once every closing handshake is done', async () => {
    server = await startServer()
    const { endpoint, clients } = await connectMany('/live', 3)
    const closes = clients.map(closeOf)
    expect(await drainClients(endpoint.wss.clients)).toEqual({ drained: 3 })
    // Done, not merely sent: what a client sent before its close frame has been received.
    for (const socket of endpoint.sockets) expect(socket.readyState).toBe(WebSocket.CLOSED)
    for (const close of await Promise.all(closes)) expect(close).toMatchObject({ code: 1012, reason: '' })
  })

  it('receives what a client sent just before its close frame, before it resolves', async () => {
    server = await startServer()
    const { endpoint, clients } = await connectMany('/live', 1)
    const received: string[] = []
    endpoint.sockets[0]!.on('message', (data) => received.push(String(data)))
    // On the wire the client's message comes before its answer to the close frame.
    endpoint.sockets[0]!.once('close', () => received.push('closed'))
    clients[0]!.send('last words')
    await drainClients(endpoint.sockets)
    expect(received).toEqual(['last words', 'closed'])
  })

  it('spreads the closes over spreadMs like moveClients, and takes another code from options.code', async () => {
    server = await startServer()
    const COUNT = 6
    const SPREAD = 300
    const { endpoint, clients } = await connectMany('/live', COUNT)
    const closes = clients.map(closeOf)
    const started = performance.now()
    expect(await drainClients(endpoint.sockets, { spreadMs: SPREAD, code: 1001 })).toEqual({ drained: COUNT })
    const received = await Promise.all(closes)
    received.forEach((close, i) => {
      expect(close.code).toBe(1001)
      expect(close.at - started).toBeGreaterThanOrEqual(closeAt(i, COUNT, SPREAD))
    })
  })

  it('skips clients that are no longer open, and rejects bad options with a FollowSocketConfigError naming them', async () => {
    server = await startServer()
    const { endpoint, clients } = await connectMany('/live', 2)
    const gone = new Promise((done) => endpoint.sockets[0]!.once('close', done))
    clients[0]!.terminate()
    await gone
    await expect(drainClients(endpoint.sockets, { spreadMs: -1 })).rejects.toMatchObject({ field: 'spreadMs' })
    await expect(drainClients(endpoint.sockets, { code: 1006 })).rejects.toBeInstanceOf(FollowSocketConfigError)
    await expect(drainClients(endpoint.sockets, { spread: 10 } as never)).rejects.toMatchObject({ field: 'spread' })
    expect(endpoint.sockets[1]!.readyState).toBe(WebSocket.OPEN)
    expect(await drainClients(endpoint.sockets)).toEqual({ drained: 1 })
  })
})

describe('followsocket clients behind a load balancer', () => {
  it('reconnect to the URL they asked for after one short back-off wait, without a preflight', async () => {
    server = await startServer()
    const endpoint = server.endpoint('/live')
    const c = connect(server.ws('/live'), { WebSocket: NodeWebSocket, cache: false })
    connections.push(c)
    await Promise.all([next(c, 'open'), endpoint.nextConnection()])
    const close = next(c, 'close')
    const waiting = next(c, 'reconnecting')
    const reopened = next(c, 'open')
    await drainClients(endpoint.sockets)
    expect(await close).toMatchObject({ code: 1012, willReconnect: true })
    // The first wait of the default back-off: uniform in [0, minDelayMs = 500].
    expect((await waiting).delayMs).toBeLessThanOrEqual(500)
    expect((await reopened).url).toBe(server.ws('/live'))
    expect(endpoint.sockets).toHaveLength(2)
    expect(server.count('/live', 'get')).toBe(0)
  })

  it('whereas a 4308 to that same URL brings them back at once, with no back-off to spread them (why drain sends 1012)', async () => {
    server = await startServer()
    const endpoint = server.endpoint('/live')
    const c = connect(server.ws('/live'), { WebSocket: NodeWebSocket, cache: false })
    connections.push(c)
    await Promise.all([next(c, 'open'), endpoint.nextConnection()])
    const events: string[] = []
    c.on('reconnecting', () => events.push('reconnecting'))
    c.on('error', (error) => events.push(error.code))
    const reopened = next(c, 'open')
    await moveClients(endpoint.sockets, server.ws('/live'))
    expect((await reopened).url).toBe(server.ws('/live'))
    // A move is followed at once (the first since the connection was healthy): no wait at all.
    expect(events).toEqual([])
  })
})
