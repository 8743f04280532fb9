// close() is final (SPEC §3): what it leaves behind when the server does not answer. Real
// servers on 127.0.0.1 that take a request and never answer it.
import { createServer, type IncomingMessage, type Server } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { connect, FollowWebSocket, type Connection } from '../src'
import { next, NodeWebSocket } from './helpers'

let server: Server | undefined
const open: Connection[] = []
afterEach(async () => {
  for (const c of open.splice(0)) c.close()
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
    nextRequest: () => new Promise<IncomingMessage>((done) => (requests.length ? done(requests.shift()!) : waiting.push(done))),
  }
}

/** Resolves when the client side of `req` goes away: the server sees its connection close. */
const gone = (req: IncomingMessage) => new Promise<void>((done) => (req.socket.destroyed ? done() : req.socket.once('close', () => done())))

describe('close() aborts a preflight in flight', () => {
  it('connect(): the GET the server never answers is dropped by the client at close(), and the state is closed', async () => {
    const s = await silentServer()
    const c = connect(s.url, { WebSocket: NodeWebSocket, discovery: 'preflight', cache: false, preflight: { timeoutMs: 60_000 } })
    open.push(c)
    const req = await s.nextRequest()
    const closed = next(c, 'state', (state) => state === 'closed')
    c.close()
    await Promise.all([gone(req), closed])
    expect(c.state).toBe('closed')
  })

  it('FollowWebSocket: the same, and its close event says 1006', async () => {
    const s = await silentServer()
    const ws = new (FollowWebSocket.with({ WebSocket: NodeWebSocket, discovery: 'preflight', cache: false, preflight: { timeoutMs: 60_000 } }))(s.url)
    const req = await s.nextRequest()
    const close = new Promise<CloseEvent>((done) => ws.addEventListener('close', (event) => done(event as CloseEvent)))
    ws.close()
    await gone(req)
    expect((await close).code).toBe(1006)
  })
})
