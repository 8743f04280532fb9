// Options (docs/connection.md#options): validated at connect(), where bad values and unknown keys
// throw INVALID_OPTIONS naming the field; what a user may reasonably write (Infinity, a month-long
// TTL, `reconnect: true`) is accepted. Also what the options mean where that was wrong before: the
// cache honours each caller's maxRedirects, the heartbeat's reply is traffic.
import { describe, expect, it } from 'vitest'
import { connect, resolve, type ConnectOptions } from '../src'
import { next, NodeWebSocket, record } from './helpers'
import { lab, track } from './lab'
import { thrown } from './support'

const at = (options: object) => () =>
  connect('ws://127.0.0.1:1/', { WebSocket: NodeWebSocket, ...(options as ConnectOptions) })

describe('connect() throws INVALID_OPTIONS, naming the field', () => {
  it.each([
    ['reconect', { reconect: { maxRetries: 3 } }],
    ['heartbeats', { heartbeats: { intervalMs: 1000, timeoutMs: 1000 } }],
    ['reconnect.maxRetrys', { reconnect: { maxRetrys: 3 } }],
    ['schema', { schema: null }],
    ['protocols', { protocols: ['chat', 'chat'] }],
    ['protocols', { protocols: 'not a token' }],
    ['reconnect', { reconnect: 'yes' }],
  ])('%s', (field, options) => {
    const error = thrown(at(options))
    expect(error.code).toBe('INVALID_OPTIONS')
    expect(error.message).toMatch(new RegExp(`^Option ${field.replace('.', '\\.')} `))
  })

  it('share, which is not a connect() option here: it says where it lives', () => {
    const error = thrown(at({ share: 'tabs' }))
    expect(error.code).toBe('INVALID_OPTIONS')
    expect(error.message).toBe('Option share is for followsocket/tabs and the bindings')
  })

  it('when the runtime has no WebSocket and none is given (Node 20)', () => {
    const global = globalThis.WebSocket
    // Node 22 has a global WebSocket; Node 20, which this project supports, has none.
    ;(globalThis as any).WebSocket = undefined
    try {
      const error = thrown(() => connect('ws://127.0.0.1:1/'))
      expect(error.code).toBe('INVALID_OPTIONS')
      expect(error.message).toContain('options.WebSocket')
    } finally {
      ;(globalThis as any).WebSocket = global
    }
  })
})

describe('connect() accepts', () => {
  it.each([
    ['a 30-day cacheTtlMs', { cacheTtlMs: 30 * 24 * 3600 * 1000 }],
    ['buffer.maxMessages: Infinity', { buffer: { maxMessages: Infinity } }],
    ['connectTimeoutMs: Infinity', { connectTimeoutMs: Infinity }],
    ['reconnect: true (the defaults)', { reconnect: true }],
    ['buffer: true (the defaults)', { buffer: true }],
    ['distinct subprotocols', { protocols: ['v2.chat', 'v1.chat'] }],
  ])('%s', (_, options) => {
    const c = at(options)()
    track(c)
    expect(c.state).toBe('idle')
  })
})

describe('the cache honours each caller’s maxRedirects', () => {
  it('a 3-hop chain remembered by one caller is refused to a caller with maxRedirects 1', async () => {
    lab.redirect('/hops/1', lab.ws('/hops/2'))
    lab.redirect('/hops/2', lab.ws('/hops/3'))
    lab.redirect('/hops/3', lab.ws('/hops/4'))
    lab.endpoint('/hops/4')
    expect((await resolve(lab.ws('/hops/1'))).hops).toHaveLength(3)

    const c = connect(lab.ws('/hops/1'), { WebSocket: NodeWebSocket, maxRedirects: 1, discovery: 'preflight' })
    track(c)
    const error = await next(c, 'error')
    expect(error.code).toBe('TOO_MANY_REDIRECTS')
    expect(lab.count('/hops/4', 'upgrade')).toBe(0)
  })
})

describe('heartbeat.reply', () => {
  it("the server's pong is traffic: never parsed, never delivered, no INVALID_MESSAGE", async () => {
    const endpoint = lab.endpoint('/beat', {
      echo: false,
      onMessage: (ws, data) => ws.send(data.toString() === 'ping' ? 'pong' : JSON.stringify({ echo: data.toString() })),
    })
    const c = connect(lab.ws('/beat'), {
      WebSocket: NodeWebSocket,
      cache: false,
      parse: 'json',
      heartbeat: { intervalMs: 20, timeoutMs: 200 },
    })
    track(c)
    const events = record(c)
    await next(c, 'open')
    // Several pings answered, then one real message.
    await endpoint.receivedCount(3)
    c.send('hello')
    expect(await next(c, 'message')).toMatchObject({ data: { echo: 'hello' } })
    expect(events.of('error')).toEqual([])
    expect(events.of('message')).toHaveLength(1)
  })
})
