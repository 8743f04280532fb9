import { describe, expect, it } from 'vitest'
import { FollowSocketError, type ErrorCode } from '../src'
import {
  afterClose,
  afterFailure,
  FRESH,
  willReconnect,
  type DecisionSettings,
  type Pace,
  type Step,
} from '../src/next-step'

// The failure decision (docs/failure-path.md) as a table: one row per rule, each a sentence of
// the design. No timers, no sockets: what happened, the pace, the options → the step.

const A = 'ws://a.example/live'
const B = 'ws://b.example/live'
const RECONNECT = {
  minDelayMs: 100,
  maxDelayMs: 1000,
  factor: 2,
  jitter: 'none' as const,
  maxRetries: 3,
  minUptimeMs: 5000,
}
const S: DecisionSettings = {
  discovery: 'auto',
  reconnect: RECONNECT,
  shouldReconnect: ({ code }) => ![1002, 1003, 1007, 1008, 1009, 1010].includes(code),
  maxRedirects: 10,
  allowInsecure: false,
}
const NOW = { offline: false, random: 0.5 }
const SPENT: Pace = { attempt: 0, spent: true }

const error = (code: ErrorCode, extra: { status?: number; retryAfterMs?: number } = {}) =>
  new FollowSocketError(code, code, A, undefined, extra.status, extra.retryAfterMs)
type Ending = (pace: Pace, s: DecisionSettings, now: typeof NOW) => Step
/** An attempt failed before open. */
const failed =
  (code: ErrorCode, via?: 'preflight' | 'cache' | 'close-frame', extra = {}): Ending =>
  (pace, s, now) =>
    afterFailure(error(code, extra), via, pace, s, now)
/** An open socket at `at` closed. */
const closed =
  (code: number, reason = '', at = A, uptimeMs = 100): Ending =>
  (pace, s, now) =>
    afterClose({ code, reason, wasClean: true }, at, A, uptimeMs, pace, s, now)

interface Row {
  rule: string
  ending: Ending
  pace?: Pace
  s?: Partial<DecisionSettings>
  offline?: boolean
  step: Omit<Step, 'pace'> & Record<string, unknown>
  pace_?: Pace
}

const rows: Row[] = [
  // Before open
  {
    rule: "in 'auto' mode a failed direct handshake calls for the preflight at once (part of the same attempt)",
    ending: failed('HANDSHAKE_FAILED'),
    step: { kind: 'now', then: 'preflight' },
    pace_: FRESH,
  },
  {
    rule: "with discovery 'off' a failed handshake waits the back-off",
    ending: failed('HANDSHAKE_FAILED'),
    s: { discovery: 'off' },
    step: { kind: 'wait', then: 'connect', attempt: 1, delayMs: 100, held: false },
    pace_: { attempt: 1, spent: false },
  },
  {
    rule: 'a direct connect that timed out waits the back-off (a silent server would keep a preflight waiting too)',
    ending: failed('CONNECT_TIMEOUT'),
    step: { kind: 'wait', then: 'connect', attempt: 1, delayMs: 100, held: false },
  },
  {
    rule: 'a handshake that failed where the preflight led waits the back-off',
    ending: failed('HANDSHAKE_FAILED', 'preflight', { status: 404 }),
    step: { kind: 'wait', then: 'connect', attempt: 1, delayMs: 100, held: false },
  },
  {
    rule: 'a preflight that found nothing answering waits the back-off',
    ending: failed('DISCOVERY_BLOCKED', 'preflight'),
    step: { kind: 'wait', then: 'connect', attempt: 1, delayMs: 100, held: false },
  },
  {
    rule: 'a 503 with Retry-After waits the server’s wait plus the back-off, and page-lifecycle events may not cut it short',
    ending: failed('HANDSHAKE_FAILED', 'preflight', { status: 503, retryAfterMs: 7000 }),
    step: { kind: 'wait', then: 'connect', attempt: 1, delayMs: 7100, held: true },
  },
  {
    rule: 'the back-off grows with each attempt since the connection was last healthy',
    ending: failed('HANDSHAKE_FAILED', 'preflight'),
    pace: { attempt: 2, spent: false },
    step: { kind: 'wait', then: 'connect', attempt: 3, delayMs: 400, held: false },
  },
  {
    rule: 'after maxRetries attempts it gives up (RETRIES_EXHAUSTED)',
    ending: failed('HANDSHAKE_FAILED', 'preflight'),
    pace: { attempt: 3, spent: false },
    step: { kind: 'give-up' },
  },
  {
    rule: 'offline, it waits for the network without spending an attempt',
    ending: failed('HANDSHAKE_FAILED', 'preflight'),
    pace: { attempt: 3, spent: false },
    offline: true,
    step: { kind: 'wait', then: 'connect', attempt: 4, delayMs: Infinity, held: false },
    pace_: { attempt: 3, spent: false },
  },
  ...(
    ['REDIRECT_LOOP', 'TOO_MANY_REDIRECTS', 'INSECURE_REDIRECT', 'REDIRECT_NOT_ALLOWED', 'INVALID_OPTIONS'] as const
  ).map(
    (code): Row => ({
      rule: `${code} is final: it would repeat on every attempt`,
      ending: failed(code, 'preflight'),
      step: { kind: 'stop' },
    }),
  ),
  {
    rule: 'a remembered location that fails is rediscovered at once, the first time since healthy',
    ending: failed('HANDSHAKE_FAILED', 'cache', { status: 404 }),
    step: { kind: 'now', then: 'rediscover' },
    pace_: { attempt: 0, spent: true },
  },
  {
    rule: 'a location moved to that fails is rediscovered through the back-off once the immediate step is spent',
    ending: failed('HANDSHAKE_FAILED', 'close-frame', { status: 404 }),
    pace: SPENT,
    step: { kind: 'wait', then: 'rediscover', attempt: 1, delayMs: 100, held: false },
  },
  {
    rule: 'without reconnect, a failure ends it',
    ending: failed('HANDSHAKE_FAILED', 'preflight'),
    s: { reconnect: false },
    step: { kind: 'stop' },
  },
  // After open
  {
    rule: 'a close not asked for reconnects through the back-off',
    ending: closed(1006),
    step: { kind: 'wait', then: 'connect', attempt: 1, delayMs: 100, held: false },
  },
  {
    rule: 'a connection open for minUptimeMs was healthy: attempts and pacing start afresh',
    ending: closed(1006, '', A, 5000),
    pace: { attempt: 3, spent: true },
    step: { kind: 'wait', then: 'connect', attempt: 1, delayMs: 100, held: false },
    pace_: { attempt: 1, spent: false },
  },
  ...[1002, 1003, 1007, 1008, 1009, 1010].map(
    (code): Row => ({
      rule: `a close with ${code} would repeat: no reconnect`,
      ending: closed(code),
      step: { kind: 'stop' },
    }),
  ),
  {
    rule: '4308 with a URL: the move is followed at once, the first time since healthy',
    ending: closed(4308, B),
    step: { kind: 'now', then: { move: B } },
    pace_: { attempt: 0, spent: true },
  },
  {
    rule: '4308 back to a URL the connection left (a rollback, a ping-pong) is followed through the back-off, never refused',
    ending: closed(4308, A, B),
    pace: SPENT,
    step: { kind: 'wait', then: { move: A }, attempt: 1, delayMs: 100, held: false },
  },
  {
    rule: '4308 with an empty reason: the endpoint is found again',
    ending: closed(4308, ''),
    step: { kind: 'now', then: 'rediscover' },
  },
  {
    rule: '4308 to a URL the policy refuses ends it with that refusal',
    ending: closed(4308, 'javascript:alert(1)'),
    step: { kind: 'stop', error: expect.objectContaining({ code: 'REDIRECT_NOT_ALLOWED' }) },
  },
  {
    rule: '4308 is not followed when shouldReconnect says no',
    ending: closed(4308, B),
    s: { shouldReconnect: () => false },
    step: { kind: 'stop' },
  },
  {
    rule: '1012 from a remembered location: rediscover, at once the first time',
    ending: closed(1012, '', B),
    step: { kind: 'now', then: 'rediscover' },
  },
  {
    rule: '1013 from a remembered location, once the immediate step is spent: rediscover through the back-off',
    ending: closed(1013, '', B),
    pace: SPENT,
    step: { kind: 'wait', then: 'rediscover', attempt: 1, delayMs: 100, held: false },
  },
  {
    rule: '1012 at the URL asked for: a plain reconnect',
    ending: closed(1012, '', A),
    step: { kind: 'wait', then: 'connect', attempt: 1, delayMs: 100, held: false },
  },
  {
    rule: 'without reconnect, a close ends it, moves included',
    ending: closed(4308, B),
    s: { reconnect: false },
    step: { kind: 'stop' },
  },
]

describe('what follows a failure or a close', () => {
  for (const row of rows)
    it(row.rule, () => {
      const { pace, ...step } = row.ending(row.pace ?? FRESH, { ...S, ...row.s }, { ...NOW, offline: !!row.offline })
      expect(step).toEqual(row.step)
      if (row.pace_) expect(pace).toEqual(row.pace_)
    })

  it('jitter: the delay is the random share of the back-off, on top of what the server asked', () => {
    const s = { ...S, reconnect: { ...RECONNECT, jitter: 'full' as const } }
    const ending = failed('HANDSHAKE_FAILED', 'preflight', { status: 503, retryAfterMs: 2000 })
    expect(ending(FRESH, s, { offline: false, random: 0 })).toMatchObject({ delayMs: 2000 })
    expect(ending(FRESH, s, { offline: false, random: 0.5 })).toMatchObject({ delayMs: 2050 })
  })

  it('willReconnect is true exactly when another attempt follows', () => {
    const steps: Step[] = [
      { kind: 'now', then: 'connect', pace: FRESH },
      { kind: 'stop', pace: FRESH },
      { kind: 'give-up', pace: FRESH },
    ]
    expect(steps.map(willReconnect)).toEqual([true, false, false])
  })

  it('no two immediate reopens without a healthy connection between them, whatever closes come', () => {
    // Every close a server can send, over and over, never healthy in between.
    const endings = [
      closed(4308, B, A),
      closed(4308, A, B),
      closed(4308, ''),
      closed(1012, '', B),
      failed('HANDSHAKE_FAILED', 'cache'),
    ]
    let pace = FRESH
    let immediate = 0
    for (let i = 0; i < 100; i++) {
      const step = endings[i % endings.length]!(pace, { ...S, reconnect: { ...RECONNECT, maxRetries: Infinity } }, NOW)
      if (step.kind === 'now') immediate++
      pace = step.pace
    }
    expect(immediate).toBe(1)
  })
})
