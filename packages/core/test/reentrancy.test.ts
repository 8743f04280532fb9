// Re-entrancy (docs/connection.md#re-entrancy): listeners may call send(), close() or reconnect()
// from any event; the connection then still has at most one socket, no timer outlives close(), and
// queued messages go out once on the socket that ends up open (or, after close(), stay counted in
// `buffered`). Sockets are counted at a real `ws` server.
import { describe, expect, it } from 'vitest'
import { type Endpoint } from '@followsocket/lab'
import { connect, type Connection, type ConnectOptions } from '../src'
import { next, NodeWebSocket, record } from './helpers'
import { lab, track } from './lab'
import { quiet, serverSide } from './support'

const small = { minDelayMs: 10, maxDelayMs: 50 }
/** Longer than any back-off wait plus a handshake under `small`, and than the heartbeats below. */
const PAST_BACKOFF = 300

const live = (path: string, options: ConnectOptions = {}) => {
  const c = connect(lab.ws(path), { WebSocket: NodeWebSocket, cache: false, reconnect: small, ...options })
  track(c)
  return c
}

/** Resolves once the endpoint has exactly `count` open server-side sockets. */
const settledAt = async (endpoint: Endpoint, count: number) => {
  while (endpoint.clients.size !== count) await new Promise((done) => setImmediate(done))
}

/** Runs `act` the first time `type` fires, only then. */
const once = <K extends 'open' | 'close' | 'reconnecting' | 'error' | 'redirect'>(
  c: Connection<any>,
  type: K,
  act: () => void,
) => {
  const off = c.on(type, () => {
    off()
    act()
  })
}

describe('reconnect() from a listener leaves one socket', () => {
  for (const type of ['close', 'reconnecting'] as const) {
    it(`from a ${type} listener: one socket at the server, each broadcast once, none after close()`, async () => {
      const endpoint = lab.endpoint('/live')
      const c = live('/live')
      const messages: unknown[] = []
      c.on('message', ({ data }) => messages.push(data))
      await next(c, 'open')

      once(c, type, () => c.reconnect())
      const reopened = next(c, 'open')
      serverSide(endpoint.clients).close(1001)
      await reopened
      // Any second socket would be opened by the back-off wait: let it pass.
      await quiet(PAST_BACKOFF)
      expect(endpoint.connections).toBe(2)
      expect(endpoint.clients.size).toBe(1)

      for (const client of endpoint.clients) client.send('news')
      await next(c, 'message')
      await quiet(50)
      expect(messages).toEqual(['news'])

      c.close()
      await settledAt(endpoint, 0)
    })
  }
})

describe('an open listener', () => {
  it('reconnect(): the queued messages go out once, on the socket that ends up open; no heartbeat outlives close()', async () => {
    const endpoint = lab.endpoint('/live', { echo: false })
    const c = live('/live', { heartbeat: { intervalMs: 20, timeoutMs: 40 } })
    const events = record(c)
    c.send('a')
    c.send('b')
    once(c, 'open', () => c.reconnect())
    await next(c, 'open')
    await next(c, 'open')
    expect(await endpoint.receivedCount(2)).toEqual(['a', 'b'])
    expect(c.buffered).toBe(0)

    c.close()
    await settledAt(endpoint, 0)
    // A heartbeat left on the dropped socket would time out here and report it.
    await quiet(PAST_BACKOFF)
    expect(events.of('error')).toEqual([])
    expect(endpoint.received).toEqual(['a', 'b'])
  })

  it('close(): the queue stays, counted in buffered; nothing is sent into the closing socket', async () => {
    const endpoint = lab.endpoint('/live')
    const c = live('/live')
    const events = record(c)
    c.send('a')
    c.send('b')
    once(c, 'open', () => c.close())
    const closed = next(c, 'state', (state) => state === 'closed')
    await next(c, 'open')
    await closed
    expect(c.buffered).toBe(2)
    expect(endpoint.received).toEqual([])
    expect(events.of('error')).toEqual([])
  })

  it('send(): goes out behind the messages queued before open, in call order', async () => {
    const endpoint = lab.endpoint('/live', { echo: false })
    const c = live('/live')
    c.send('a')
    c.send('b')
    once(c, 'open', () => c.send('c'))
    expect(await endpoint.receivedCount(3)).toEqual(['a', 'b', 'c'])
  })
})

describe('a redirect listener', () => {
  it('close(): the connection never reads open; the socket at the target is closed, and no other opens', async () => {
    lab.redirect('/v1', lab.ws('/v2'))
    const target = lab.endpoint('/v2')
    const c = live('/v1', { discovery: 'preflight' })
    const events = record(c)
    once(c, 'redirect', () => c.close())
    await next(c, 'state', (state) => state === 'closed')
    await quiet(PAST_BACKOFF)
    expect(events.of('open')).toEqual([])
    expect(lab.count('/v2', 'upgrade')).toBe(1)
    await expect.poll(() => target.clients.size).toBe(0)
  })
})

describe('reconnect() from the RETRIES_EXHAUSTED listener', () => {
  it('revives the connection with a fresh attempt count; it never reads closed while it connects', async () => {
    // Nothing at /later yet: every upgrade gets 404.
    const c = live('/later', { reconnect: { ...small, maxRetries: 1 }, discovery: 'off' })
    const events = record(c)
    await next(c, 'error', (error) => error.code === 'RETRIES_EXHAUSTED')
    expect(c.state).toBe('closed')

    const revived = next(c, 'error', (error) => error.code === 'RETRIES_EXHAUSTED')
    const states: string[] = []
    c.on('state', (state) => states.push(state))
    c.reconnect()
    expect(c.state).not.toBe('closed')
    await revived
    // After reconnect(): one more first attempt, one retry, as maxRetries 1 allows.
    expect(events.of('reconnecting').map((r) => r.attempt)).toEqual([1, 1])
    expect(states).toEqual(['connecting', 'reconnecting', 'connecting', 'closed'])
  })

  it('from inside the listener: the attempts start again from 1', async () => {
    const c = live('/later', { reconnect: { ...small, maxRetries: 1 }, discovery: 'off' })
    const events = record(c)
    let exhausted = 0
    let stateAfterReconnect = ''
    c.on('error', (error) => {
      if (error.code !== 'RETRIES_EXHAUSTED' || ++exhausted > 1) return
      c.reconnect()
      stateAfterReconnect = c.state
    })
    await next(c, 'error', (error) => error.code === 'RETRIES_EXHAUSTED' && exhausted === 2)
    expect(stateAfterReconnect).toBe('connecting')
    expect(events.of('reconnecting').map((r) => r.attempt)).toEqual([1, 1])
    expect(c.state).toBe('closed')
  })
})
