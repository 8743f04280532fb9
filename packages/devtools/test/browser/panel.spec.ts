/// <reference path="../../../core/test/browser/global.d.ts" />
// The devtools panel in Chromium, read from its DOM through the shadow root: a move (308, then a
// 4308), an outage, a 503 with Retry-After, a tabs hand-over, the bindings' connections showing up
// by themselves, the message log, Copy report, the keyboard, and axe.
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { expect, test } from '../../../core/test/browser/fixtures'
import { fileURLToPath } from 'node:url'
import { focused, loadDevtools, loadReact, panel, serveBundles } from './page'

// UPDATE_SCREENSHOTS=1 refreshes the pictures of the panel the README shows (a move, an outage, a 503).
const screenshots = process.env.UPDATE_SCREENSHOTS
  ? fileURLToPath(new URL('../../screenshots/', import.meta.url))
  : undefined
const picture = async (page: Page, name: string) => {
  if (!screenshots) return
  await page.setViewportSize({ width: 820, height: 1100 })
  // The countdown and the strip move four times a second: a still frame for the picture.
  await page
    .locator('followsocket-devtools')
    .locator('section.panel')
    .screenshot({ path: `${screenshots}${name}.png`, animations: 'disabled' })
}

test.beforeEach(async ({ lab }) => {
  await serveBundles(lab)
})

/** One hop as the panel lists it: the time, from → to, and how it was found. */
const hop = (from: string, to: string, via: string) => {
  const esc = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(`^\\d\\d:\\d\\d:\\d\\d\\s+${esc(from)}\\s*→\\s*${esc(to)}\\s*${esc(via)}$`)
}

// Quick, exact waits, so a test sees a countdown without sitting through one.
const FAST = { cache: false, reconnect: { minDelayMs: 200, maxDelayMs: 200, jitter: 'none' } } as const

/** Loads the devtools in `page`, opens the panel, and connects 'feed' to `url` with inspect(). */
async function watch(page: Page, url: string, options: object = FAST, mount: object = { initialIsOpen: true }) {
  await loadDevtools(page)
  await page.evaluate(
    ({ url, options, mount }) => {
      const { mountDevtools, inspect } = window.FollowSocketDevtools
      mountDevtools(mount)
      const c = window.FollowSocket.connect(url, options as never)
      inspect(c, { name: 'feed' })
      ;(window as any).feed = c
    },
    { url, options, mount },
  )
  return panel(page)
}

test('a 308 move: requested → resolved, the hop found by the preflight; then a 4308 close frame, marked on the timeline', async ({
  app,
  lab,
}) => {
  const v2 = lab.endpoint('/v2/live')
  lab.endpoint('/v3/live')
  lab.redirect('/v1/live', lab.ws('/v2/live'))
  const p = await watch(app, lab.ws('/v1/live'))
  await expect(p.field(p.card('feed'), 'state')).toHaveText('open')
  let seen = await p.read('feed')
  expect(seen).toMatchObject({ url: lab.ws('/v1/live'), resolved: lab.ws('/v2/live') })
  expect(seen.chain).toHaveLength(1)
  expect(seen.chain[0]).toMatch(hop(lab.ws('/v1/live'), lab.ws('/v2/live'), 'preflight'))
  expect(seen.marks).toContain('move')

  for (const client of v2.clients) client.close(4308, lab.ws('/v3/live'))
  await expect(p.field(p.card('feed'), 'resolved')).toHaveText(lab.ws('/v3/live'))
  await expect(p.field(p.card('feed'), 'state')).toHaveText('open')
  seen = await p.read('feed')
  expect(seen.chain).toHaveLength(2)
  expect(seen.chain[1]).toMatch(hop(lab.ws('/v2/live'), lab.ws('/v3/live'), 'close frame 4308'))
  expect(seen.marks.filter((m) => m === 'move')).toHaveLength(2)
  expect(seen.marks).toContain('close')
  expect(seen.bands).toEqual(expect.arrayContaining(['connecting', 'open']))
  await app.evaluate(() => (window as any).feed.send('{"type":"chat","text":"still here?"}'))
  await expect(p.field(p.card('feed'), 'log').locator('li')).toHaveCount(2)
  await picture(app, 'move')
})

test('an outage: reconnecting, the attempt and a live countdown of the back-off, the error; open again when the server is back', async ({
  app,
  lab,
}) => {
  lab.endpoint('/live')
  const p = await watch(app, lab.ws('/live'), {
    cache: false,
    reconnect: { minDelayMs: 4000, maxDelayMs: 4000, jitter: 'none' },
  })
  const card = p.card('feed')
  await expect(p.field(card, 'state')).toHaveText('open')
  await lab.down()
  await expect(p.field(card, 'state')).toHaveText('reconnecting')
  const wait = p.field(card, 'wait')
  await expect(wait).toContainText(/^Next attempt \(\d\) in \d\.\d s \(of 4\.0 s\): back-off/)
  // Live: the figure goes down between events.
  const first = await wait.innerText()
  await expect(wait).not.toHaveText(first)
  await expect(wait).not.toContainText('the server asked')
  await expect(p.field(card, 'errors')).toContainText('HANDSHAKE_FAILED')
  await expect(p.field(card, 'errors')).toContainText('Nothing answers')
  const seen = await p.read('feed')
  expect(seen.marks).toEqual(expect.arrayContaining(['close', 'error']))
  expect(seen.bands).toContain('reconnecting')
  await picture(app, 'outage')
  await lab.resume()
  await app.evaluate(() => (window as any).feed.reconnect())
  await expect(p.field(card, 'state')).toHaveText('open')
  await expect(wait).toBeHidden()
})

test('a 503 with Retry-After: the wait says the server asked for it, and the error shows the code and the status', async ({
  app,
  lab,
}) => {
  lab.status('/busy', 503, { headers: { 'retry-after': '3' } })
  const p = await watch(app, lab.ws('/busy'))
  const card = p.card('feed')
  await expect(p.field(card, 'state')).toHaveText('reconnecting')
  await expect(p.field(card, 'wait')).toContainText(
    /^Next attempt \(1\) in \d\.\d s \(of 3\.2 s\): the server asked for 3\.0 s \(Retry-After on a 503\), plus back-off\.$/,
  )
  const errors = p.field(card, 'errors')
  await expect(errors.locator('li').first()).toContainText('HANDSHAKE_FAILED 503 · asked to wait 3.0 s')
  await expect(errors.locator('li').first()).toContainText('come back in 3 s')
  await picture(app, 'retry-after')
  // Reconnect now skips even a wait the server asked for, and says so on the timeline.
  await p.card('feed').getByRole('button', { name: 'Reconnect now' }).click()
  await expect.poll(async () => (await p.read('feed')).marks).toContain('retry')
})

test("a tabs hand-over: each tab's panel says how many tabs share the connection and which leads; the follower leads once the leader's tab closes", async ({
  app,
  lab,
}) => {
  lab.endpoint('/live')
  const second = await app.context().newPage()
  await second.goto(lab.http('/'))
  const tabs = [app, second]
  for (const page of tabs) {
    await loadDevtools(page)
    await page.evaluate((url) => {
      window.FollowSocketDevtools.mountDevtools({ initialIsOpen: true })
      ;(window as any).feed = window.FollowTabs.connect(url, { share: 'tabs', cache: false })
    }, lab.ws('/live'))
  }
  const [first, other] = tabs.map((page) => panel(page))
  await expect(first!.field(first!.cards, 'state')).toHaveText('open')
  await expect(other!.field(other!.cards, 'state')).toHaveText('open')
  await expect(first!.field(first!.cards, 'sharing')).toHaveText('across 2 tabs: this tab leads (holds the socket)')
  await expect(other!.field(other!.cards, 'sharing')).toHaveText('across 2 tabs: another tab leads; this one follows')
  await app.close()
  await expect(other!.field(other!.cards, 'sharing')).toHaveText('across 1 tab: this tab leads (holds the socket)')
  await expect(other!.field(other!.cards, 'state')).toHaveText('open')
})

test('connections of the React binding show up by themselves: one shared by three components, one of its own', async ({
  app,
  lab,
}) => {
  lab.endpoint('/live')
  // The harness and its copy of followsocket load first: the devtools find what it holds already.
  await loadReact(app)
  await app.evaluate((url) => ['a', 'b', 'c'].forEach((id) => window.harness.mount(id, url)), lab.ws('/live'))
  await loadDevtools(app)
  await app.evaluate(() => window.FollowSocketDevtools.mountDevtools({ initialIsOpen: true }))
  const p = panel(app)
  await expect(p.cards).toHaveCount(1)
  await expect(p.field(p.cards, 'sharing')).toHaveText('by 3 components (share: true)')
  await app.evaluate((url) => window.harness.mount('own', url, { share: false }), lab.ws('/live'))
  await expect(p.cards).toHaveCount(2)
  await expect(p.field(p.cards.nth(1), 'sharing')).toHaveText('not shared: 1 component, its own connection')
  await app.evaluate(() => ['a', 'b'].forEach((id) => window.harness.unmount(id)))
  await expect(p.field(p.cards.first(), 'sharing')).toHaveText('share is on; 1 component holds it')
  // The last sharer gone: closed, kept for what happened to it, listed after those still held.
  await app.evaluate(() => window.harness.unmount('c'))
  await expect(p.field(p.cards.last(), 'state')).toHaveText('closed')
  await expect(p.field(p.cards.last(), 'ended')).toContainText('no longer held since')
  await expect(p.field(p.cards.last(), 'sharing')).toHaveText('no component, tab or inspect() holds it any more')
  await expect(p.field(p.cards.first(), 'sharing')).toHaveText('not shared: 1 component, its own connection')
})

test('the message log: in and out with sizes, an invalid message flagged with why, capped, pausable, filterable', async ({
  app,
  lab,
}) => {
  const endpoint = lab.endpoint('/live')
  const p = await watch(app, lab.ws('/live'), { ...FAST, parse: 'json' }, { initialIsOpen: true, logCap: 20 })
  const card = p.card('feed')
  const log = p.field(card, 'log')
  await expect(p.field(card, 'state')).toHaveText('open')
  await app.evaluate(() => (window as any).feed.send('{"hello":"wörld"}'))
  await expect(log.locator('li[data-dir="in"]')).toHaveCount(1)
  await expect(log.locator('li[data-dir="out"]')).toHaveCount(1)
  await expect(log.locator('li').first()).toContainText('18 B') // UTF-8: ö is two bytes
  for (const client of endpoint.clients) client.send('not json')
  await expect(log.locator('li[data-flag="invalid"]')).toContainText('invalid: Message not delivered')
  await expect(log.locator('li[data-flag="invalid"]')).toContainText('not json')

  // Filtered by text, then by direction.
  await card.getByLabel('Filter').fill('WÖRLD')
  await expect(log.locator('li')).toHaveCount(2)
  await card.getByLabel('Show').selectOption('out')
  await expect(log.locator('li')).toHaveCount(1)
  await expect(log.locator('li[data-dir="out"]')).toHaveCount(1)
  await card.getByLabel('Filter').fill('')
  await card.getByLabel('Show').selectOption('all')
  await expect(log.locator('li')).toHaveCount(3)

  // Capped: 100 echoes, and the log keeps its last 20.
  await app.evaluate(() => {
    for (let n = 0; n < 50; n++) (window as any).feed.send(JSON.stringify({ n }))
  })
  await expect(p.field(card, 'counts')).toContainText('52 in')
  await expect(log.locator('li')).toHaveCount(20)

  // Paused: counted, not kept.
  await card.getByRole('button', { name: 'Pause' }).click()
  await expect(card.getByRole('button', { name: 'Resume' })).toHaveAttribute('aria-pressed', 'true')
  await app.evaluate(() => (window as any).feed.send('{"while":"paused"}'))
  await expect(p.field(card, 'counts')).toContainText('paused, 2 not kept')
  await expect(log).not.toContainText('paused"')
  await card.getByRole('button', { name: 'Resume' }).click()
  await app.evaluate(() => (window as any).feed.send('{"after":"resume"}'))
  await expect(log.locator('li').first()).toContainText('{"after":"resume"}')
})

test('Copy report: the panel as JSON, with the secrets of every URL redacted', async ({ app, lab, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: lab.origin })
  lab.endpoint('/v2/live')
  lab.redirect('/v1/live', lab.ws('/v2/live'))
  const p = await watch(app, lab.ws('/v1/live?token=s3cret&room=7'))
  await expect(p.field(p.card('feed'), 'state')).toHaveText('open')
  await p.root.getByRole('button', { name: 'Copy report' }).click()
  await expect(p.root.getByRole('status')).toHaveText('Report copied')
  const copied = await app.evaluate(() => navigator.clipboard.readText())
  expect(copied).not.toContain('s3cret')
  const report = JSON.parse(copied)
  expect(report.connections[0]).toMatchObject({
    name: 'feed',
    state: 'open',
    url: lab.ws('/v1/live?token=redacted&room=7'),
    resolvedUrl: lab.ws('/v2/live?token=redacted&room=7'),
    redirects: [
      {
        via: 'preflight',
        from: lab.ws('/v1/live?token=redacted&room=7'),
        to: lab.ws('/v2/live?token=redacted&room=7'),
      },
    ],
  })
})

test('the keyboard: the button opens the panel, Tab walks it in reading order, Escape closes it and gives focus back; it opens as it was left', async ({
  app,
  lab,
}) => {
  lab.endpoint('/live')
  const p = await watch(app, lab.ws('/live'), FAST, {})
  await expect(p.section).toBeHidden()
  await expect(p.toggle).toHaveAttribute('aria-expanded', 'false')
  await p.toggle.focus()
  await app.keyboard.press('Enter')
  await expect(p.section).toBeVisible()
  await expect(p.toggle).toHaveAttribute('aria-expanded', 'true')
  const order: string[] = []
  for (let i = 0; i < 10; i++) {
    await app.keyboard.press('Tab')
    order.push(await focused(app))
  }
  expect(order).toEqual([
    'Copy report',
    'Close devtools',
    'Reconnect now',
    'Close connection',
    'Pause',
    'Filter',
    'Show',
    'Clear',
    'Message log, newest first',
    'body',
  ])
  await p.card('feed').getByLabel('Filter').focus()
  await app.keyboard.press('Escape')
  await expect(p.section).toBeHidden()
  expect(await focused(app)).toMatch(/^followsocket devtools: 1 connection/)

  await p.toggle.click()
  await app.reload()
  await loadDevtools(app)
  await app.evaluate(() => window.FollowSocketDevtools.mountDevtools())
  await expect(panel(app).section).toBeVisible()
  await panel(app).root.getByRole('button', { name: 'Close devtools' }).click()
  await app.reload()
  await loadDevtools(app)
  await app.evaluate(() => window.FollowSocketDevtools.mountDevtools({ initialIsOpen: true }))
  await expect(panel(app).section).toBeHidden()
})

test('axe finds no violations in the panel, closed and open, with a connection waiting on a 503', async ({
  app,
  lab,
}) => {
  lab.status('/busy', 503, { headers: { 'retry-after': '3' } })
  const v2 = lab.endpoint('/v2/live')
  lab.redirect('/v1/live', lab.ws('/v2/live'))
  const p = await watch(app, lab.ws('/busy'), FAST, {})
  const axe = () => new AxeBuilder({ page: app }).include('followsocket-devtools').analyze()
  expect((await axe()).violations).toEqual([])
  await p.toggle.click()
  await app.evaluate((url) => {
    const c = window.FollowSocket.connect(url, { parse: 'json' })
    window.FollowSocketDevtools.inspect(c, { name: 'moved' })
    c.send('{"a":1}')
  }, lab.ws('/v1/live'))
  await expect(p.field(p.card('feed'), 'state')).toHaveText('reconnecting')
  await expect(p.field(p.card('moved'), 'state')).toHaveText('open')
  for (const client of v2.clients) client.send('garbage')
  await expect(p.field(p.card('moved'), 'log').locator('li[data-flag="invalid"]')).toHaveCount(1)
  const result = await axe()
  expect(result.violations).toEqual([])
  expect(result.passes.length).toBeGreaterThan(10)
})
