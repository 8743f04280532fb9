// One connection per browser (docs/sharing.md#across-tabs): `followsocket/tabs` in Chromium, with
// pages of one browser context as the tabs of one user, and sockets counted at a real `ws` server
// (the lab).
import type { BrowserContext, Page } from '@playwright/test'
import type { Endpoint, Lab } from '@followsocket/lab'
import { test, expect } from './fixtures'
import { libraryBundles } from './bundles'

/** What one tab's connection did, kept in the page. */
interface Tab {
  states: string[]
  messages: unknown[]
  errors: string[]
  sent: number
  conn: {
    readonly state: string
    readonly buffered: number
    readonly socket?: unknown
    send(data: string): void
    close(): void
    on(type: string, handler: (payload: any) => void): () => void
  }
}

declare global {
  interface Window {
    tab: Tab
  }
}

/**
 * Opens a tab at the lab's page, loads `followsocket/tabs` and connects to `url` with `options`
 * (share: 'tabs' unless told otherwise). `init` runs before the page's own scripts.
 */
const openTab = async (
  context: BrowserContext,
  lab: Lab,
  url: string,
  options: object = { share: 'tabs' },
  init?: () => void,
): Promise<Page> => {
  const page = await context.newPage()
  page.on('pageerror', (error) => {
    throw error
  })
  if (init) await page.addInitScript(init)
  await page.goto(lab.http('/'))
  await page.addScriptTag({ url: lab.http('/libraries/tabs.js') })
  await page.evaluate(
    ({ url, options }) => {
      const conn = window.FollowTabs.connect(url, options as never)
      const tab: Tab = { states: [], messages: [], errors: [], sent: 0, conn: conn as unknown as Tab['conn'] }
      conn.on('state', (state) => tab.states.push(state))
      conn.on('message', ({ data }) => tab.messages.push(data))
      conn.on('error', (error) => tab.errors.push(`${error.code}: ${error.message}`))
      window.tab = tab
    },
    { url, options },
  )
  return page
}

const state = (page: Page) => page.evaluate(() => window.tab.conn.state)
const leads = (page: Page) => page.evaluate(() => window.tab.conn.socket !== undefined)
const messages = (page: Page) => page.evaluate(() => window.tab.messages)
/** Waits until `page`'s connection reads `want` (polled: the tab's state comes over the channel). */
// Polled often: a tab's state and messages arrive over the channel, with no event the test can await.
const POLL = { timeout: 5000, intervals: [10, 25, 50] }
const until = (page: Page, want: string) => expect.poll(() => state(page), POLL).toBe(want)

/** The tabs: the first one opened leads (it took the lock while it was alone). */
const threeTabs = async (context: BrowserContext, lab: Lab, url: string) => {
  const first = await openTab(context, lab, url)
  await until(first, 'open')
  const rest = [await openTab(context, lab, url), await openTab(context, lab, url)]
  for (const page of rest) await until(page, 'open')
  return [first, ...rest]
}

/** Pushes `text` to every client of `endpoint` and waits until every tab received it. */
const push = async (endpoint: Endpoint, tabs: Page[], text: string) => {
  for (const client of endpoint.clients) client.send(text)
  for (const page of tabs) await expect.poll(() => messages(page), POLL).toContain(text)
}

test.describe("share: 'tabs' in Chromium (docs/sharing.md#across-tabs)", () => {
  test.beforeEach(async ({ lab }) => {
    lab.serve('/libraries/', await libraryBundles())
  })

  test('three tabs open one socket; what the server pushes reaches each tab once; without share, three', async ({
    context,
    lab,
  }) => {
    const feed = lab.endpoint('/live', { echo: false })
    const tabs = await threeTabs(context, lab, lab.ws('/live'))
    expect(feed.connections).toBe(1)
    expect(await Promise.all(tabs.map(leads))).toEqual([true, false, false])
    await push(feed, tabs, 'hello')
    // 'end' is pushed after 'hello' on the same socket: once a tab has it, it has had every 'hello'.
    await push(feed, tabs, 'end')
    for (const page of tabs) expect(await messages(page)).toEqual(['hello', 'end'])

    const control = lab.endpoint('/control', { echo: false })
    for (let i = 0; i < 3; i++) await until(await openTab(context, lab, lab.ws('/control'), {}), 'open')
    expect(control.connections).toBe(3)
  })

  test("sends from every tab go out once each, in each tab's call order", async ({ context, lab }) => {
    const feed = lab.endpoint('/live', { echo: false })
    const tabs = await threeTabs(context, lab, lab.ws('/live'))
    await Promise.all(
      tabs.map((page, n) =>
        page.evaluate((n) => {
          for (let i = 1; i <= 5; i++) window.tab.conn.send(`${n}:${i}`)
        }, n),
      ),
    )
    const received = await feed.receivedCount(15)
    expect(received).toHaveLength(15)
    for (let n = 0; n < 3; n++)
      expect(received.filter((text) => text.startsWith(`${n}:`))).toEqual([1, 2, 3, 4, 5].map((i) => `${n}:${i}`))
    expect(feed.connections).toBe(1)
  })

  test('closing the leader tab: one new socket within a second, the followers open again and still receive', async ({
    context,
    lab,
  }) => {
    const feed = lab.endpoint('/live', { echo: false })
    const [leader, ...followers] = await threeTabs(context, lab, lab.ws('/live'))
    const next = feed.nextConnection()
    const closedAt = Date.now()
    await leader!.close()
    await next
    expect(Date.now() - closedAt).toBeLessThan(1000)
    for (const page of followers) await until(page, 'open')
    expect(feed.connections).toBe(2)
    expect(feed.clients.size).toBe(1)
    expect((await Promise.all(followers.map(leads))).filter(Boolean)).toHaveLength(1)
    await push(feed, followers, 'after')
  })

  test('hand-over under load, 20 runs: two followers send 40 messages each at 10 ms intervals while the leader tab closes; none lost, none twice', async ({
    context,
    lab,
  }) => {
    test.setTimeout(240_000)
    const handovers: number[] = []
    const report: string[] = []
    let duplicates = 0
    for (let run = 1; run <= 20; run++) {
      // Which socket (1: the old leader's, 2: the new one's) carried each message, for the story of a failure.
      const sockets = new Map<unknown, number>()
      const carried: string[] = []
      const feed = lab.endpoint(`/live-${run}`, {
        echo: false,
        onConnection: (ws) => sockets.set(ws, sockets.size + 1),
        onMessage: (ws, data) => carried.push(`${sockets.get(ws)}>${data}`),
      })
      const [leader, ...followers] = await threeTabs(context, lab, lab.ws(`/live-${run}`))
      for (const [n, page] of followers.entries())
        await page.evaluate((n) => {
          const timer = setInterval(() => {
            window.tab.conn.send(`${n}:${++window.tab.sent}`)
            if (window.tab.sent === 40) clearInterval(timer)
          }, 10)
        }, n)
      // The leader goes while both are sending: a quarter of the way in.
      await expect.poll(() => followers[0]!.evaluate(() => window.tab.sent), POLL).toBeGreaterThanOrEqual(10)
      const next = feed.nextConnection()
      const closedAt = Date.now()
      await leader!.close()
      await next
      handovers.push(Date.now() - closedAt)
      // Settled: every message sent and acknowledged by a leader (nothing left to send again).
      for (const page of followers)
        await expect
          .poll(() => page.evaluate(() => window.tab.sent === 40 && window.tab.conn.buffered === 0), {
            ...POLL,
            timeout: 10_000,
          })
          .toBe(true)
      const received = await feed.receivedCount(80)
      const sent = [0, 1].flatMap((n) => Array.from({ length: 40 }, (_, i) => `${n}:${i + 1}`))
      const lost = sent.filter((text) => !received.includes(text))
      const twice = received.filter((text, i) => received.indexOf(text) !== i)
      report.push(
        `run ${run}: hand-over ${handovers.at(-1)} ms, received ${received.length}, lost ${lost.length}, duplicated ${twice.length}`,
      )
      const story = carried.join(' ')
      expect(lost, story).toEqual([])
      // The leader's tab closes (its page hides), so it says bye after its last acknowledgement: no
      // message goes twice. (One may only for a tab killed mid-task: docs/sharing.md#across-tabs.)
      expect(twice, story).toEqual([])
      duplicates += twice.length
      // Each tab's messages in its call order.
      for (const n of [0, 1])
        expect([...new Set(received.filter((text) => text.startsWith(`${n}:`)))], story).toEqual(
          sent.filter((text) => text.startsWith(`${n}:`)),
        )
      for (const page of followers) await page.close()
    }
    const sorted = [...handovers].sort((a, b) => a - b)
    console.log(
      `${report.join('\n')}\nduplicated in all: ${duplicates}; hand-over median ${(sorted[9]! + sorted[10]!) / 2} ms, min ${sorted[0]} ms, max ${sorted[19]} ms`,
    )
  })

  test('after a redirect, the next leader opens its socket where the endpoint is now: no preflight, no failed handshake', async ({
    context,
    lab,
  }) => {
    const feed = lab.endpoint('/v2/live', { echo: false })
    lab.redirect('/v1/live', lab.ws('/v2/live'))
    const [leader, ...followers] = await threeTabs(context, lab, lab.ws('/v1/live'))
    expect([lab.count('/v1/live', 'get'), lab.count('/v1/live', 'upgrade')]).toEqual([1, 1])
    const next = feed.nextConnection()
    await leader!.close()
    await next
    for (const page of followers) await until(page, 'open')
    expect([lab.count('/v1/live', 'get'), lab.count('/v1/live', 'upgrade'), feed.connections]).toEqual([1, 1, 2])
  })

  test('close() in a follower ends its part only: the others keep the socket, it receives nothing more', async ({
    context,
    lab,
  }) => {
    const feed = lab.endpoint('/live', { echo: false })
    const [leader, quitter, stayer] = await threeTabs(context, lab, lab.ws('/live'))
    await quitter!.evaluate(() => window.tab.conn.close())
    expect(await state(quitter!)).toBe('closed')
    await push(feed, [leader!, stayer!], 'later')
    expect(await messages(quitter!)).toEqual([])
    expect(feed.connections).toBe(1)
    expect(feed.clients.size).toBe(1)
    await expect(quitter!.evaluate(() => window.tab.conn.send('x'))).rejects.toThrow(/CLOSED|closed/)
  })

  test('errors and binary messages reach followers as the leader saw them: a FollowSocketError with its code, an ArrayBuffer', async ({
    context,
    lab,
  }) => {
    const feed = lab.endpoint('/live', { echo: false })
    const url = lab.ws('/live')
    const options = { share: 'tabs', reconnect: { minDelayMs: 20, maxDelayMs: 20 }, discovery: 'off' }
    const leader = await openTab(context, lab, url, options)
    await until(leader, 'open')
    const follower = await openTab(context, lab, url, options)
    await until(follower, 'open')
    await follower.evaluate(() => {
      window.tab.conn.on(
        'message',
        ({ data }: { data: unknown }) =>
          data instanceof ArrayBuffer && window.tab.errors.push(`binary ${data.byteLength}`),
      )
      window.tab.conn.on('reconnecting', ({ error }: { error?: { name: string; code: string } }) =>
        window.tab.errors.push(`reconnecting after ${error?.name} ${error?.code}`),
      )
    })
    for (const client of feed.clients) client.send(new Uint8Array([1, 2, 3]))
    await expect.poll(() => follower.evaluate(() => window.tab.errors), POLL).toContain('binary 3')
    // The feed goes away: the leader's handshakes fail, and its errors cross to the follower.
    lab.remove('/live')
    for (const client of feed.clients) client.terminate()
    await expect
      .poll(() => follower.evaluate(() => window.tab.errors), POLL)
      .toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^HANDSHAKE_FAILED: ws:.* failed/),
          'reconnecting after FollowSocketError HANDSHAKE_FAILED',
        ]),
      )
  })

  test('a page without BroadcastChannel falls back to a socket of its own', async ({ context, lab }) => {
    const feed = lab.endpoint('/live', { echo: false })
    const shared = await openTab(context, lab, lab.ws('/live'))
    await until(shared, 'open')
    const alone = await openTab(context, lab, lab.ws('/live'), { share: 'tabs' }, () => {
      delete (window as { BroadcastChannel?: unknown }).BroadcastChannel
    })
    await until(alone, 'open')
    expect(feed.connections).toBe(2)
    expect(await leads(alone)).toBe(true)
  })
})
