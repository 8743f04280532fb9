import type { Page } from '@playwright/test'
import type { Connection, ConnectOptions } from '../../src'

/** One event of a connection, as the page saw it, in a form that crosses page.evaluate. */
export interface Logged {
  /** Which connection (the id given to rec.connect). */
  id: string
  type: 'state' | 'open' | 'message' | 'close' | 'redirect' | 'reconnecting' | 'error'
  // Plain data only: errors become { name, code, message, url, isFollowSocketError }.
  payload: any
  /** Index in rec.log. */
  index: number
}

export interface Recorder {
  log: Logged[]
  conns: Record<string, Connection>
  /** connect(url, options) as `id`, logging every event. Options are plain data (no functions). */
  connect(id: string, url: string, options?: ConnectOptions): void
  /**
   * Resolves with the first `type` event of `id` at log index >= `from` whose payload has every
   * field of `match` (shallow ===). Rejects after `timeoutMs` with the log, so a missing event
   * fails the test with the story of what happened instead of a bare timeout.
   */
  next(
    id: string,
    type: Logged['type'],
    from?: number,
    match?: Record<string, unknown>,
    timeoutMs?: number,
  ): Promise<Logged>
  /** Events of `id` (optionally only `type`) from index `from`. */
  since(from: number, id?: string, type?: Logged['type']): Logged[]
}

declare global {
  interface Window {
    rec: Recorder
  }
}

/** Installs window.rec in the page (after FollowSocket loaded). */
export const installRecorder = (page: Page) =>
  page.evaluate(() => {
    const TYPES = ['state', 'open', 'message', 'close', 'redirect', 'reconnecting', 'error'] as const
    const log: Logged[] = []
    const waiters: { test: (e: Logged) => boolean; done: (e: Logged) => void }[] = []
    const plain = (type: string, p: any): any => {
      if (type === 'error')
        return {
          name: p?.name,
          code: p?.code,
          message: p?.message,
          url: p?.url,
          status: p?.status,
          retryAfterMs: p?.retryAfterMs,
          isFollowSocketError: p instanceof window.FollowSocket.FollowSocketError,
        }
      if (type === 'state') return p
      if (type === 'message') return { data: typeof p.data === 'string' ? p.data : String(p.data) }
      if (type === 'reconnecting')
        return { attempt: p.attempt, delayMs: p.delayMs, ...(p.error ? { error: plain('error', p.error) } : {}) }
      if (type === 'redirect')
        return {
          from: p.from,
          to: p.to,
          via: p.via,
          hops: p.hops.map((h: any) => ({
            from: h.from,
            to: h.to,
            ...(h.status !== undefined ? { status: h.status } : {}),
          })),
        }
      return { ...p }
    }
    const matches = (e: Logged, id: string, type: string, from: number, match?: Record<string, unknown>) =>
      e.id === id &&
      e.type === type &&
      e.index >= from &&
      (!match ||
        Object.entries(match).every(([k, v]) => (typeof e.payload === 'object' ? e.payload?.[k] : e.payload) === v))
    const rec: Recorder = {
      log,
      conns: {},
      connect(id, url, options) {
        const c = window.FollowSocket.connect(url, options)
        rec.conns[id] = c
        for (const type of TYPES)
          c.on(type, (payload: unknown) => {
            const entry: Logged = { id, type, payload: plain(type, payload), index: log.length }
            log.push(entry)
            for (const w of waiters.slice())
              if (w.test(entry)) {
                waiters.splice(waiters.indexOf(w), 1)
                w.done(entry)
              }
          })
      },
      next(id, type, from = 0, match, timeoutMs = 10_000) {
        const found = log.find((e) => matches(e, id, type, from, match))
        if (found) return Promise.resolve(found)
        return new Promise((done, fail) => {
          const waiter = {
            test: (e: Logged) => matches(e, id, type, from, match),
            done: (e: Logged) => {
              clearTimeout(timer)
              done(e)
            },
          }
          const timer = setTimeout(() => {
            waiters.splice(waiters.indexOf(waiter), 1)
            const story = log.map((e) => `${e.index} ${e.id} ${e.type} ${JSON.stringify(e.payload)}`).join('\n')
            fail(
              new Error(
                `no "${type}" event ${JSON.stringify(match ?? {})} for ${id} from #${from} within ${timeoutMs} ms; log:\n${story}`,
              ),
            )
          }, timeoutMs)
          waiters.push(waiter)
        })
      },
      since(from, id, type) {
        return log.filter(
          (e) => e.index >= from && (id === undefined || e.id === id) && (type === undefined || e.type === type),
        )
      },
    }
    window.rec = rec
  })

/**
 * Compact "type:detail" lines, for readable equality assertions on event order. `state` events
 * are left out unless asked for: where the state changes relative to `redirect` is not part of
 * the contract, and `reconnecting`/`open`/`close` tell the story.
 */
export const story = (events: Logged[], { states = false } = {}) =>
  events
    .filter((e) => states || e.type !== 'state')
    .map((e) => {
      const p = e.payload
      switch (e.type) {
        case 'state':
          return `state:${p}`
        case 'open':
          return `open:${p.url}`
        case 'redirect':
          return `redirect:${p.via}:${p.to}`
        case 'close':
          return `close:${p.code}:${p.willReconnect ? 'reconnect' : 'final'}`
        case 'reconnecting':
          return `reconnecting:${p.delayMs}`
        case 'error':
          return `error:${p.code}`
        case 'message':
          return `message:${p.data}`
      }
    })
