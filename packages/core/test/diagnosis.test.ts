import { describe, expect, it } from 'vitest'
import { freePort, startLab, type Lab } from '@followsocket/lab'
import { connect, FollowSocketError, FollowWebSocket, resolve } from '../src'
import { parseRetryAfter } from '../src/diagnosis'
import { next, NodeWebSocket } from './helpers'
import { lab, track } from './lab'

// Failure diagnosis (docs/diagnosis.md) in Node, against the lab: a failed handshake is classified
// by what the preflight's GET of the same URL read, and a 429/503 with Retry-After is waited for.

/** The first error of a connection to `url` that does not retry. */
const failure = async (url: string, options = {}) => {
  const c = track(connect(url, { WebSocket: NodeWebSocket, cache: false, reconnect: false, ...options }))
  return next(c, 'error')
}

describe('a failed handshake says what the server answered (docs/diagnosis.md#the-table)', () => {
  it('nothing answers: HANDSHAKE_FAILED, no status, "down or unreachable", not a CORS hint', async () => {
    const port = await freePort()
    const error = await failure(`ws://127.0.0.1:${port}/live`)
    expect(error).toMatchObject({ code: 'HANDSHAKE_FAILED', status: undefined })
    expect(error.message).toMatch(/Nothing answers at 127\.0\.0\.1:\d+: down or unreachable/)
    expect(error.message).not.toMatch(/Access-Control/)
  })

  it("nothing answers, attempt after attempt: each error carries its own attempt's network error", async () => {
    const port = await freePort()
    const c = track(
      connect(`ws://127.0.0.1:${port}/live`, {
        WebSocket: NodeWebSocket,
        cache: false,
        reconnect: { minDelayMs: 10, maxDelayMs: 10, jitter: 'none', maxRetries: 1 },
      }),
    )
    const first = await next(c, 'error')
    const second = await next(c, 'error')
    expect([first.code, second.code]).toEqual(['HANDSHAKE_FAILED', 'HANDSHAKE_FAILED'])
    expect(second.message).toBe(first.message)
    // Node has no probe to spare: the error is this attempt's, not one kept from the first.
    expect(second).not.toBe(first)
    expect(second.cause).toBeInstanceOf(Error)
    expect(second.cause).not.toBe(first.cause)
  })

  // The message names the status and says what to do about it, as the table's row does.
  const advice: [number, string][] = [
    [401, ': the server refused the credentials: a url function can put a fresh token in the URL'],
    [403, ': the server refused the credentials: a url function can put a fresh token in the URL'],
    [404, ': nothing at that path: check the URL'],
    [410, ': nothing at that path: check the URL'],
    [400, ': a WebSocket endpoint is there but refused this handshake (subprotocol? Origin check?)'],
    [200, ': a WebSocket endpoint is there but refused this handshake (subprotocol? Origin check?)'],
    [500, ''],
  ]
  for (const [status, says] of advice)
    it(`${status}: HANDSHAKE_FAILED with status ${status}, "answered ${status}${says}"`, async () => {
      lab.status('/live', status)
      const error = await failure(lab.ws('/live'))
      expect(error).toMatchObject({ code: 'HANDSHAKE_FAILED', status, retryAfterMs: undefined })
      expect(error.message).toBe(`${lab.ws('/live')} answered ${status}${says}`)
    })

  for (const status of [429, 503])
    it(`${status} with Retry-After: 7 → retryAfterMs 7000, "the server asks to come back in 7 s"`, async () => {
      lab.status('/live', status, { headers: { 'retry-after': '7' } })
      const error = await failure(lab.ws('/live'))
      expect(error).toMatchObject({ code: 'HANDSHAKE_FAILED', status, retryAfterMs: 7000 })
      expect(error.message).toBe(`${lab.ws('/live')} answered ${status}: the server asks to come back in 7 s`)
    })

  it('503 without Retry-After: the status alone, no wait asked', async () => {
    lab.status('/live', 503)
    const error = await failure(lab.ws('/live'))
    expect(error).toMatchObject({ status: 503, retryAfterMs: undefined })
    expect(error.message).toBe(`${lab.ws('/live')} answered 503`)
  })

  it('Retry-After counts only on a 429 or 503', async () => {
    lab.status('/live', 500, { headers: { 'retry-after': '7' } })
    expect(await failure(lab.ws('/live'))).toMatchObject({ status: 500, retryAfterMs: undefined })
  })

  it('a WebSocket endpoint that refuses this handshake (wrong subprotocol): its GET answers 426', async () => {
    lab.endpoint('/live', { protocols: ['chat.v2'] })
    const error = await failure(lab.ws('/live'), { protocols: 'chat.v1' })
    expect(error).toMatchObject({ code: 'HANDSHAKE_FAILED', status: 426 })
    expect(error.message).toBe(
      `${lab.ws('/live')} answered 426: a WebSocket endpoint is there but refused this handshake (subprotocol? Origin check?)`,
    )
  })

  it("in 'preflight' mode the preflight before the socket classifies its failure, without a second GET", async () => {
    lab.status('/live', 401)
    const error = await failure(lab.ws('/live'), { discovery: 'preflight' })
    expect(error).toMatchObject({ status: 401 })
    expect(lab.count('/live', 'get')).toBe(1)
    expect(lab.count('/live', 'upgrade')).toBe(1)
  })

  it("with discovery 'off' there is no preflight, and so no status", async () => {
    lab.status('/live', 401)
    const error = await failure(lab.ws('/live'), { discovery: 'off' })
    expect(error).toMatchObject({ code: 'HANDSHAKE_FAILED', status: undefined })
    expect(lab.count('/live', 'get')).toBe(0)
  })
})

describe('requests per attempt', () => {
  it('a healthy connect makes no GET; a followed redirect makes one', async () => {
    lab.endpoint('/v2/live')
    lab.redirect('/v1/live', lab.ws('/v2/live'))
    const direct = track(connect(lab.ws('/v2/live'), { WebSocket: NodeWebSocket, cache: false }))
    await next(direct, 'open')
    const moved = track(connect(lab.ws('/v1/live'), { WebSocket: NodeWebSocket, cache: false }))
    await next(moved, 'open')
    expect([lab.count('/v2/live', 'get'), lab.count('/v1/live', 'get'), lab.count('/v1/live', 'upgrade')]).toEqual([
      1, 1, 1,
    ])
  })
})

describe('Retry-After (docs/diagnosis.md#retry-after)', () => {
  it('parses seconds and IMF-fixdate HTTP dates, caps at an hour; no wait for 0, a past date or nonsense', () => {
    const now = Date.parse('2026-11-30T12:00:00Z')
    expect(parseRetryAfter('120', now)).toBe(120_000)
    expect(parseRetryAfter('Mon, 30 Nov 2026 12:00:30 GMT', now)).toBe(30_000)
    expect(parseRetryAfter('99999', now)).toBe(3_600_000)
    expect(parseRetryAfter('0', now)).toBeUndefined()
    expect(parseRetryAfter('Mon, 30 Nov 2026 11:00:00 GMT', now)).toBeUndefined()
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    // Date.parse would read this as the year 2030, an hour's wait: it is no HTTP-date.
    expect(parseRetryAfter('foo 2030', now)).toBeUndefined()
    expect(parseRetryAfter('2026-11-30T12:00:30Z', now)).toBeUndefined()
    expect(parseRetryAfter(null, now)).toBeUndefined()
  })

  it('reads the two obsolete HTTP-date forms too, rfc850 and asctime, both in GMT (RFC 9110 §5.6.7)', () => {
    const now = Date.parse('2026-11-30T12:00:00Z')
    expect(parseRetryAfter('Monday, 30-Nov-26 12:00:30 GMT', now)).toBe(30_000)
    expect(parseRetryAfter('Mon Nov 30 12:00:30 2026', now)).toBe(30_000)
    expect(parseRetryAfter('Thu Dec  3 12:00:00 2026', Date.parse('2026-12-03T11:59:00Z'))).toBe(60_000)
    // asctime names no zone: it is GMT all the same, wherever the client is.
    const zone = process.env.TZ
    process.env.TZ = 'America/New_York'
    try {
      expect(new Date(now).getHours()).toBe(7)
      expect(parseRetryAfter('Mon Nov 30 12:00:30 2026', now)).toBe(30_000)
    } finally {
      if (zone === undefined) delete process.env.TZ
      else process.env.TZ = zone
    }
    // Near misses of each form are no dates.
    expect(parseRetryAfter('Monday, 30-Nov-26 12:00:30', now)).toBeUndefined()
    expect(parseRetryAfter('Mon Nov 30 12:00:30 26', now)).toBeUndefined()
    expect(parseRetryAfter('Mon, 30 Nov-2026 12:00:30 GMT', now)).toBeUndefined()
  })

  it('the next attempt waits Retry-After plus this attempt’s jittered back-off, and reconnecting.delayMs says so', async () => {
    lab.status('/live', 503, { headers: { 'retry-after': '2' } })
    const c = track(
      connect(lab.ws('/live'), {
        WebSocket: NodeWebSocket,
        cache: false,
        reconnect: { minDelayMs: 300, maxDelayMs: 300 },
      }),
    )
    const { delayMs, error } = await next(c, 'reconnecting')
    expect(error).toMatchObject({ status: 503, retryAfterMs: 2000 })
    expect(delayMs).toBeGreaterThanOrEqual(2000)
    expect(delayMs).toBeLessThanOrEqual(2300)
  })

  it('reconnect() cuts the server’s wait short', async () => {
    lab.status('/live', 503, { headers: { 'retry-after': '3600' } })
    const c = track(connect(lab.ws('/live'), { WebSocket: NodeWebSocket, cache: false }))
    await next(c, 'reconnecting')
    const upgrades = lab.count('/live', 'upgrade')
    c.reconnect()
    await next(c, 'reconnecting')
    expect(lab.count('/live', 'upgrade')).toBe(upgrades + 1)
  })
})

describe('resolve() and FollowWebSocket', () => {
  it('resolve() reports the final status', async () => {
    lab.status('/live', 503)
    expect(await resolve(lab.ws('/live'), { cache: false })).toMatchObject({ redirected: false, status: 503 })
  })

  it("FollowWebSocket's error event carries the classified error, then close 1006", async () => {
    lab.status('/live', 401)
    const ws = new (FollowWebSocket.with({ WebSocket: NodeWebSocket, cache: false }))(lab.ws('/live'))
    const error = new Promise<FollowSocketError>((done) =>
      ws.addEventListener('error', (event) => done((event as Event & { error: FollowSocketError }).error)),
    )
    const close = new Promise<CloseEvent>((done) => ws.addEventListener('close', (event) => done(event as CloseEvent)))
    expect(await error).toMatchObject({ code: 'HANDSHAKE_FAILED', status: 401 })
    expect((await close).code).toBe(1006)
  })
})
