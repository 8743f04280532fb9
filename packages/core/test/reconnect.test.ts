// Reconnection (docs/failure-path.md#one-decision-one-place; options reconnect and
// shouldReconnect), against a real `ws` server in the lab: the server closes the socket with a
// code, the client decides. Back-off delays are kept tiny (10–50 ms) so real timers do the waiting;
// only the 5-second "healthy connection" rule jumps Date, and nothing else, so the sockets keep
// working.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { type Endpoint } from '@followsocket/lab'
import { connect, type Connection, type ConnectOptions } from '../src'
import { next, NodeWebSocket, record } from './helpers'
import { lab, track } from './lab'
import { quiet, serverSide } from './support'

afterEach(async () => {
  vi.useRealTimers()
})

const small = { minDelayMs: 10, maxDelayMs: 50 }
/** Longer than any back-off wait plus a handshake under `small`: long enough to see a reconnect that should not happen. */
const PAST_BACKOFF = 200

const live = (path: string, options: ConnectOptions = {}) =>
  track(connect(lab.ws(path), { WebSocket: NodeWebSocket, cache: false, reconnect: small, ...options }))

/** The server closes its side of the connection with `code`; resolves with the client's close event. */
const serverCloses = (endpoint: Endpoint, c: Connection<any>, code: number, reason = '') => {
  const closed = next(c, 'close')
  serverSide(endpoint.clients).close(code, reason)
  return closed
}

describe('reconnect after the server closes', () => {
  it('reconnects after a 1001 close, announcing attempt and a delay within the back-off bounds', async () => {
    const endpoint = lab.endpoint('/live')
    const c = live('/live')
    const events = record(c)
    await next(c, 'open')

    const reopened = next(c, 'open')
    expect(await serverCloses(endpoint, c, 1001, 'going away')).toEqual({
      code: 1001,
      reason: 'going away',
      wasClean: true,
      willReconnect: true,
    })
    await reopened
    expect(endpoint.connections).toBe(2)

    // Still counting: the first connection was up for less than 5 s.
    const again = next(c, 'open')
    await serverCloses(endpoint, c, 1001)
    await again
    expect(endpoint.connections).toBe(3)

    const waits = events.of('reconnecting')
    expect(waits.map((w) => w.attempt)).toEqual([1, 2])
    // Full jitter: attempt n waits uniformly in [0, min(maxDelayMs, minDelayMs * 2^(n-1))].
    expect(waits[0]!.delayMs).toBeGreaterThanOrEqual(0)
    expect(waits[0]!.delayMs).toBeLessThanOrEqual(10)
    expect(waits[1]!.delayMs).toBeGreaterThanOrEqual(0)
    expect(waits[1]!.delayMs).toBeLessThanOrEqual(20)
    // `reconnecting` comes before the wait, i.e. after the close and before the next open.
    const order = events.all.map(([type]) => type).filter((t) => t === 'close' || t === 'reconnecting' || t === 'open')
    expect(order).toEqual(['open', 'close', 'reconnecting', 'open', 'close', 'reconnecting', 'open'])
    expect(events.of('state')).toEqual([
      'connecting',
      'open',
      'reconnecting',
      'connecting',
      'open',
      'reconnecting',
      'connecting',
      'open',
    ])
  })

  it("with jitter 'none' waits exactly the exponential delay", async () => {
    const endpoint = lab.endpoint('/live')
    const c = live('/live', { reconnect: { minDelayMs: 10, maxDelayMs: 15, factor: 2, jitter: 'none' } })
    const events = record(c)
    await next(c, 'open')
    for (let i = 0; i < 3; i++) {
      const reopened = next(c, 'open')
      await serverCloses(endpoint, c, 1001)
      await reopened
    }
    expect(events.of('reconnecting').map(({ attempt, delayMs }) => [attempt, delayMs])).toEqual([
      [1, 10],
      [2, 15],
      [3, 15],
    ])
  })

  it.each([1002, 1003, 1007, 1008, 1009, 1010])(
    'does not reconnect after close %i, which would repeat',
    async (code) => {
      const endpoint = lab.endpoint('/live')
      const c = live('/live')
      const events = record(c)
      await next(c, 'open')

      const close = await serverCloses(endpoint, c, code, 'no')
      expect(close).toMatchObject({ code, reason: 'no', willReconnect: false })
      expect(c.state).toBe('closed')
      await quiet(PAST_BACKOFF)
      expect(events.of('reconnecting')).toEqual([])
      expect(lab.count('/live', 'upgrade')).toBe(1)
      expect(c.state).toBe('closed')
    },
  )

  it('does not reconnect when shouldReconnect says no, and asks it with the close details', async () => {
    const endpoint = lab.endpoint('/live')
    const asked: unknown[] = []
    const c = live('/live', {
      shouldReconnect: (close) => {
        asked.push(close)
        return false
      },
    })
    const events = record(c)
    await next(c, 'open')

    expect(await serverCloses(endpoint, c, 1001, 'bye')).toMatchObject({ code: 1001, willReconnect: false })
    expect(asked).toEqual([{ code: 1001, reason: 'bye', wasClean: true }])
    expect(c.state).toBe('closed')
    await quiet(PAST_BACKOFF)
    expect(events.of('reconnecting')).toEqual([])
    expect(lab.count('/live', 'upgrade')).toBe(1)
  })

  it('lets shouldReconnect override the default and reconnect after a 1008', async () => {
    const endpoint = lab.endpoint('/live')
    const c = live('/live', { shouldReconnect: () => true })
    await next(c, 'open')
    const reopened = next(c, 'open')
    expect(await serverCloses(endpoint, c, 1008)).toMatchObject({ code: 1008, willReconnect: true })
    await reopened
    expect(endpoint.connections).toBe(2)
  })

  it('does not reconnect with reconnect: false', async () => {
    const endpoint = lab.endpoint('/live')
    const c = live('/live', { reconnect: false })
    const events = record(c)
    await next(c, 'open')

    expect(await serverCloses(endpoint, c, 1001)).toMatchObject({ code: 1001, willReconnect: false })
    expect(c.state).toBe('closed')
    await quiet(PAST_BACKOFF)
    expect(events.of('reconnecting')).toEqual([])
    expect(lab.count('/live', 'upgrade')).toBe(1)
  })
})

describe('maxRetries', () => {
  it('gives up with RETRIES_EXHAUSTED and state closed after exactly maxRetries waits, against a server that is down', async () => {
    lab.endpoint('/live')
    await lab.down()
    const c = live('/live', { reconnect: { ...small, maxRetries: 2 } })
    const events = record(c)

    const exhausted = await next(c, 'error', (e) => e.code === 'RETRIES_EXHAUSTED')
    expect(exhausted.url).toBe(lab.ws('/live'))
    expect(c.state).toBe('closed')
    expect(events.of('reconnecting').map((r) => r.attempt)).toEqual([1, 2])
    // Each wait says which failure caused it.
    for (const wait of events.of('reconnecting'))
      expect(wait.error?.code).toMatch(/^(HANDSHAKE_FAILED|DISCOVERY_BLOCKED)$/)
    expect(events.of('error').at(-1)).toBe(exhausted)
    expect(events.of('state').at(-1)).toBe('closed')
    expect(events.of('open')).toEqual([])
  })

  it('starts counting afresh when reconnect() is called after giving up', async () => {
    const endpoint = lab.endpoint('/live')
    await lab.down()
    const c = live('/live', { reconnect: { ...small, maxRetries: 1 } })
    await next(c, 'error', (e) => e.code === 'RETRIES_EXHAUSTED')
    expect(c.state).toBe('closed')

    await lab.resume()
    const opened = next(c, 'open')
    c.reconnect()
    await opened
    expect(endpoint.connections).toBe(1)
    expect(c.state).toBe('open')
  })
})

describe('reconnect()', () => {
  it('skips a long back-off wait and reconnects at once', async () => {
    const endpoint = lab.endpoint('/live')
    const c = live('/live', { reconnect: { minDelayMs: 60_000, maxDelayMs: 60_000, jitter: 'none' } })
    await next(c, 'open')

    const waiting = next(c, 'reconnecting')
    await serverCloses(endpoint, c, 1001)
    expect(await waiting).toMatchObject({ attempt: 1, delayMs: 60_000 })
    expect(c.state).toBe('reconnecting')

    const started = Date.now()
    const reopened = next(c, 'open')
    c.reconnect()
    await reopened
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(endpoint.connections).toBe(2)
    expect(c.state).toBe('open')
  })
})

describe('the attempt counter', () => {
  /** Connects, then has the server close it once so that the next wait is attempt 1. */
  const afterOneReconnect = async (endpoint: Endpoint, c: Connection<any>) => {
    await next(c, 'open')
    const reopened = next(c, 'open')
    await serverCloses(endpoint, c, 1001)
    await reopened
  }

  it('resets after a connection stayed open for 5 s: its next failure is attempt 1 again', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const endpoint = lab.endpoint('/live')
    const c = live('/live')
    const waits = record(c).of
    await afterOneReconnect(endpoint, c)

    vi.setSystemTime(Date.now() + 5_000)
    const reopened = next(c, 'open')
    await serverCloses(endpoint, c, 1001)
    await reopened
    expect(waits('reconnecting').map((r) => r.attempt)).toEqual([1, 1])
  })

  it('keeps counting when the connection was open for less than 5 s', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const endpoint = lab.endpoint('/live')
    const c = live('/live')
    const waits = record(c).of
    await afterOneReconnect(endpoint, c)

    vi.setSystemTime(Date.now() + 4_999)
    const reopened = next(c, 'open')
    await serverCloses(endpoint, c, 1001)
    await reopened
    expect(waits('reconnecting').map((r) => r.attempt)).toEqual([1, 2])
  })

  it('takes its threshold from reconnect.minUptimeMs (reconnecting-websocket’s minUptime)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const endpoint = lab.endpoint('/live')
    const c = live('/live', { reconnect: { ...small, minUptimeMs: 60_000 } })
    const waits = record(c).of
    await afterOneReconnect(endpoint, c)

    // 5 s is not healthy under a one-minute threshold; one minute is.
    vi.setSystemTime(Date.now() + 5_000)
    let reopened = next(c, 'open')
    await serverCloses(endpoint, c, 1001)
    await reopened
    vi.setSystemTime(Date.now() + 60_000)
    reopened = next(c, 'open')
    await serverCloses(endpoint, c, 1001)
    await reopened
    expect(waits('reconnecting').map((r) => r.attempt)).toEqual([1, 2, 1])
  })
})

describe('close()', () => {
  it('is final: the close event says willReconnect false, state ends closed, and the server sees no further upgrade', async () => {
    const endpoint = lab.endpoint('/live')
    const c = live('/live')
    const events = record(c)
    await next(c, 'open')
    const server = serverSide(endpoint.clients)
    const seenByServer = new Promise<[number, string]>((done) =>
      server.once('close', (code, reason) => done([code, reason.toString()])),
    )

    const closed = next(c, 'close')
    c.close(4000, 'done here')
    expect(c.state).toBe('closing')
    expect(await closed).toMatchObject({ code: 4000, reason: 'done here', willReconnect: false })
    expect(c.state).toBe('closed')
    expect(await seenByServer).toEqual([4000, 'done here'])

    await quiet(PAST_BACKOFF)
    expect(lab.count('/live', 'upgrade')).toBe(1)
    expect(events.of('reconnecting')).toEqual([])
    expect(events.of('state').slice(-2)).toEqual(['closing', 'closed'])
  })

  it('during a back-off wait cancels the pending reconnect', async () => {
    const endpoint = lab.endpoint('/live')
    const c = live('/live', { reconnect: { minDelayMs: 50, jitter: 'none' } })
    await next(c, 'open')
    const waiting = next(c, 'reconnecting')
    await serverCloses(endpoint, c, 1001)
    await waiting

    c.close()
    expect(c.state).toBe('closed')
    await quiet(PAST_BACKOFF)
    expect(lab.count('/live', 'upgrade')).toBe(1)
    expect(c.state).toBe('closed')
  })
})
