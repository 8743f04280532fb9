export interface ReconnectOptions {
  minDelayMs: number
  maxDelayMs: number
  factor: number
  /** 'full': uniform in [0, delay] (AWS "full jitter"), so a fleet does not reconnect in step. */
  jitter: 'full' | 'none'
  maxRetries: number
  /** A connection open this long was healthy: its next failure counts attempts (and pacing) afresh. */
  minUptimeMs: number
}

/** Delay before reconnect attempt `attempt` (1-based); `random` in [0, 1) is a parameter so tests can pin it. */
export const backoffDelay = (
  attempt: number,
  o: Pick<ReconnectOptions, 'minDelayMs' | 'maxDelayMs' | 'factor' | 'jitter'>,
  random: number = Math.random(),
): number => {
  // A minDelayMs above maxDelayMs wins: the cap must not shorten the first wait.
  const delay = Math.max(o.minDelayMs, Math.min(o.maxDelayMs, o.minDelayMs * o.factor ** (attempt - 1)))
  return Math.round(o.jitter === 'full' ? delay * random : delay)
}

// Timers overflow past 2^31 - 1 ms (about 24.8 days) and then fire at once; an option may ask
// for longer (or Infinity), which in a connection's life means "not before then".
/** A delay any timer accepts: `ms` (>= 0, Infinity included) capped at the longest one. */
export const timerDelay = (ms: number): number => Math.min(ms, 2 ** 31 - 1)

// How long close() leaves the server to finish the closing handshake before the socket is ended:
// a silent or half-open peer would hold it 30 s (`ws`) or a minute (Chromium).
export const CLOSE_TIMEOUT_MS = 1000
