import { timerDelay } from './backoff'

/**
 * Waits `delayMs` before `next`. People return to a tab and expect it live, not a countdown: the
 * wait is cut short when the network comes back, the page becomes visible again or is restored
 * from the back/forward cache; except a wait the server asked for (`held`: Retry-After).
 * `signal` belongs to the step that waits: aborting it ends the wait, its timer and its listeners,
 * and `next`, which begins the next step, must abort it, so `next` runs once.
 */
export const wait = (delayMs: number, held: boolean, signal: AbortSignal, next: () => void): void => {
  const resume = (event?: Event & { persisted?: boolean }) => {
    const back =
      !event ||
      event.type === 'online' ||
      // Only a pageshow has `persisted`: true when the page is restored from the back/forward cache.
      event.persisted ||
      (event.type === 'visibilitychange' && document.visibilityState === 'visible')
    if (back) next()
  }
  // Offline, the wait is Infinity: the timer (capped, see timerDelay) stands for "not before then".
  const timer = setTimeout(resume, timerDelay(delayMs))
  signal.addEventListener('abort', () => clearTimeout(timer))
  // visibilitychange, fired at the document, bubbles to the window, where the other two are fired.
  if (!held)
    for (const type of ['online', 'pageshow', 'visibilitychange'])
      globalThis.addEventListener?.(type, resume, { signal })
}
