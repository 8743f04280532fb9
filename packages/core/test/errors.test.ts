// Error codes and failure handling (docs/connection.md#listeners-and-errors): the codes, options
// validation, errors that never escape, listeners that cannot break the connection, the url
// function, the 4308 close-frame move and its policy (docs/moves.md). Codes produced elsewhere:
// resolve.test.ts (discovery and policy codes), reconnect.test.ts (RETRIES_EXHAUSTED),
// buffer.test.ts (SEND_BUFFER_FULL, CLOSED), heartbeat.test.ts (HEARTBEAT_TIMEOUT,
// CONNECT_TIMEOUT), messages.test.ts (INVALID_MESSAGE).
//
// The memory cache is module-global and keyed by URL, and a closed lab's port can come back in
// a later lab, so tests that use the cache use paths no other test uses.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { type Endpoint } from '@followsocket/lab'
import { connect, FollowSocketError, isFollowSocketError, type ConnectOptions, type UrlSource } from '../src'
import { next, NodeWebSocket, record } from './helpers'
import { lab, track } from './lab'
import { quiet, serverSide, thrown } from './support'

afterEach(async () => {
  vi.restoreAllMocks()
})

const small = { minDelayMs: 10, maxDelayMs: 50 }
/** Longer than any back-off wait plus a handshake under `small`. */
const PAST_BACKOFF = 200
const unique = () => `/${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`

const follow = (url: UrlSource, options: ConnectOptions = {}) =>
  track(connect(url, { WebSocket: NodeWebSocket, cache: false, reconnect: small, ...options }))

/** The server closes its side of the connection with `code` and `reason`. */
const serverCloses = (endpoint: Endpoint, code: number, reason: string) =>
  serverSide(endpoint.clients).close(code, reason)

describe('INVALID_URL', () => {
  it.each(['ftp://x', 'not a url', 'javascript:alert(1)', ''])('is thrown by connect(%j)', (url) => {
    const error = thrown(() => connect(url, { WebSocket: NodeWebSocket }))
    expect(error.code).toBe('INVALID_URL')
    expect(error.message).toMatch(/\S/)
  })

  it('is emitted, then a back-off (not final), when a url function returns a bad value', async () => {
    lab.endpoint('/live')
    const given = ['ftp://x']
    const c = follow(() => given.shift() ?? lab.ws('/live'))
    const events = record(c)
    await next(c, 'open')

    expect(events.of('error').map((e) => e.code)).toEqual(['INVALID_URL'])
    expect(events.of('reconnecting')).toEqual([expect.objectContaining({ attempt: 1, error: events.of('error')[0] })])
    expect(events.of('state')).toEqual(['resolving', 'reconnecting', 'resolving', 'connecting', 'open'])
    expect(c.url).toBe(lab.ws('/live'))
  })

  it('is emitted, with the rejection as cause, then a back-off, when a url function rejects', async () => {
    lab.endpoint('/live')
    const outage = new Error('token service down')
    let calls = 0
    const c = follow(async () => {
      if (++calls === 1) throw outage
      return new URL(lab.http('/live'))
    })
    const events = record(c)
    await next(c, 'open')

    const [error] = events.of('error')
    expect(error?.code).toBe('INVALID_URL')
    expect(error?.cause).toBe(outage)
    expect(events.of('reconnecting')).toEqual([expect.objectContaining({ attempt: 1 })])
    expect(calls).toBe(2)
    expect(c.url).toBe(lab.ws('/live')) // an http: URL from the function is normalised to ws:
  })
})

describe('INVALID_OPTIONS', () => {
  it.each([
    ['reconnect.factor', { reconnect: { factor: 'x' } }],
    ['discovery', { discovery: 'sometimes' }],
    ['buffer.maxMessages', { buffer: { maxMessages: -1 } }],
    ['heartbeat.timeoutMs', { heartbeat: { intervalMs: 10 } }],
    ['connectTimeoutMs', { connectTimeoutMs: Number.NaN }],
    ['binaryType', { binaryType: 'nodebuffer' }],
    ['schema', { schema: { parse: () => 1 } }],
  ])('is thrown at connect(), naming %s', (field, options) => {
    const error = thrown(() =>
      connect('ws://127.0.0.1:1/', { WebSocket: NodeWebSocket, ...(options as ConnectOptions) }),
    )
    expect(error.code).toBe('INVALID_OPTIONS')
    expect(error.message).toContain(field)
  })

  it('is thrown before anything is requested', async () => {
    lab.endpoint('/live')
    thrown(() => connect(lab.ws('/live'), { WebSocket: NodeWebSocket, discovery: 'sometimes' as 'auto' }))
    await quiet(50)
    expect(lab.requests).toEqual([])
  })
})

describe('HANDSHAKE_FAILED', () => {
  it('stands when the handshake fails and the preflight shows no redirect, and is retried', async () => {
    const c = follow(lab.ws('/nowhere'), { reconnect: { minDelayMs: 60_000, maxDelayMs: 60_000 } })
    const events = record(c)
    const error = await next(c, 'error')
    expect(error.code).toBe('HANDSHAKE_FAILED')
    expect(error.url).toBe(lab.ws('/nowhere'))
    expect(lab.count('/nowhere', 'upgrade')).toBe(1)
    expect(lab.count('/nowhere', 'get')).toBe(1)
    expect(c.state).toBe('reconnecting')
    expect(events.of('reconnecting')).toEqual([expect.objectContaining({ attempt: 1, error })])
  })

  it("with discovery: 'off' is reported without any preflight", async () => {
    const c = follow(lab.ws('/nowhere'), { discovery: 'off', reconnect: { minDelayMs: 60_000, maxDelayMs: 60_000 } })
    expect((await next(c, 'error')).code).toBe('HANDSHAKE_FAILED')
    expect(lab.count('/nowhere', 'get')).toBe(0)
  })
})

describe('isFollowSocketError', () => {
  it('recognises the errors followsocket throws and emits, and nothing else', async () => {
    const error = thrown(() => connect('ftp://x'))
    expect(isFollowSocketError(error)).toBe(true)
    expect(error).toBeInstanceOf(FollowSocketError)
    expect(error).toBeInstanceOf(Error)
    expect(error.name).toBe('FollowSocketError')
    for (const other of [new Error('INVALID_URL'), { code: 'INVALID_URL' }, 'INVALID_URL', null, undefined, 0])
      expect(isFollowSocketError(other)).toBe(false)

    const c = follow(lab.ws('/nowhere'), { discovery: 'off', reconnect: { minDelayMs: 60_000, maxDelayMs: 60_000 } })
    expect(isFollowSocketError(await next(c, 'error'))).toBe(true)
  })

  it('recognises an error from another copy of the library', async () => {
    vi.resetModules()
    const copy = await import('../src/errors')
    expect(copy.FollowSocketError).not.toBe(FollowSocketError)
    const foreign = new copy.FollowSocketError('CLOSED', 'closed elsewhere')
    expect(foreign).not.toBeInstanceOf(FollowSocketError)
    expect(isFollowSocketError(foreign)).toBe(true)
  })
})

describe('a listener that throws', () => {
  it('does not stop the other listeners nor the connection, and is reported via console.error', async () => {
    const report = vi.spyOn(console, 'error').mockImplementation(() => {})
    lab.endpoint('/live')
    const c = follow(lab.ws('/live'))
    const bug = new Error('listener bug')
    const seen: string[] = []
    const throwing = (['state', 'open', 'message'] as const).map((type) =>
      c.on(type, () => {
        throw bug
      }),
    )
    c.on('open', () => seen.push('second open listener'))
    await next(c, 'open')

    expect(seen).toEqual(['second open listener'])
    expect(c.state).toBe('open')
    expect(report).toHaveBeenCalledWith(bug)
    expect(report.mock.calls).toEqual([[bug], [bug], [bug]]) // 'connecting' and 'open' states, the open event: each once

    // Still fully working: a message goes out and its echo comes back to the other listeners.
    const echo = next(c, 'message')
    c.send('still here')
    expect((await echo).data).toBe('still here')
    expect(c.state).toBe('open')
    expect(report).toHaveBeenCalledTimes(4) // and the message event
    for (const off of throwing) off()
  })
})

describe('a url function', () => {
  it('is called before every connect and reconnect, and connection.url is the latest it gave', async () => {
    const endpoint = lab.endpoint('/live')
    let calls = 0
    const c = follow(async () => `${lab.ws('/live')}?token=${++calls}`)
    await next(c, 'open')
    expect(calls).toBe(1)
    expect(c.url).toBe(`${lab.ws('/live')}?token=1`)
    expect(c.resolvedUrl).toBe(`${lab.ws('/live')}?token=1`)

    const reopened = next(c, 'open')
    serverCloses(endpoint, 1001, '')
    expect((await reopened).url).toBe(`${lab.ws('/live')}?token=2`)
    expect(calls).toBe(2)
    expect(c.url).toBe(`${lab.ws('/live')}?token=2`)
    expect(c.resolvedUrl).toBe(`${lab.ws('/live')}?token=2`)

    c.reconnect()
    await next(c, 'open')
    expect(calls).toBe(3)
    expect(c.url).toBe(`${lab.ws('/live')}?token=3`)
  })
})

describe('close code 4308', () => {
  it('with a URL reason moves the connection there at once, without a preflight', async () => {
    const from = lab.endpoint('/v1/live')
    lab.endpoint('/v2/live')
    const c = follow(lab.ws('/v1/live'))
    const events = record(c)
    await next(c, 'open')

    const moved = next(c, 'redirect')
    const reopened = next(c, 'open')
    serverCloses(from, 4308, lab.ws('/v2/live'))
    expect(await moved).toEqual({
      from: lab.ws('/v1/live'),
      to: lab.ws('/v2/live'),
      hops: [{ from: lab.ws('/v1/live'), to: lab.ws('/v2/live') }],
      via: 'close-frame',
    })
    expect((await reopened).url).toBe(lab.ws('/v2/live'))
    expect(c.resolvedUrl).toBe(lab.ws('/v2/live'))
    expect(c.url).toBe(lab.ws('/v1/live'))
    expect(events.of('close')).toEqual([
      { code: 4308, reason: lab.ws('/v2/live'), wasClean: true, willReconnect: true },
    ])
    expect(events.of('reconnecting')).toEqual([])
    expect(lab.count('/v1/live', 'get')).toBe(0)
    expect(lab.count('/v2/live', 'get')).toBe(0)
    expect(lab.count('/v2/live', 'upgrade')).toBe(1)
  })

  it('caches the move: a later connect to the old URL goes straight to the new one', async () => {
    const path = unique()
    const from = lab.endpoint(path)
    lab.endpoint(`${path}/moved`)
    const first = follow(lab.ws(path), { cache: 'memory' })
    await next(first, 'open')
    const reopened = next(first, 'open')
    serverCloses(from, 4308, lab.http(`${path}/moved`)) // an http(s) reason counts as its ws(s) twin
    expect((await reopened).url).toBe(lab.ws(`${path}/moved`))

    const second = follow(lab.ws(path), { cache: 'memory' })
    const redirect = next(second, 'redirect')
    expect((await next(second, 'open')).url).toBe(lab.ws(`${path}/moved`))
    expect((await redirect).via).toBe('cache')
    expect(lab.count(path, 'upgrade')).toBe(1)
    expect(lab.count(path, 'get')).toBe(0)
  })

  it('with an empty reason rediscovers: a preflight GET of the original URL, then the endpoint it leads to', async () => {
    const from = lab.endpoint('/a/live')
    lab.endpoint('/b/live')
    const c = follow(lab.ws('/a/live'))
    await next(c, 'open')
    expect(lab.count('/a/live', 'get')).toBe(0)

    lab.redirect('/a/live', lab.ws('/b/live')) // the endpoint moves; the open socket stays
    const found = next(c, 'redirect')
    const reopened = next(c, 'open')
    serverCloses(from, 4308, '')
    expect(await found).toMatchObject({ from: lab.ws('/a/live'), to: lab.ws('/b/live'), via: 'preflight' })
    expect((await reopened).url).toBe(lab.ws('/b/live'))
    expect(lab.count('/a/live', 'get')).toBe(1)
  })

  it.each([
    ['a javascript: URL', 'javascript:alert(1)'],
    ['an origin outside allowedOrigins', 'ws://localhost:9/elsewhere'],
    ['a URL with user-info', 'ws://user:pass@127.0.0.1:9/live'],
  ])('to %s is refused for good: REDIRECT_NOT_ALLOWED and state closed', async (_, reason) => {
    const from = lab.endpoint('/live')
    const c = follow(lab.ws('/live'), { allowedOrigins: [lab.origin] })
    const events = record(c)
    await next(c, 'open')

    const closed = next(c, 'close')
    serverCloses(from, 4308, reason)
    expect(await closed).toMatchObject({ code: 4308, reason, willReconnect: false })
    expect(events.of('error').map((e) => e.code)).toEqual(['REDIRECT_NOT_ALLOWED'])
    expect(c.state).toBe('closed')

    await quiet(PAST_BACKOFF)
    expect(c.state).toBe('closed')
    expect(events.of('reconnecting')).toEqual([])
    expect(events.of('redirect')).toEqual([])
    expect(lab.count('/live', 'upgrade')).toBe(1)
    expect(lab.count('/live', 'get')).toBe(0)
  })
})
