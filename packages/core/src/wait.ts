import { timerDelay } from './backoff'

/**
 * Waits `delayMs` before `next`, unless `signal` aborts first. People return to a tab and
 * expect it live, not a countdown: the wait is cut short when the network comes back, the page
 * becomes visible again or is restored from the back/forward cache; except a wait the server
 * asked for (`held`: Retry-After). The listeners exist only while the wait is pending.
 */
export const wait = (delayMs: number, held: boolean, signal: AbortSignal, next: () => void): void => {
  const pending = new AbortController()
  const cancel = () => {
    clearTimeout(timer)
    pending.abort()
  }
  const resume = (event?: Event & { persisted?: boolean }) => {
    const back =
      !event ||
      event.type === 'online' ||
      // pageshow counts only when the page is restored from the back/forward cache.
      (event.type === 'pageshow' && event.persisted) ||
      (event.type === 'visibilitychange' && document.visibilityState === 'visible')
    if (!back) return
    cancel()
    next()
  }
  // Offline, the wait is Infinity: the timer (capped, see timerDelay) stands for "not before then".
  const timer = setTimeout(resume, timerDelay(delayMs))
  signal.addEventListener('abort', cancel, { signal: pending.signal })
  // visibilitychange, fired at the document, bubbles to the window, where the other two are fired.
  if (!held)
    for (const type of ['online', 'pageshow', 'visibilitychange'])
      globalThis.addEventListener?.(type, resume, { signal: pending.signal })
}
