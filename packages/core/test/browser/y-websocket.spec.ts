// y-websocket 3 in Chromium, bundled as an application ships it, with FollowSocket.FollowWebSocket
// from the <script> IIFE as its WebSocketPolyfill; @y/websocket-server's own connection handler
// on the lab. Two pages in two browser contexts (two users: no shared BroadcastChannel, storage
// or FollowWebSocket cache) edit one document. Every preflight GET and upgrade is counted at the
// server. Issue 7, item 2.
import type { Browser, Page } from '@playwright/test'
import type { Lab } from '@followsocket/lab'
import { test, expect } from './fixtures'
import { libraryBundles } from './bundles'
import { counts, moveAll, yjsEndpoint } from '../integrations/servers'

/** One user's document and provider in a page. */
interface Peer {
  /** Resolves on the provider's next sync (or now, if `already` and synced); rejects after 10 s. */
  synced(already: boolean): Promise<void>
  /** Resolves once the text 't' reads `text`; rejects after 10 s with what it reads. */
  text(text: string): Promise<void>
  insert(index: number, text: string): void
  /** Where the provider's socket is connected (FollowWebSocket's resolvedUrl, else its url). */
  where(): string | undefined
  closes: number
  /** Resolves once the provider saw `count` connection-close events in all; rejects after 10 s. */
  closed(count: number): Promise<void>
  isSynced(): boolean
}

declare global {
  interface Window {
    peer: Peer
  }
}

let serial = 0

/** A second user: a page in a browser context of its own, checked for page errors as `app` is. */
const secondUser = async (browser: Browser, lab: Lab, use: (page: Page) => Promise<void>) => {
  const context = await browser.newContext()
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(String(error)))
  try {
    await page.goto(lab.http('/'))
    await use(page)
  } finally {
    await context.close()
  }
  expect(errors, 'errors thrown in the second page').toEqual([])
}

/** Loads y-websocket into the page and joins `room` at `serverUrl` through `impl`. */
const join = async (page: Page, serverUrl: string, room: string, impl: 'FollowWebSocket' | 'WebSocket') => {
  await page.addScriptTag({ url: new URL('/libraries/y-websocket.js', page.url()).href })
  await page.evaluate(
    ({ serverUrl, room, impl }) => {
      const { WebsocketProvider, Y } = window.YWebsocket
      const doc = new Y.Doc()
      const provider = new WebsocketProvider(serverUrl, room, doc, {
        WebSocketPolyfill:
          impl === 'FollowWebSocket' ? (window.FollowSocket.FollowWebSocket as unknown as typeof WebSocket) : WebSocket,
        disableBc: true,
      })
      const shared = doc.getText('t')
      const within = <T>(what: string, wait: (done: (value: T) => void) => () => void) =>
        new Promise<T>((done, fail) => {
          let stop = () => {}
          const timer = setTimeout(() => {
            stop()
            fail(
              new Error(
                `no ${what} within 10 s; text: ${JSON.stringify(shared.toString())}, synced: ${provider.synced}`,
              ),
            )
          }, 10_000)
          stop = wait((value) => {
            clearTimeout(timer)
            stop()
            done(value)
          })
        })
      const peer: Peer = {
        closes: 0,
        synced: (already) =>
          already && provider.synced
            ? Promise.resolve()
            : within('sync', (done) => {
                const on = (state: boolean) => state && done(undefined)
                provider.on('sync', on)
                return () => provider.off('sync', on)
              }),
        text: (text) =>
          within(`text ${JSON.stringify(text)}`, (done) => {
            const check = () => shared.toString() === text && done(undefined)
            shared.observe(check)
            queueMicrotask(check)
            return () => shared.unobserve(check)
          }),
        closed: (count) =>
          within(`${count} closes`, (done) => {
            const check = () => peer.closes >= count && done(undefined)
            provider.on('connection-close', check)
            queueMicrotask(check)
            return () => provider.off('connection-close', check)
          }),
        isSynced: () => provider.synced,
        insert: (index, text) => shared.insert(index, text),
        where: () => (provider.ws as any)?.resolvedUrl ?? provider.ws?.url,
      }
      provider.on('connection-close', () => peer.closes++)
      window.peer = peer
    },
    { serverUrl, room, impl },
  )
}

test.describe('y-websocket 3 through FollowWebSocket in Chromium', () => {
  test.beforeEach(async ({ lab }) => {
    lab.serve('/libraries/', await libraryBundles())
  })

  test('two pages sync through a 308, and again after a 4308 move that y-websocket follows by itself', async ({
    app,
    lab,
    browser,
  }) => {
    const room = `room-${++serial}`
    const [v1, v2, v3] = ['/v1/yjs', '/v2/yjs', '/v3/yjs'].map((base) => `${base}/${room}`) as [string, string, string]
    lab.redirect(v1, lab.ws(v2))
    const second = yjsEndpoint(lab, v2, room)
    yjsEndpoint(lab, v3, room)

    await secondUser(browser, lab, async (other) => {
      // Phase 1: each page tries the old URL, meets the 308, preflights once, syncs at v2.
      await join(app, lab.ws('/v1/yjs'), room, 'FollowWebSocket')
      await join(other, lab.ws('/v1/yjs'), room, 'FollowWebSocket')
      await Promise.all([app, other].map((page) => page.evaluate(() => window.peer.synced(true))))
      await app.evaluate(() => window.peer.insert(0, 'hello'))
      await other.evaluate(() => window.peer.text('hello'))
      expect(await Promise.all([app, other].map((page) => page.evaluate(() => window.peer.where())))).toEqual([
        lab.ws(v2),
        lab.ws(v2),
      ])
      expect(counts(lab, v1, v2, v3)).toEqual({
        [v1]: { get: 2, upgrade: 2 },
        // Each page's fetch followed the redirect to the target itself.
        [v2]: { get: 2, upgrade: 2 },
        [v3]: { get: 0, upgrade: 0 },
      })

      // Phase 2: the server closes both sockets with 4308 + v3. y-websocket reconnects by itself
      // (its own back-off) with the URL it always used; FollowWebSocket goes straight to v3.
      const resynced = Promise.all([app, other].map((page) => page.evaluate(() => window.peer.synced(false))))
      expect(moveAll(second, lab.ws(v3))).toBe(2)
      await resynced
      await other.evaluate(() => window.peer.insert(5, ' again'))
      await app.evaluate(() => window.peer.text('hello again'))
      expect(
        await Promise.all([app, other].map((page) => page.evaluate(() => [window.peer.where(), window.peer.closes]))),
      ).toEqual([
        [lab.ws(v3), 1],
        [lab.ws(v3), 1],
      ])
      expect(counts(lab, v1, v2, v3)).toEqual({
        [v1]: { get: 2, upgrade: 2 },
        [v2]: { get: 2, upgrade: 2 },
        [v3]: { get: 0, upgrade: 2 },
      })
    })
  })

  test("control: with the browser's own WebSocket the pages never get past the 308", async ({ app, lab }) => {
    const room = `room-${++serial}`
    const [v1, v2] = ['/v1/yjs', '/v2/yjs'].map((base) => `${base}/${room}`) as [string, string]
    lab.redirect(v1, lab.ws(v2))
    yjsEndpoint(lab, v2, room)
    await join(app, lab.ws('/v1/yjs'), room, 'WebSocket')
    // y-websocket retries on its own back-off (200 ms, 400 ms …); two failed attempts will do.
    await app.evaluate(() => window.peer.closed(2))
    expect(await app.evaluate(() => window.peer.isSynced())).toBe(false)
    expect(lab.count(v1, 'upgrade')).toBeGreaterThanOrEqual(2)
    expect(lab.count(v1, 'get')).toBe(0)
    expect(counts(lab, v2)).toEqual({ [v2]: { get: 0, upgrade: 0 } })
  })
})
