// Liveness (docs/failure-path.md#liveness; options heartbeat, connectTimeoutMs): a server that goes
// silent after a ping is given up on with HEARTBEAT_TIMEOUT and reconnected; a handshake that never
// completes ends with CONNECT_TIMEOUT. Real sockets and real (short) timers.
import { createServer, type Server, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { connect, type ConnectOptions } from '../src'
import { next, NodeWebSocket, record } from './helpers'
import { lab, track } from './lab'
import { quiet } from './support'

const cleanups: (() => Promise<void>)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

const small = { minDelayMs: 10, maxDelayMs: 50 }
const heartbeat = { intervalMs: 50, timeoutMs: 100 }

const live = (path: string, options: ConnectOptions = {}) =>
  track(connect(lab.ws(path), { WebSocket: NodeWebSocket, cache: false, reconnect: small, heartbeat, ...options }))

describe('heartbeat', () => {
  it('reports HEARTBEAT_TIMEOUT when the server never answers a ping, then reconnects', async () => {
    const endpoint = lab.endpoint('/silent', { echo: false })
    const c = live('/silent')
    const events = record(c)
    await next(c, 'open')
    const openedAt = Date.now()

    const timeout = await next(c, 'error')
    expect(timeout.code).toBe('HEARTBEAT_TIMEOUT')
    expect(timeout.url).toBe(lab.ws('/silent'))
    // First ping after intervalMs, then timeoutMs of silence.
    expect(Date.now() - openedAt).toBeGreaterThanOrEqual(heartbeat.intervalMs + heartbeat.timeoutMs - 5)
    expect(endpoint.received[0]).toBe('ping')

    await next(c, 'open')
    expect(endpoint.connections).toBe(2)
    expect(events.of('close')).toEqual([expect.objectContaining({ wasClean: false, willReconnect: true })])
    expect(events.of('reconnecting')).toEqual([expect.objectContaining({ attempt: 1 })])
  })

  it('keeps watching after that reconnect: a server still silent times out again', async () => {
    const endpoint = lab.endpoint('/silent', { echo: false })
    const c = live('/silent')
    const timeouts: string[] = []
    c.on('error', (e) => timeouts.push(e.code))

    await next(c, 'error', (e) => e.code === 'HEARTBEAT_TIMEOUT')
    await next(c, 'open')
    await next(c, 'error', (e) => e.code === 'HEARTBEAT_TIMEOUT')
    await next(c, 'open')
    expect(timeouts).toEqual(['HEARTBEAT_TIMEOUT', 'HEARTBEAT_TIMEOUT'])
    expect(endpoint.connections).toBe(3)
  }, 3000)

  it('does not time out while the server answers: several intervals pass on one connection', async () => {
    const endpoint = lab.endpoint('/echo')
    const c = live('/echo')
    const events = record(c)
    await next(c, 'open')

    // Five pings span 250 ms, well past the 100 ms timeout that silence would hit.
    expect(await endpoint.receivedCount(5)).toEqual(['ping', 'ping', 'ping', 'ping', 'ping'])
    expect(events.of('error')).toEqual([])
    expect(events.of('close')).toEqual([])
    expect(c.state).toBe('open')
    expect(endpoint.connections).toBe(1)
  })

  it('sends heartbeat.message as the ping', async () => {
    const endpoint = lab.endpoint('/echo')
    const c = live('/echo', { heartbeat: { ...heartbeat, message: '{"type":"ping"}' } })
    await next(c, 'open')
    expect(await endpoint.receivedCount(2)).toEqual(['{"type":"ping"}', '{"type":"ping"}'])
  })

  it('sends no ping when heartbeat is off (the default)', async () => {
    const endpoint = lab.endpoint('/echo')
    const c = live('/echo', { heartbeat: false })
    await next(c, 'open')
    await quiet(3 * heartbeat.intervalMs)
    c.send('end')
    expect(await endpoint.receivedCount(1)).toEqual(['end'])
  })
})

describe('connectTimeoutMs', () => {
  /** A TCP server that accepts connections and never answers the opening handshake. */
  const blackHole = async () => {
    const sockets = new Set<Socket>()
    const closed: Socket[] = []
    const server: Server = createServer((socket) => {
      sockets.add(socket)
      socket.on('close', () => closed.push(socket))
      socket.on('error', () => {})
      socket.resume() // read and ignore the handshake request, so the client's FIN is seen
    })
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
    cleanups.push(async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise((done) => server.close(done))
    })
    const { port } = server.address() as { port: number }
    return { url: `ws://127.0.0.1:${port}/live`, sockets, closed }
  }

  it('reports CONNECT_TIMEOUT when the handshake is never answered, closes that socket and backs off', async () => {
    const hole = await blackHole()
    const c = track(
      connect(hole.url, {
        WebSocket: NodeWebSocket,
        cache: false,
        connectTimeoutMs: 200,
        reconnect: { minDelayMs: 60_000, maxDelayMs: 60_000, jitter: 'none' },
      }),
    )
    const events = record(c)
    const started = Date.now()

    const error = await next(c, 'error')
    expect(error.code).toBe('CONNECT_TIMEOUT')
    expect(error.url).toBe(hole.url)
    expect(Date.now() - started).toBeGreaterThanOrEqual(195)
    expect(events.of('open')).toEqual([])
    // Not final: a back-off wait follows, carrying the error.
    expect(c.state).toBe('reconnecting')
    expect(events.of('reconnecting')).toEqual([{ attempt: 1, delayMs: 60_000, error }])
    // The abandoned handshake's TCP connection is closed, not left dangling.
    await expect.poll(() => hole.closed.length, { timeout: 1000 }).toBe(1)
    expect(hole.sockets.size).toBe(1)
  })
})
