import { test, expect } from './fixtures'
import type { Page } from '@playwright/test'
import { installRecorder, story } from './recorder'

// Page lifecycle (docs/failure-path.md#waiting-offline-and-the-page-lifecycle). Every test uses a
// 60 s back-off with no jitter, so a reconnect within the test's 30 s can only come from the event
// under test.
const SLOW = { minDelayMs: 60_000, maxDelayMs: 60_000, jitter: 'none' } as const

/** Opens connection 'c' to `url` with the 60 s back-off; returns the log mark after its open. */
const openSlow = (app: Page, url: string) =>
  app.evaluate(
    async ({ url, SLOW }) => {
      window.rec.connect('c', url, { cache: false, reconnect: SLOW })
      await window.rec.next('c', 'open')
      return window.rec.log.length
    },
    { url, SLOW },
  )

/** Waits for the `reconnecting` event after `mark` and returns its payload. */
const reconnecting = (app: Page, mark: number) =>
  app.evaluate(async (mark) => (await window.rec.next('c', 'reconnecting', mark)).payload, mark)

/** Waits for the next `open` after `mark`; returns the events since `mark`. */
const reopened = (app: Page, mark: number) =>
  app.evaluate(async (mark) => {
    await window.rec.next('c', 'open', mark)
    return window.rec.since(mark, 'c')
  }, mark)

test.describe('page lifecycle in Chromium', () => {
  test('offline: waits for the network (delayMs Infinity, no attempt), then reconnects at once on online', async ({
    app,
    lab,
  }) => {
    const ep = lab.endpoint('/live')
    await installRecorder(app)
    const mark = await openSlow(app, lab.ws('/live'))
    await app.context().setOffline(true)
    expect(await app.evaluate(() => navigator.onLine)).toBe(false)
    for (const client of ep.clients) client.close(1001, 'going away')
    const wait = await reconnecting(app, mark)
    expect(wait.delayMs).toBe(Infinity)

    // Nothing was attempted while offline: the log holds the close and the wait, nothing more.
    const offline = await app.evaluate((mark) => window.rec.since(mark, 'c'), mark)
    expect(story(offline, { states: true })).toEqual([
      'close:1001:reconnect',
      'state:reconnecting',
      'reconnecting:Infinity',
    ])
    expect(lab.count('/live', 'upgrade')).toBe(1)
    expect(await app.evaluate(() => window.rec.conns.c!.state)).toBe('reconnecting')

    await app.context().setOffline(false)
    const events = await reopened(app, mark)
    expect(story(events)).toEqual(['close:1001:reconnect', 'reconnecting:Infinity', `open:${lab.ws('/live')}`])
    expect(lab.count('/live', 'upgrade')).toBe(2)
  })

  test('visibilitychange to visible cuts a pending 60 s wait short', async ({ app, lab }) => {
    const ep = lab.endpoint('/live')
    await installRecorder(app)
    const mark = await openSlow(app, lab.ws('/live'))
    for (const client of ep.clients) client.close(1001, 'going away')
    expect((await reconnecting(app, mark)).delayMs).toBe(60_000)
    expect(await app.evaluate(() => document.visibilityState)).toBe('visible')
    await app.evaluate(() => document.dispatchEvent(new Event('visibilitychange', { bubbles: true })))
    const events = await reopened(app, mark)
    expect(story(events)).toEqual(['close:1001:reconnect', 'reconnecting:60000', `open:${lab.ws('/live')}`])
    expect(lab.count('/live', 'upgrade')).toBe(2)
  })

  test('visibilitychange while the page is hidden does not cut the wait short', async ({ app, lab }) => {
    const ep = lab.endpoint('/live')
    await installRecorder(app)
    const mark = await openSlow(app, lab.ws('/live'))
    for (const client of ep.clients) client.close(1001, 'going away')
    await reconnecting(app, mark)
    const state = await app.evaluate(async () => {
      // Headless Chromium is always visible; pretend the tab went to the background.
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' })
      document.dispatchEvent(new Event('visibilitychange', { bubbles: true }))
      // Two macrotasks: enough for a reconnect that was started to show in the state.
      await new Promise((r) => setTimeout(r))
      await new Promise((r) => setTimeout(r))
      const state = window.rec.conns.c!.state
      delete (document as { visibilityState?: unknown }).visibilityState
      return state
    })
    expect(state).toBe('reconnecting')
    expect(lab.count('/live', 'upgrade')).toBe(1)
    // Control: the same event with the page visible does resume, so the wait was still armed.
    await app.evaluate(() => document.dispatchEvent(new Event('visibilitychange', { bubbles: true })))
    await reopened(app, mark)
    expect(lab.count('/live', 'upgrade')).toBe(2)
  })

  test('pageshow from the back/forward cache (persisted) cuts the wait short; a plain pageshow does not', async ({
    app,
    lab,
  }) => {
    const ep = lab.endpoint('/live')
    await installRecorder(app)
    const mark = await openSlow(app, lab.ws('/live'))
    for (const client of ep.clients) client.close(1001, 'going away')
    await reconnecting(app, mark)
    const state = await app.evaluate(async () => {
      window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: false }))
      await new Promise((r) => setTimeout(r))
      await new Promise((r) => setTimeout(r))
      return window.rec.conns.c!.state
    })
    expect(state).toBe('reconnecting')
    await app.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true })))
    const events = await reopened(app, mark)
    expect(story(events)).toEqual(['close:1001:reconnect', 'reconnecting:60000', `open:${lab.ws('/live')}`])
    expect(lab.count('/live', 'upgrade')).toBe(2)
  })

  test('lifecycle listeners exist only while a wait is pending', async ({ app, lab }) => {
    const ep = lab.endpoint('/live')
    await installRecorder(app)
    // Count live registrations of the three lifecycle events on window and document.
    await app.evaluate(() => {
      const live = new Map<string, Set<unknown>>()
      const w = window as unknown as { lifecycleListeners: () => Record<string, number> }
      w.lifecycleListeners = () => Object.fromEntries([...live].map(([k, v]) => [k, v.size]))
      for (const [name, target] of [
        ['window', window],
        ['document', document],
      ] as const) {
        const add = target.addEventListener.bind(target)
        const remove = target.removeEventListener.bind(target)
        target.addEventListener = ((type: string, fn: EventListenerOrEventListenerObject, o?: unknown) => {
          if (/^(online|pageshow|visibilitychange)$/.test(type)) {
            const key = `${name}:${type}`
            live
              .set(key, live.get(key) ?? new Set())
              .get(key)!
              .add(fn)
            // A listener added with a signal is removed when the signal aborts.
            ;(o as AddEventListenerOptions | undefined)?.signal?.addEventListener('abort', () =>
              live.get(key)!.delete(fn),
            )
          }
          add(type, fn, o as AddEventListenerOptions)
        }) as typeof target.addEventListener
        target.removeEventListener = ((type: string, fn: EventListenerOrEventListenerObject, o?: unknown) => {
          live.get(`${name}:${type}`)?.delete(fn)
          remove(type, fn, o as EventListenerOptions)
        }) as typeof target.removeEventListener
      }
    })
    const listeners = () =>
      app.evaluate(() =>
        (window as unknown as { lifecycleListeners: () => Record<string, number> }).lifecycleListeners(),
      )
    const total = async () => Object.values(await listeners()).reduce((a, b) => a + b, 0)

    const mark = await openSlow(app, lab.ws('/live'))
    expect(await total()).toBe(0)
    for (const client of ep.clients) client.close(1001, 'going away')
    await reconnecting(app, mark)
    // visibilitychange, fired at the document, bubbles to the window, where the other two are fired.
    expect(await listeners()).toEqual({ 'window:online': 1, 'window:pageshow': 1, 'window:visibilitychange': 1 })
    await app.evaluate(() => window.rec.conns.c!.reconnect())
    await reopened(app, mark)
    expect(await total()).toBe(0)

    // With no wait pending, the events do nothing: no new socket, the state stays open.
    const after = await app.evaluate(async () => {
      const mark = window.rec.log.length
      window.dispatchEvent(new Event('online'))
      window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }))
      document.dispatchEvent(new Event('visibilitychange', { bubbles: true }))
      await new Promise((r) => setTimeout(r))
      return { state: window.rec.conns.c!.state, events: window.rec.since(mark, 'c').length }
    })
    expect(after).toEqual({ state: 'open', events: 0 })
    expect(lab.count('/live', 'upgrade')).toBe(2)

    // And close() during a wait removes them too.
    const again = await app.evaluate(() => window.rec.log.length)
    for (const client of ep.clients) client.close(1001, 'going away')
    await reconnecting(app, again)
    expect(await total()).toBe(3)
    await app.evaluate(() => window.rec.conns.c!.close())
    expect(await total()).toBe(0)
  })
})
