// close() is final (docs/failure-path.md#close): what it leaves behind when the server does not
// answer. Real servers on 127.0.0.1 that take a request and never answer it.
import { createHash } from 'node:crypto'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { connect, FollowWebSocket, type Connection } from '../src'
import { next, NodeWebSocket } from './helpers'

let server: Server | undefined
const open: Connection[] = []
afterEach(async () => {
  for (const c of open.splice(0)) c.close()
  for (const socket of upgraded.splice(0)) socket.destroy()
  server?.closeAllConnections()
  await new Promise((done) => server?.close(done) ?? done(undefined))
  server = undefined
})

/** A server that takes every GET and never answers it; resolves each request as it arrives. */
const silentServer = async () => {
  const requests: IncomingMessage[] = []
  const waiting: ((req: IncomingMessage) => void)[] = []
  server = createServer((req) => {
    requests.push(req)
    waiting.shift()?.(req)
  })
  await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done))
  const { port } = server.address() as { port: number }
  return {
    url: `ws://127.0.0.1:${port}/live`,
    nextRequest: () =>
      new Promise<IncomingMessage>((done) => (requests.length ? done(requests.shift()!) : waiting.push(done))),
  }
}

/** Resolves when the client side of `req` goes away: the server sees its connection close. */
const gone = (req: IncomingMessage) =>
  new Promise<void>((done) => (req.socket.destroyed ? done() : req.socket.once('close', () => done())))

describe('close() aborts a preflight in flight', () => {
  it('connect(): the GET the server never answers is dropped by the client at close(), and the state is closed', async () => {
    const s = await silentServer()
    const c = connect(s.url, {
      WebSocket: NodeWebSocket,
      discovery: 'preflight',
      cache: false,
      preflight: { timeoutMs: 60_000 },
    })
    open.push(c)
    const req = await s.nextRequest()
    const closed = next(c, 'state', (state) => state === 'closed')
    c.close()
    await Promise.all([gone(req), closed])
    expect(c.state).toBe('closed')
  })

  it('FollowWebSocket: the same, and its close event says 1006', async () => {
    const s = await silentServer()
    const ws = new (FollowWebSocket.with({
      WebSocket: NodeWebSocket,
      discovery: 'preflight',
      cache: false,
      preflight: { timeoutMs: 60_000 },
    }))(s.url)
    const req = await s.nextRequest()
    const close = new Promise<CloseEvent>((done) => ws.addEventListener('close', (event) => done(event as CloseEvent)))
    ws.close()
    await gone(req)
    expect((await close).code).toBe(1006)
  })
})

/**
 * A WebSocket server that completes the opening handshake (101) and then never reads or writes
 * again: no close frame back, no pong. Resolves each server-side socket as it is taken.
 */
const upgraded: Duplex[] = []
const mute = async () => {
  const sockets: Duplex[] = []
  server = createServer()
  server.on('upgrade', (req, socket: Duplex) => {
    const accept = createHash('sha1')
      .update(`${req.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
      .digest('base64')
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    )
    socket.on('data', () => {}) // read and ignore everything
    sockets.push(socket)
    upgraded.push(socket)
  })
  await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done))
  const { port } = server.address() as { port: number }
  return { url: `ws://127.0.0.1:${port}/live`, sockets }
}

/** Resolves when the client has ended its side of the TCP connection (its FIN, or a reset). */
const ended = (socket: Duplex) =>
  new Promise<void>((done) => {
    if (socket.destroyed || socket.readableEnded) return done()
    socket.once('end', () => done())
    socket.once('close', () => done())
  })

describe('close() is prompt against a server that never finishes the closing handshake (Node)', () => {
  it('the state reaches closed, with a close event, and the TCP connection is gone within about a second', async () => {
    const s = await mute()
    const c = connect(s.url, { WebSocket: NodeWebSocket, cache: false })
    open.push(c)
    await next(c, 'open')
    const closed = next(c, 'close')
    const started = performance.now()
    c.close()
    expect(c.state).toBe('closing')
    await Promise.all([closed, ended(s.sockets[0]!)])
    expect(c.state).toBe('closed')
    // `ws` alone would wait 30 s for the server's close frame.
    expect(performance.now() - started).toBeLessThan(3000)
  })

  it('FollowWebSocket too: close() ends the socket after a second, with a close event (1006)', async () => {
    const s = await mute()
    const ws = new (FollowWebSocket.with({ WebSocket: NodeWebSocket, discovery: 'off', cache: false }))(s.url)
    await new Promise((done) => ws.addEventListener('open', done))
    const close = new Promise<CloseEvent>((done) => ws.addEventListener('close', (event) => done(event as CloseEvent)))
    const started = performance.now()
    ws.close()
    expect(ws.readyState).toBe(ws.CLOSING)
    const [event] = await Promise.all([close, ended(s.sockets[0]!)])
    expect(event).toMatchObject({ code: 1006, wasClean: false })
    expect(ws.readyState).toBe(ws.CLOSED)
    expect(performance.now() - started).toBeLessThan(3000)
  })

  it('a socket dropped for a missed heartbeat is ended at once: the server sees its TCP connection close', async () => {
    const s = await mute()
    const c = connect(s.url, {
      WebSocket: NodeWebSocket,
      cache: false,
      heartbeat: { intervalMs: 50, timeoutMs: 50 },
      reconnect: false,
    })
    open.push(c)
    await next(c, 'open')
    const error = next(c, 'error')
    expect((await error).code).toBe('HEARTBEAT_TIMEOUT')
    await ended(s.sockets[0]!)
  })
})
