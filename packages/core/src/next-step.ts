import { backoffDelay, type ReconnectOptions } from './backoff'
import { isFinal, type FollowSocketError } from './errors'
import { movedTo, type RedirectPolicy } from './redirect-policy'
import type { CloseInfo, RedirectInfo } from './types'

/**
 * What follows a failed attempt or a close: the one decision of the failure path
 * (docs/failure-path.md). A pure function of what happened, the connection's pace and its
 * options, with no timers and no sockets in it: connect() and FollowWebSocket carry its answer out.
 *
 * Pacing: following a move (4308) or finding a stale endpoint again is immediate once since the
 * connection was last healthy (open for reconnect.minUptimeMs); every further such step waits
 * the back-off like any retry, counts as an attempt and is announced. A move back to a URL the
 * connection left (a ping-pong, an operator's rollback) is such a further step: followed, never
 * refused. So whatever a server does, a client makes at most a handful of handshakes a second.
 */

export interface Pace {
  /** Attempts since the connection was last healthy. */
  attempt: number
  /** Whether the one immediate reopen since then (a move followed, a rediscovery) is spent. */
  spent: boolean
}

export const FRESH: Pace = { attempt: 0, spent: false }

/** How a socket's target was found; undefined for the URL asked for, opened directly. */
export type FoundVia = RedirectInfo['via'] | undefined
/** What the next attempt does. */
export type Then =
  /** A plain attempt: the URL function, the cache, the socket. */
  | 'connect'
  /** The preflight of this attempt, after its direct handshake failed ('auto' discovery). */
  | 'preflight'
  /** Forget the remembered location and find the endpoint again from the URL asked for. */
  | 'rediscover'
  /** Open where a close frame moved the endpoint. */
  | { move: string }

/** The step to carry out, and the connection's pace after it. */
export type Step = { pace: Pace } & (
  | { kind: 'now'; then: Then }
  /** `held`: the wait is the server's (Retry-After), which page-lifecycle events do not cut short. */
  | { kind: 'wait'; then: Then; attempt: number; delayMs: number; held: boolean }
  /** Nothing follows: the connection is closed (after `error`, if there is one). */
  | { kind: 'stop'; error?: FollowSocketError }
  /** maxRetries spent: RETRIES_EXHAUSTED. */
  | { kind: 'give-up' }
)

export interface DecisionSettings extends RedirectPolicy {
  discovery: 'auto' | 'preflight' | 'off'
  reconnect: ReconnectOptions | false
  shouldReconnect: (close: Omit<CloseInfo, 'willReconnect'>) => boolean
}

/** What the world looks like now: whether the browser is offline, and a random number in [0, 1) for the jitter. */
export interface Circumstances {
  offline: boolean
  random: number
}

/** Waits the back-off (plus what the server asked for), then does `then`; or gives up. */
const retry = (then: Then, pace: Pace, s: DecisionSettings, now: Circumstances, error?: FollowSocketError): Step => {
  if (!s.reconnect) return { kind: 'stop', pace }
  const attempt = pace.attempt + 1
  // Offline every attempt would fail: wait for the network instead of spending attempts.
  if (now.offline) return { kind: 'wait', then, attempt, delayMs: Infinity, held: false, pace }
  if (pace.attempt >= s.reconnect.maxRetries) return { kind: 'give-up', pace }
  // A fleet told the same Retry-After must not come back in the same second: the jittered
  // back-off goes on top of the server's wait.
  const asked = error?.retryAfterMs ?? 0
  const delayMs = backoffDelay(attempt, s.reconnect, now.random) + asked
  return { kind: 'wait', then, attempt, delayMs, held: asked > 0, pace: { ...pace, attempt } }
}

/** A move followed or a rediscovery: at once the first time since healthy, else paced. */
const reopen = (then: Then, pace: Pace, s: DecisionSettings, now: Circumstances, error?: FollowSocketError): Step =>
  pace.spent ? retry(then, pace, s, now, error) : { kind: 'now', then, pace: { ...pace, spent: true } }

/**
 * After an attempt failed before `open` (discovery, handshake, timeout), with the error that says
 * why. `via`: how its target was found (see Found), 'preflight' too when the preflight itself
 * failed, undefined for the URL asked for, opened directly.
 */
export const afterFailure = (
  error: FollowSocketError,
  via: FoundVia,
  pace: Pace,
  s: DecisionSettings,
  now: Circumstances,
): Step => {
  // A remembered location that fails is stale, whatever its error says.
  if (via === 'cache' || via === 'close-frame') return reopen('rediscover', pace, s, now, error)
  if (isFinal(error)) return { kind: 'stop', pace }
  // In 'auto' mode the direct handshake goes first; its failure is what calls for a preflight.
  if (!via && s.discovery === 'auto' && error.code === 'HANDSHAKE_FAILED')
    return { kind: 'now', then: 'preflight', pace }
  return retry('connect', pace, s, now, error)
}

// A remembered location going away for a restart or overload may not come back there (RFC 6455 §7.4.1).
const GOING_AWAY = [1012, 1013]

/**
 * After an open socket closed, not by close(): `at` is where it was, `requested` the URL asked
 * for, `uptimeMs` how long it was open.
 */
export const afterClose = (
  close: Omit<CloseInfo, 'willReconnect'>,
  at: string,
  requested: string,
  uptimeMs: number,
  pace: Pace,
  s: DecisionSettings,
  now: Circumstances,
): Step => {
  // A connection that stayed up long enough was healthy: its next failure starts afresh.
  if (s.reconnect && uptimeMs >= s.reconnect.minUptimeMs) pace = FRESH
  let to: string | undefined
  if (close.code === 4308)
    try {
      to = movedTo(close.reason, at, s)
    } catch (error) {
      // A move the policy refuses would be refused on every attempt.
      return { kind: 'stop', error: error as FollowSocketError, pace }
    }
  if (!s.reconnect || !s.shouldReconnect(close)) return { kind: 'stop', pace }
  if (close.code === 4308) return reopen(to ? { move: to } : 'rediscover', pace, s, now)
  if (at !== requested && GOING_AWAY.includes(close.code)) return reopen('rediscover', pace, s, now)
  return retry('connect', pace, s, now)
}

/** Whether a step leads to another attempt: a close's `willReconnect`. */
export const willReconnect = (step: Step): boolean => step.kind === 'now' || step.kind === 'wait'
