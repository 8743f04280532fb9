import { timerDelay } from './backoff'
import type { HeartbeatOptions } from './types'

/**
 * Pings an open socket every `intervalMs` until `signal` aborts. Any frame counts as an answer; a
 * socket silent for `timeoutMs` after a ping is dead even if no close ever comes (half-open):
 * `silent` is called.
 */
export const heartbeat = (
  ws: WebSocket,
  beat: Required<HeartbeatOptions>,
  signal: AbortSignal,
  silent: () => void,
): void => {
  let answer: ReturnType<typeof setTimeout> | undefined
  const ping = setInterval(() => {
    ws.send(beat.message)
    answer ??= setTimeout(silent, timerDelay(beat.timeoutMs))
  }, timerDelay(beat.intervalMs))
  ws.addEventListener('message', () => {
    clearTimeout(answer)
    answer = undefined
  })
  signal.addEventListener('abort', () => {
    clearInterval(ping)
    clearTimeout(answer)
  })
}
