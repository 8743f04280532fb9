// Properties, checked with fast-check over generated inputs rather than chosen examples: what
// must hold whatever a server, a page or a user sends. Each prints how many cases it ran.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { FollowSocketError, type ErrorCode } from '../src'
import { parseRetryAfter } from '../src/diagnosis'
import { afterClose, afterFailure, FRESH, type DecisionSettings, type Pace, type Step } from '../src/next-step'
import { checkHop, compileOrigin } from '../src/redirect-policy'
import { isSecure, normaliseUrl, toHttp } from '../src/url'

// A fixed seed keeps CI deterministic (the same cases every run); FC_SEED explores others.
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261206) })
const runs = (numRuns: number) => ({ numRuns })
const HOSTS = ['a.example', 'b.example', 'c.example.org', '127.0.0.1', 'localhost']
const SCHEMES = ['http:', 'https:', 'ws:', 'wss:', 'ftp:', 'javascript:', 'data:']

/** A URL a server could put in a Location: any scheme, host, port, user-info, path. */
const location = fc
  .record({
    scheme: fc.constantFrom(...SCHEMES),
    host: fc.constantFrom(...HOSTS),
    port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
    user: fc.option(fc.constantFrom('u', 'u:p'), { nil: undefined }),
    path: fc.webPath(),
  })
  .map(
    ({ scheme, host, port, user, path }) =>
      new URL(`${scheme}//${user ? `${user}@` : ''}${host}${port ? `:${port}` : ''}${path}`),
  )

const webUrl = location.filter((url) => /^(http|ws)s?:$/.test(url.protocol) && !url.username)

describe('the redirect policy, whatever the Location', () => {
  it('never lets through a downgrade, a foreign origin, a hop past maxRedirects, user-info or a non-web scheme', () => {
    const policy = fc.record({
      allowInsecure: fc.boolean(),
      maxRedirects: fc.integer({ min: 0, max: 5 }),
      origins: fc.option(fc.subarray(['https://a.example', 'http://*.example', 'wss://c.example.org:8443']), {
        nil: undefined,
      }),
    })
    let checked = 0
    fc.assert(
      fc.property(webUrl, location, policy, fc.integer({ min: 1, max: 7 }), (from, to, p, hop) => {
        const allowedOrigins = p.origins?.map((origin) => compileOrigin(origin) as RegExp)
        let refused: FollowSocketError | undefined
        try {
          checkHop(from, to, [toHttp(from)], hop, {
            allowInsecure: p.allowInsecure,
            maxRedirects: p.maxRedirects,
            allowedOrigins,
          })
        } catch (error) {
          refused = error as FollowSocketError
        }
        checked++
        if (refused) {
          expect(refused).toBeInstanceOf(FollowSocketError)
          return
        }
        expect(/^(http|ws)s?:$/.test(to.protocol)).toBe(true)
        expect(to.username + to.password).toBe('')
        expect(hop).toBeLessThanOrEqual(p.maxRedirects)
        if (isSecure(from) && !p.allowInsecure) expect(isSecure(to)).toBe(true)
        if (allowedOrigins) expect(allowedOrigins.some((origin) => origin.test(new URL(toHttp(to)).origin))).toBe(true)
        expect(toHttp(to)).not.toBe(toHttp(from))
      }),
      runs(2000),
    )
    console.log(`policy: ${checked} hops checked`)
  })
})

describe('URL normalisation', () => {
  it('gives a ws:/wss: URL without a fragment, and is idempotent', () => {
    fc.assert(
      fc.property(webUrl, fc.webFragments(), (url, fragment) => {
        const ws = normaliseUrl(`${url.href}#${fragment}`)
        expect(ws).toMatch(/^wss?:\/\//)
        expect(ws).not.toContain('#')
        expect(normaliseUrl(ws)).toBe(ws)
      }),
      runs(1000),
    )
  })

  it('refuses anything that is not a ws(s)/http(s) URL with INVALID_URL, never anything else', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), location.map(String)), (input) => {
        try {
          expect(normaliseUrl(input)).toMatch(/^wss?:\/\//)
        } catch (error) {
          expect(error).toMatchObject({ code: 'INVALID_URL' })
        }
      }),
      runs(1000),
    )
  })
})

describe('Retry-After', () => {
  const HOUR = 3_600_000
  const now = Date.parse('2026-12-06T12:00:00Z')
  // The obsolete HTTP-date forms of a date, built from its IMF-fixdate "Sun, 06 Dec 2026 12:00:30 GMT".
  const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
  const imf = (date: Date) => date.toUTCString().split(' ') as [string, string, string, string, string, 'GMT']
  const rfc850 = (date: Date) => {
    const [, day, month, year, time] = imf(date)
    return `${DAYS[date.getUTCDay()]}, ${day}-${month}-${year.slice(2)} ${time} GMT`
  }
  const asctime = (date: Date) => {
    const [weekday, day, month, year, time] = imf(date)
    return `${weekday.slice(0, 3)} ${month} ${String(+day).padStart(2)} ${time} ${year}`
  }

  it('every value gives a wait in (0, 1 h] or none', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.nat().map(String),
          fc.date().map((d) => (isNaN(+d) ? 'x' : d.toUTCString())),
        ),
        (value) => {
          const wait = parseRetryAfter(value, now)
          if (wait !== undefined) expect(wait > 0 && wait <= HOUR).toBe(true)
        },
      ),
      runs(2000),
    )
  })

  it('seconds are read as seconds, dates as dates; garbage asks for no wait', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), (seconds) => {
        expect(parseRetryAfter(String(seconds), now)).toBe(seconds ? Math.min(seconds * 1000, HOUR) : undefined)
        const later = new Date(now + seconds * 1000)
        for (const date of [later.toUTCString(), rfc850(later), asctime(later)])
          expect(parseRetryAfter(date, now)).toBe(seconds ? Math.min(seconds * 1000, HOUR) : undefined)
      }),
      runs(1000),
    )
    fc.assert(
      fc.property(
        fc.string().filter((s) => !/^\d+$/.test(s.trim()) && !/GMT$/.test(s)),
        (garbage) => {
          expect(parseRetryAfter(garbage, now)).toBeUndefined()
        },
      ),
      runs(2000),
    )
  })
})

describe('the failure decision', () => {
  const S: DecisionSettings = {
    discovery: 'auto',
    reconnect: {
      minDelayMs: 100,
      maxDelayMs: 1000,
      factor: 2,
      jitter: 'full',
      maxRetries: Infinity,
      minUptimeMs: 5000,
    },
    shouldReconnect: () => true,
    maxRedirects: 10,
    allowInsecure: false,
  }
  const A = 'ws://a.example/live'
  const CODES: ErrorCode[] = [
    'HANDSHAKE_FAILED',
    'CONNECT_TIMEOUT',
    'DISCOVERY_BLOCKED',
    'DISCOVERY_TIMEOUT',
    'HEARTBEAT_TIMEOUT',
  ]
  /** Anything that can end an attempt or a socket, over and over: moves, restarts, failures, healthy stretches. */
  const ending = fc.oneof(
    fc.record({
      kind: fc.constant('failed' as const),
      code: fc.constantFrom(...CODES),
      via: fc.constantFrom(undefined, 'preflight', 'cache', 'close-frame'),
    }),
    fc.record({
      kind: fc.constant('closed' as const),
      code: fc.constantFrom(1000, 1001, 1006, 1011, 1012, 1013, 4308),
      reason: fc.constantFrom('', A, 'ws://b.example/live', 'ws://c.example.org/x', 'not a url'),
      at: fc.constantFrom(A, 'ws://b.example/live'),
      uptimeMs: fc.constantFrom(0, 100, 4999, 5000, 60_000),
    }),
  )

  it('no two immediate reopens without a healthy connection between them, whatever sequence of events', () => {
    let steps = 0
    fc.assert(
      fc.property(
        fc.array(ending, { maxLength: 40 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (endings, random) => {
          let pace: Pace = FRESH
          let immediate = 0
          for (const e of endings) {
            if (e.kind === 'closed' && e.uptimeMs >= 5000) immediate = 0
            const now = { offline: false, random }
            const step: Step =
              e.kind === 'failed'
                ? afterFailure(new FollowSocketError(e.code, e.code, A), e.via, pace, S, now)
                : afterClose({ code: e.code, reason: e.reason, wasClean: true }, e.at, A, e.uptimeMs, pace, S, now)
            steps++
            // The preflight after a failed direct handshake is part of the same attempt, not a reopen.
            if (step.kind === 'now' && step.then !== 'preflight') immediate++
            expect(immediate).toBeLessThanOrEqual(1)
            if (step.kind === 'wait') expect(step.delayMs).toBeGreaterThanOrEqual(0)
            pace = step.pace
          }
        },
      ),
      runs(1000),
    )
    console.log(`failure decision: ${steps} steps decided`)
  })
})
