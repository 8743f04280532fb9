import type { Page } from '@playwright/test'
import { test, expect } from './fixtures'
import { installRecorder, story } from './recorder'

// A close with 4308 and a URL reason means "this endpoint moved; reconnect there" (docs/moves.md).
// Each test uses a 60 s back-off: a move must not wait for it, so a move that went through the
// back-off would time the test out.
const SLOW = { minDelayMs: 60_000, maxDelayMs: 60_000, jitter: 'none' } as const

/** Connects 'c' in the page with that back-off; resolves, once it is open, with where its log stands. */
const openSlowly = (app: Page, url: string) =>
  app.evaluate(
    async ({ url, SLOW }) => {
      window.rec.connect('c', url, { reconnect: SLOW })
      await window.rec.next('c', 'open')
      return window.rec.log.length
    },
    { url, SLOW },
  )

test.describe('close code 4308 in Chromium', () => {
  test('4308 with a ws: URL reason moves the connection there at once, with no preflight, and caches it', async ({
    app,
    lab,
  }) => {
    const a = lab.endpoint('/a')
    lab.endpoint('/b')
    await installRecorder(app)
    const mark = await openSlowly(app, lab.ws('/a'))
    for (const client of a.clients) client.close(4308, lab.ws('/b'))
    const events = await app.evaluate(async (mark) => {
      await window.rec.next('c', 'open', mark)
      return window.rec.since(mark, 'c')
    }, mark)
    expect(story(events)).toEqual([
      'close:4308:reconnect',
      `redirect:close-frame:${lab.ws('/b')}`,
      `open:${lab.ws('/b')}`,
    ])
    expect(events.find((e) => e.type === 'redirect')!.payload).toEqual({
      from: lab.ws('/a'),
      to: lab.ws('/b'),
      hops: [{ from: lab.ws('/a'), to: lab.ws('/b') }],
      via: 'close-frame',
    })
    expect(events.find((e) => e.type === 'close')!.payload).toMatchObject({
      code: 4308,
      reason: lab.ws('/b'),
      willReconnect: true,
    })
    expect(lab.count('/a', 'get')).toBe(0)
    expect(lab.count('/b', 'get')).toBe(0)
    expect(lab.count('/a', 'upgrade')).toBe(1)
    expect(lab.count('/b', 'upgrade')).toBe(1)
    expect(await app.evaluate(() => [window.rec.conns.c!.url, window.rec.conns.c!.resolvedUrl])).toEqual([
      lab.ws('/a'),
      lab.ws('/b'),
    ])

    // The move is cached: another connect() to /a goes straight to /b.
    const second = await app.evaluate(async (url) => {
      const mark = window.rec.log.length
      window.rec.connect('second', url, { reconnect: { minDelayMs: 60_000, maxDelayMs: 60_000, jitter: 'none' } })
      await window.rec.next('second', 'open')
      return window.rec.since(mark, 'second')
    }, lab.ws('/a'))
    expect(story(second)).toEqual([`redirect:cache:${lab.ws('/b')}`, `open:${lab.ws('/b')}`])
    expect(lab.count('/a', 'upgrade')).toBe(1)
    expect(lab.count('/a', 'get')).toBe(0)
  })

  test('4308 with an http: URL reason moves to its ws: twin', async ({ app, lab }) => {
    const a = lab.endpoint('/a')
    lab.endpoint('/b')
    await installRecorder(app)
    const mark = await app.evaluate(
      async ({ url, SLOW }) => {
        window.rec.connect('c', url, { cache: false, reconnect: SLOW })
        await window.rec.next('c', 'open')
        return window.rec.log.length
      },
      { url: lab.ws('/a'), SLOW },
    )
    for (const client of a.clients) client.close(4308, lab.http('/b'))
    const events = await app.evaluate(async (mark) => {
      await window.rec.next('c', 'open', mark)
      return window.rec.since(mark, 'c')
    }, mark)
    expect(story(events)).toEqual([
      'close:4308:reconnect',
      `redirect:close-frame:${lab.ws('/b')}`,
      `open:${lab.ws('/b')}`,
    ])
    expect(lab.count('/a', 'get') + lab.count('/b', 'get')).toBe(0)
  })

  for (const [name, reason] of [
    ['an empty reason', ''],
    ['a reason that is not a URL', 'moved, ask again'],
  ] as const) {
    test(`4308 with ${name} rediscovers with a new preflight of the requested URL, at once`, async ({ app, lab }) => {
      const a = lab.endpoint('/a')
      await installRecorder(app)
      const mark = await openSlowly(app, lab.ws('/a'))
      expect(lab.count('/a', 'get')).toBe(0)
      // The server moved /a to /c meanwhile, for both the GET and the upgrade.
      lab.endpoint('/c')
      lab.redirect('/a', lab.ws('/c'))
      for (const client of a.clients) client.close(4308, reason)
      const events = await app.evaluate(async (mark) => {
        await window.rec.next('c', 'open', mark)
        return window.rec.since(mark, 'c')
      }, mark)
      expect(story(events)).toEqual([
        'close:4308:reconnect',
        `redirect:preflight:${lab.ws('/c')}`,
        `open:${lab.ws('/c')}`,
      ])
      expect(lab.count('/a', 'get')).toBe(1)
      // Rediscovery preflights; it does not retry the old upgrade first.
      expect(lab.count('/a', 'upgrade')).toBe(1)
      expect(lab.count('/c', 'upgrade')).toBe(1)
    })
  }

  test('4308 to a URL the policy refuses (user-info) ends the connection with REDIRECT_NOT_ALLOWED and no attempt', async ({
    app,
    lab,
  }) => {
    const a = lab.endpoint('/a')
    lab.endpoint('/b')
    await installRecorder(app)
    const mark = await openSlowly(app, lab.ws('/a'))
    const target = lab.ws('/b').replace('ws://', 'ws://user:secret@')
    for (const client of a.clients) client.close(4308, target)
    const events = await app.evaluate(async (mark) => {
      await window.rec.next('c', 'state', mark, { state: 'closed' })
      return window.rec.since(mark, 'c')
    }, mark)
    expect(story(events)).toEqual(['close:4308:final', 'error:REDIRECT_NOT_ALLOWED'])
    expect(lab.count('/b', 'upgrade')).toBe(0)
    expect(lab.count('/a', 'upgrade')).toBe(1)
  })
})
