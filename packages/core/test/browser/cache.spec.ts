import { test, expect } from './fixtures'
import { installRecorder, story } from './recorder'

// Every test starts with the page's memory cache empty (a fresh page per test) and fills it
// with one connection that discovers /v1/live → /v2/live by preflight.

test.describe('resolution cache (memory) in Chromium', () => {
  test('a second connect() to the same URL goes straight to the resolved URL, via cache', async ({ app, lab }) => {
    lab.endpoint('/v2/live')
    lab.redirect('/v1/live', lab.ws('/v2/live'))
    await installRecorder(app)
    const { first, second } = await app.evaluate(async (url) => {
      window.rec.connect('first', url)
      await window.rec.next('first', 'open')
      const mark = window.rec.log.length
      window.rec.connect('second', url)
      await window.rec.next('second', 'open')
      return { first: window.rec.since(0, 'first'), second: window.rec.since(mark, 'second') }
    }, lab.ws('/v1/live'))
    expect(story(first).filter((s) => /^(open|redirect)/.test(s!))).toEqual([
      `redirect:preflight:${lab.ws('/v2/live')}`,
      `open:${lab.ws('/v2/live')}`,
    ])
    expect(story(second)).toEqual([`redirect:cache:${lab.ws('/v2/live')}`, `open:${lab.ws('/v2/live')}`])
    expect(second.find((e) => e.type === 'redirect')!.payload).toEqual({
      from: lab.ws('/v1/live'),
      to: lab.ws('/v2/live'),
      hops: [{ from: lab.ws('/v1/live'), to: lab.ws('/v2/live') }],
      via: 'cache',
    })
    // One preflight and one failed upgrade on the old path, both from the first connection.
    expect(lab.count('/v1/live', 'get')).toBe(1)
    expect(lab.count('/v1/live', 'upgrade')).toBe(1)
    expect(lab.count('/v2/live', 'upgrade')).toBe(2)
  })

  test('after the server closes the socket, the reconnect goes straight to the cached target (no second redirect event: it is where the last socket was)', async ({
    app,
    lab,
  }) => {
    const v2 = lab.endpoint('/v2/live')
    lab.redirect('/v1/live', lab.ws('/v2/live'))
    await installRecorder(app)
    const mark = await app.evaluate(async (url) => {
      window.rec.connect('c', url, { reconnect: { minDelayMs: 20, jitter: 'none' } })
      await window.rec.next('c', 'open')
      return window.rec.log.length
    }, lab.ws('/v1/live'))
    expect(lab.count('/v1/live', 'get')).toBe(1)
    for (const client of v2.clients) client.close(1001, 'going away')
    const events = await app.evaluate(async (mark) => {
      await window.rec.next('c', 'open', mark)
      return window.rec.since(mark, 'c')
    }, mark)
    expect(story(events)).toEqual(['close:1001:reconnect', 'reconnecting:20', `open:${lab.ws('/v2/live')}`])
    expect(lab.count('/v1/live', 'get')).toBe(1)
    expect(lab.count('/v1/live', 'upgrade')).toBe(1)
    expect(lab.count('/v2/live', 'upgrade')).toBe(2)
  })

  test('a cached target that fails before open on a reconnect is rediscovered at once, without a second back-off', async ({
    app,
    lab,
  }) => {
    const v2 = lab.endpoint('/v2/live')
    lab.redirect('/v1/live', lab.ws('/v2/live'))
    await installRecorder(app)
    const mark = await app.evaluate(async (url) => {
      window.rec.connect('c', url, { reconnect: { minDelayMs: 20, jitter: 'none' } })
      await window.rec.next('c', 'open')
      return window.rec.log.length
    }, lab.ws('/v1/live'))
    // The endpoint moves on: /v2 is gone (upgrades get 404), /v1 now leads to /v3.
    lab.remove('/v2/live')
    lab.endpoint('/v3/live')
    lab.redirect('/v1/live', lab.ws('/v3/live'))
    for (const client of v2.clients) client.close(1001, 'going away')
    const events = await app.evaluate(async (mark) => {
      await window.rec.next('c', 'open', mark)
      return window.rec.since(mark, 'c')
    }, mark)
    // Exactly one back-off (the one the 1001 close earns); the stale cache hit costs none. It is
    // reported as what a GET of /v2 says, and announces no move: /v2 was never reached.
    expect(story(events)).toEqual([
      'close:1001:reconnect',
      'reconnecting:20',
      'error:HANDSHAKE_FAILED',
      `redirect:preflight:${lab.ws('/v3/live')}`,
      `open:${lab.ws('/v3/live')}`,
    ])
    expect(lab.count('/v2/live', 'upgrade')).toBe(2)
    expect(lab.count('/v1/live', 'get')).toBe(2)
    // Rediscovery preflights the original URL; it does not try its upgrade again first.
    expect(lab.count('/v1/live', 'upgrade')).toBe(1)
  })

  test('a second connect() whose cached target is gone rediscovers from the original URL at once', async ({
    app,
    lab,
  }) => {
    lab.endpoint('/v2/live')
    lab.redirect('/v1/live', lab.ws('/v2/live'))
    await installRecorder(app)
    await app.evaluate(async (url) => {
      window.rec.connect('first', url)
      await window.rec.next('first', 'open')
      window.rec.conns.first!.close()
      await window.rec.next('first', 'state', 0, { state: 'closed' })
    }, lab.ws('/v1/live'))
    lab.remove('/v2/live') // its upgrades now get 404
    lab.endpoint('/v3/live')
    lab.redirect('/v1/live', lab.ws('/v3/live'))
    const mark = lab.requests.length
    // A 60 s back-off: if the stale hit went through the back-off, the test would time out.
    const events = await app.evaluate(async (url) => {
      const mark = window.rec.log.length
      window.rec.connect('second', url, { reconnect: { minDelayMs: 60_000, maxDelayMs: 60_000, jitter: 'none' } })
      await window.rec.next('second', 'open')
      return window.rec.since(mark, 'second')
    }, lab.ws('/v1/live'))
    expect(story(events)).toEqual([
      'error:HANDSHAKE_FAILED',
      `redirect:preflight:${lab.ws('/v3/live')}`,
      `open:${lab.ws('/v3/live')}`,
    ])
    expect(events.find((e) => e.type === 'error')!.payload).toMatchObject({ status: 404, url: lab.ws('/v2/live') })
    const seen = lab.requests.slice(mark).filter((r) => r.path.startsWith('/v'))
    expect(seen.map((r) => `${r.kind} ${r.path}`)).toEqual([
      'upgrade /v2/live',
      'get /v2/live', // what the failed target answers: the error's status
      'get /v1/live',
      'get /v3/live', // the browser's fetch follows the 308 itself
      'upgrade /v3/live',
    ])
  })

  for (const code of [1012, 1013]) {
    test(`a close with ${code} from a cached target rediscovers from the original URL at once`, async ({
      app,
      lab,
    }) => {
      const v2 = lab.endpoint('/v2/live')
      lab.redirect('/v1/live', lab.ws('/v2/live'))
      await installRecorder(app)
      const mark = await app.evaluate(async (url) => {
        window.rec.connect('first', url)
        await window.rec.next('first', 'open')
        window.rec.conns.first!.close()
        await window.rec.next('first', 'state', 0, { state: 'closed' })
        const mark = window.rec.log.length
        window.rec.connect('second', url, { reconnect: { minDelayMs: 60_000, maxDelayMs: 60_000, jitter: 'none' } })
        await window.rec.next('second', 'open')
        return mark
      }, lab.ws('/v1/live'))
      await expect.poll(() => v2.clients.size).toBe(1)
      expect(lab.count('/v1/live', 'get')).toBe(1)
      lab.endpoint('/v3/live')
      lab.redirect('/v1/live', lab.ws('/v3/live'))
      for (const client of v2.clients) client.close(code, 'restart')
      const events = await app.evaluate(
        async ({ mark, to }) => {
          await window.rec.next('second', 'open', mark, { url: to })
          return window.rec.since(mark, 'second')
        },
        { mark, to: lab.ws('/v3/live') },
      )
      expect(story(events)).toEqual([
        `redirect:cache:${lab.ws('/v2/live')}`,
        `open:${lab.ws('/v2/live')}`,
        `close:${code}:reconnect`,
        `redirect:preflight:${lab.ws('/v3/live')}`,
        `open:${lab.ws('/v3/live')}`,
      ])
      expect(lab.count('/v1/live', 'get')).toBe(2)
      expect(lab.count('/v1/live', 'upgrade')).toBe(1)
    })
  }
})
