// Pacing (docs/failure-path.md#pacing): whatever a server does, no path reopens without limit. Each
// case is a real misbehaving `ws` server in the lab, and every handshake and preflight is counted
// at the server. Following a move or rediscovering is immediate once since the connection was last
// healthy; every further one waits (a tiny back-off here), counts as an attempt and says so.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { connect, type Connection, type ConnectOptions, type FollowSocketError } from '../src'
import { next, NodeWebSocket, record } from './helpers'
import { lab, track } from './lab'

afterEach(async () => {
  vi.useRealTimers()
})

const retries3 = { minDelayMs: 10, maxDelayMs: 50, maxRetries: 3 }

const live = (path: string, options: ConnectOptions = {}) => {
  const c = connect(lab.ws(path), { WebSocket: NodeWebSocket, cache: false, reconnect: retries3, ...options })
  track(c)
  return c
}

/** Resolves with the first error whose code is `code`. */
const failure = (c: Connection<any>, code: FollowSocketError['code']) =>
  next(c, 'error', (error) => error.code === code)

describe('a move to a target that fails', () => {
  it('follows the first move at once, then backs off: 3 handshakes at the old endpoint with maxRetries 3, not hundreds a second', async () => {
    // Every connection at /old is told to move to /gone, which answers every upgrade 404.
    lab.endpoint('/old', { onConnection: (ws) => ws.close(4308, lab.ws('/gone')) })
    const c = live('/old')
    const events = record(c)
    await failure(c, 'RETRIES_EXHAUSTED')

    // /old, /gone at once; back-off, /old, back-off, /gone; back-off, /old; no attempt left.
    expect(lab.count('/old', 'upgrade')).toBe(3)
    expect(lab.count('/gone', 'upgrade')).toBe(2)
    // The rediscoveries after the first: one preflight of /old each.
    expect(lab.count('/old', 'get')).toBe(2)
    // Each failed move is diagnosed where it failed: one GET of /gone, which answers 404.
    expect(lab.count('/gone', 'get')).toBe(2)
    expect(events.of('reconnecting').map((r) => r.attempt)).toEqual([1, 2, 3])
    // Each failed move is reported, with what failed.
    expect(events.of('error').map((e) => [e.code, e.status])).toEqual([
      ['HANDSHAKE_FAILED', 404],
      ['HANDSHAKE_FAILED', 404],
      ['RETRIES_EXHAUSTED', undefined],
    ])
    // /gone was never reached, so no move was announced.
    expect(events.of('redirect')).toEqual([])
    expect(events.of('close').map((close) => close.willReconnect)).toEqual([true, true, false])
    expect(c.state).toBe('closed')
  })
})

describe('a remembered target that keeps restarting (1012) or is overloaded (1013)', () => {
  for (const code of [1012, 1013]) {
    it(`rediscovers at once after the first ${code}, then backs off: 5 handshakes in all with maxRetries 3`, async () => {
      lab.redirect('/v1', lab.ws('/v2'))
      lab.endpoint('/v2', { onConnection: (ws) => ws.close(code, 'restart') })
      const c = live('/v1')
      const events = record(c)
      await failure(c, 'RETRIES_EXHAUSTED')

      // 1 after the first discovery, 1 immediate rediscovery, then 3 paced attempts.
      expect(lab.count('/v2', 'upgrade')).toBe(5)
      // Every rediscovery preflights the URL asked for: the direct handshake's, then 4 more.
      expect(lab.count('/v1', 'get')).toBe(5)
      expect(lab.count('/v1', 'upgrade')).toBe(1)
      expect(events.of('reconnecting').map((r) => r.attempt)).toEqual([1, 2, 3])
      expect(events.of('close').at(-1)!.willReconnect).toBe(false)
    })
  }

  it('paces the same way without a redirect: 1 + 3 handshakes', async () => {
    const endpoint = lab.endpoint('/live', { onConnection: (ws) => ws.close(1012, 'restart') })
    const c = live('/live')
    await failure(c, 'RETRIES_EXHAUSTED')
    expect(endpoint.connections).toBe(4)
  })
})

describe('two endpoints that move clients to each other', () => {
  it('a ping-pong is followed through the back-off: one handshake per wait, and it never ends the connection by itself', async () => {
    const a = lab.endpoint('/a', { onConnection: (ws) => ws.close(4308, lab.ws('/b')) })
    const b = lab.endpoint('/b', { onConnection: (ws) => ws.close(4308, lab.ws('/a')) })
    const c = live('/a', { reconnect: { minDelayMs: 10, maxDelayMs: 50 } })
    const events = record(c)
    await next(c, 'open', () => events.of('open').length === 8)

    // The first connect and the first move at once; each of the other six after a wait.
    expect(events.of('reconnecting').map((r) => r.attempt)).toEqual([1, 2, 3, 4, 5, 6])
    await expect.poll(() => a.connections + b.connections).toBe(8)
    expect(events.of('error')).toEqual([])
    expect(events.of('close').every((close) => close.willReconnect)).toBe(true)
    expect(c.state).not.toBe('closed')
  })

  it('a rollback (A → B, then back to A before the clients were healthy at B) loses nobody', async () => {
    let moves = 0
    lab.endpoint('/a', { onConnection: (ws) => moves++ === 0 && ws.close(4308, lab.ws('/b')) })
    const b = lab.endpoint('/b')
    const c = live('/a')
    await next(c, 'open', ({ url }) => url === lab.ws('/b'))
    const back = next(c, 'open')
    const waited = next(c, 'reconnecting')
    ;[...b.clients][0]!.close(4308, lab.ws('/a'))
    // A further move since the connection was last healthy: it waits the back-off, then goes.
    expect(await waited).toMatchObject({ attempt: 1 })
    expect(await back).toEqual({ url: lab.ws('/a') })
    expect(c.state).toBe('open')
  })

  it('a move back after the connection was healthy is not a loop', async () => {
    // /a moves clients to /b; /b, once they were healthy there (open 5 s: only Date jumps),
    // moves them back to /a, which now keeps them.
    let moves = 0
    lab.endpoint('/a', { onConnection: (ws) => moves++ === 0 && ws.close(4308, lab.ws('/b')) })
    const b = lab.endpoint('/b')
    vi.useFakeTimers({ toFake: ['Date'] })
    const c = live('/a')
    await next(c, 'open', ({ url }) => url === lab.ws('/b'))
    vi.setSystemTime(Date.now() + 5_000)
    const back = next(c, 'open')
    ;[...b.clients][0]!.close(4308, lab.ws('/a'))
    expect(await back).toEqual({ url: lab.ws('/a') })
  })
})

describe('shouldReconnect is asked about every close, moves included', () => {
  it('a 4308 move is not followed when shouldReconnect says no', async () => {
    const moved = lab.endpoint('/new')
    lab.endpoint('/old', { onConnection: (ws) => ws.close(4308, lab.ws('/new')) })
    const asked: number[] = []
    const c = live('/old', {
      shouldReconnect: ({ code }) => {
        asked.push(code)
        return false
      },
    })
    const closed = next(c, 'state', (state) => state === 'closed')
    expect(await next(c, 'close')).toMatchObject({ code: 4308, willReconnect: false })
    await closed
    expect(asked).toEqual([4308])
    expect(moved.connections).toBe(0)
  })

  it('a 1012 from a remembered target is not rediscovered when shouldReconnect says no', async () => {
    lab.redirect('/v1', lab.ws('/v2'))
    lab.endpoint('/v2', { onConnection: (ws) => ws.close(1012) })
    const c = live('/v1', { shouldReconnect: () => false })
    const closed = next(c, 'state', (state) => state === 'closed')
    expect(await next(c, 'close')).toMatchObject({ code: 1012, willReconnect: false })
    await closed
    expect(lab.count('/v1', 'get')).toBe(1)
  })
})
