// The network misbehaving, through a real TCP proxy (lab/src/faults.ts) in front of the lab:
// what each fault does to a connection, and that nothing is left open after close().
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startLab, type Lab } from '@followsocket/lab'
import { startFaultProxy, type Fault, type FaultProxy } from '@followsocket/lab/faults'
import { connect, type Connection, type ConnectOptions } from '../src'
import { next, NodeWebSocket, record } from './helpers'

let lab: Lab
let proxy: FaultProxy
const open: Connection<any>[] = []

beforeEach(async () => {
  lab = await startLab()
  proxy = await startFaultProxy({ port: lab.port })
})
afterEach(async () => {
  for (const c of open.splice(0)) c.close()
  await proxy.close()
  await lab.close()
})

const BACKOFF = { minDelayMs: 50, maxDelayMs: 200, jitter: 'none' as const }

const live = (options: ConnectOptions = {}) => {
  const c = connect(proxy.ws('/live'), { WebSocket: NodeWebSocket, cache: false, reconnect: BACKOFF, ...options })
  open.push(c)
  return c
}

describe('half-open: bytes vanish, TCP stays up', () => {
  it('the heartbeat finds the dead socket, and the connection recovers once the network does', async () => {
    lab.endpoint('/live')
    const c = live({ heartbeat: { intervalMs: 100, timeoutMs: 100 } })
    await next(c, 'open')
    const since = performance.now()
    proxy.set({ kind: 'blackhole' })
    const error = await next(c, 'error')
    console.log(`half-open detected after ${Math.round(performance.now() - since)} ms (interval 100 + timeout 100)`)
    expect(error.code).toBe('HEARTBEAT_TIMEOUT')
    proxy.set({ kind: 'none' })
    await next(c, 'open')
    expect(c.state).toBe('open')
  })

  it('with buffering, what was sent while the connection was down arrives once, in order, after it recovers', async () => {
    const endpoint = lab.endpoint('/live', { echo: false })
    const c = live({ heartbeat: { intervalMs: 100, timeoutMs: 100 } })
    await next(c, 'open')
    proxy.set({ kind: 'blackhole' })
    await next(c, 'error', (e) => e.code === 'HEARTBEAT_TIMEOUT')
    // Down (reconnecting), and staying down: every new connection is reset.
    proxy.set({ kind: 'reset' })
    for (const text of ['a', 'b', 'c']) c.send(text)
    expect(c.buffered).toBe(3)
    proxy.set({ kind: 'none' })
    expect(await endpoint.receivedCount(3)).toEqual(['a', 'b', 'c'])
    expect(c.buffered).toBe(0)
  })
})

describe('no fault makes the client hammer the server', () => {
  it('connections reset as soon as they speak: one handshake and one preflight per attempt, each after its back-off wait', async () => {
    lab.endpoint('/live')
    proxy.set({ kind: 'reset' })
    const c = live({ reconnect: { ...BACKOFF, maxRetries: 5 } })
    const events = record(c)
    await next(c, 'error', (e) => e.code === 'RETRIES_EXHAUSTED')
    // 6 attempts (the first and 5 retries), each a handshake and, in 'auto' mode, its preflight.
    expect(proxy.accepted).toBe(12)
    expect(events.of('reconnecting').map((r) => r.attempt)).toEqual([1, 2, 3, 4, 5])
  })

  it('a handshake answered after the connect deadline is CONNECT_TIMEOUT, then retried through the back-off', async () => {
    lab.endpoint('/live')
    proxy.set({ kind: 'slow-handshake', ms: 1000 })
    const c = live({ connectTimeoutMs: 200, reconnect: { ...BACKOFF, maxRetries: 1 } })
    const events = record(c)
    await next(c, 'error', (e) => e.code === 'RETRIES_EXHAUSTED')
    expect(events.of('error').map((e) => e.code)).toEqual(['CONNECT_TIMEOUT', 'CONNECT_TIMEOUT', 'RETRIES_EXHAUSTED'])
    expect(proxy.accepted).toBe(2)
  })

  it('latency and a bandwidth cap slow the messages down, and lose or reorder none', async () => {
    lab.endpoint('/live')
    const c = live()
    await next(c, 'open')
    const got: unknown[] = []
    c.on('message', ({ data }) => got.push(data))
    proxy.set({ kind: 'latency', ms: 30 })
    for (let i = 0; i < 10; i++) c.send(`slow ${i}`)
    proxy.set({ kind: 'bandwidth', bytesPerSecond: 20_000 })
    for (let i = 0; i < 10; i++) c.send(`${i}`.padEnd(1000, '.'))
    await next(c, 'message', () => got.length === 20)
    expect(got.slice(0, 10)).toEqual([...Array(10)].map((_, i) => `slow ${i}`))
    expect(got.slice(10).map((m) => String(m).replace(/\.+$/, ''))).toEqual([...Array(10)].map((_, i) => `${i}`))
  })
})

describe('nothing is left open after close(), whatever the network does', () => {
  const faults: [string, Fault, keyof typeof WHEN][] = [
    ['none', { kind: 'none' }, 'open'],
    ['half-open', { kind: 'blackhole' }, 'open'],
    ['latency', { kind: 'latency', ms: 50 }, 'open'],
    ['a server that accepts TCP and never speaks', { kind: 'silent' }, 'connecting'],
    ['a handshake that never comes in time', { kind: 'slow-handshake', ms: 60_000 }, 'connecting'],
  ]
  const WHEN = { open: 'after open', connecting: 'while the handshake waits' }
  for (const [name, fault, when] of faults)
    it(`${name}: close() ${WHEN[when]} leaves no TCP connection open`, async () => {
      lab.endpoint('/live')
      if (when === 'connecting') proxy.set(fault)
      const c = live({ connectTimeoutMs: 60_000 })
      if (when === 'open') {
        await next(c, 'open')
        proxy.set(fault)
      } else await proxy.settled(1)
      const closed = next(c, 'state', (state) => state === 'closed')
      c.close()
      await Promise.all([closed, proxy.settled(0)])
    })
})
