import { test, expect } from './fixtures'
import { installRecorder, story } from './recorder'

test.describe("discovery: 'auto' in Chromium", () => {
  test('opens a direct endpoint with no preflight GET at all', async ({ app, lab }) => {
    lab.endpoint('/live')
    await installRecorder(app)
    const open = await app.evaluate(async (url) => {
      window.rec.connect('c', url, { cache: false })
      return (await window.rec.next('c', 'open')).payload.url
    }, lab.ws('/live'))
    expect(open).toBe(lab.ws('/live'))
    expect(lab.count('/live', 'upgrade')).toBe(1)
    expect(lab.count('/live', 'get')).toBe(0)
    // Nothing redirected, so no redirect event either.
    expect(await app.evaluate(() => window.rec.since(0, 'c', 'redirect').length)).toBe(0)
  })

  test('opens a 308 endpoint at its Location after exactly one preflight', async ({ app, lab }) => {
    lab.endpoint('/v2/live')
    lab.redirect('/v1/live', lab.ws('/v2/live'))
    const result = await app.evaluate(
      (url) =>
        new Promise<{ open: string; redirects: unknown[] }>((done) => {
          const redirects: unknown[] = []
          const c = window.FollowSocket.connect(url, { cache: false })
          c.on('redirect', (r) => redirects.push(r))
          c.on('open', ({ url }) => done({ open: url, redirects }))
        }),
      lab.ws('/v1/live'),
    )
    expect(result.open).toBe(lab.ws('/v2/live'))
    expect(result.redirects).toEqual([
      {
        from: lab.ws('/v1/live'),
        to: lab.ws('/v2/live'),
        hops: [{ from: lab.ws('/v1/live'), to: lab.ws('/v2/live') }],
        via: 'preflight',
      },
    ])
    expect(lab.count('/v1/live', 'get')).toBe(1)
  })
})

test.describe("discovery: 'preflight' in Chromium", () => {
  test('never attempts an upgrade on the moved URL and opens at the target', async ({ app, lab }) => {
    lab.endpoint('/v2/live')
    lab.redirect('/v1/live', lab.ws('/v2/live'))
    await installRecorder(app)
    const events = await app.evaluate(async (url) => {
      window.rec.connect('c', url, { cache: false, discovery: 'preflight' })
      await window.rec.next('c', 'open')
      return window.rec.since(0, 'c')
    }, lab.ws('/v1/live'))
    expect(story(events)).toEqual([`redirect:preflight:${lab.ws('/v2/live')}`, `open:${lab.ws('/v2/live')}`])
    expect(lab.count('/v1/live', 'upgrade')).toBe(0)
    expect(lab.count('/v1/live', 'get')).toBe(1)
    expect(lab.count('/v2/live', 'upgrade')).toBe(1)
  })

  test('preflights a direct endpoint once, then opens it where it is', async ({ app, lab }) => {
    lab.endpoint('/live')
    await installRecorder(app)
    const open = await app.evaluate(async (url) => {
      window.rec.connect('c', url, { cache: false, discovery: 'preflight' })
      return (await window.rec.next('c', 'open')).payload.url
    }, lab.ws('/live'))
    expect(open).toBe(lab.ws('/live'))
    expect(lab.count('/live', 'get')).toBe(1)
    expect(lab.count('/live', 'upgrade')).toBe(1)
    expect(await app.evaluate(() => window.rec.since(0, 'c', 'redirect').length)).toBe(0)
  })
})

test.describe('cross-origin discovery in Chromium', () => {
  test('follows a CORS-readable 308 on another origin to another path there', async ({ app, lab, other }) => {
    other.endpoint('/v2/live')
    other.redirect('/v1/live', other.ws('/v2/live'))
    await installRecorder(app)
    const events = await app.evaluate(async (url) => {
      window.rec.connect('c', url, { cache: false })
      await window.rec.next('c', 'open')
      return window.rec.since(0, 'c')
    }, other.ws('/v1/live'))
    expect(story(events).filter((s) => /^(open|redirect|error)/.test(s!))).toEqual([
      `redirect:preflight:${other.ws('/v2/live')}`,
      `open:${other.ws('/v2/live')}`,
    ])
    expect(other.count('/v1/live', 'get')).toBe(1)
    // The preflight is a real cross-origin request from the page's origin.
    expect(other.requests.find((r) => r.path === '/v1/live' && r.kind === 'get')?.origin).toBe(lab.origin)
  })

  test('follows a CORS-readable 308 on another origin back to the page origin', async ({ app, lab, other }) => {
    lab.endpoint('/v2/live')
    other.redirect('/v1/live', lab.ws('/v2/live'))
    await installRecorder(app)
    const open = await app.evaluate(async (url) => {
      window.rec.connect('c', url, { cache: false })
      return (await window.rec.next('c', 'open')).payload.url
    }, other.ws('/v1/live'))
    expect(open).toBe(lab.ws('/v2/live'))
    expect(other.count('/v1/live', 'get')).toBe(1)
  })

  test('a cross-origin 308 without CORS headers is DISCOVERY_BLOCKED, naming Access-Control-Allow-Origin', async ({
    app,
    other,
  }) => {
    other.endpoint('/v2/live')
    other.redirect('/v1/live', other.ws('/v2/live'), { cors: false })
    await installRecorder(app)
    const { error, events } = await app.evaluate(async (url) => {
      window.rec.connect('c', url, { cache: false, reconnect: false })
      const error = await window.rec.next('c', 'error')
      await window.rec.next('c', 'state', 0, { state: 'closed' })
      return { error: error.payload, events: window.rec.since(0, 'c') }
    }, other.ws('/v1/live'))
    expect(error.code).toBe('DISCOVERY_BLOCKED')
    expect(error.isFollowSocketError).toBe(true)
    expect(error.message).toContain('Access-Control-Allow-Origin')
    expect(error.url).toBe(other.ws('/v1/live'))
    expect(story(events).filter((s) => /^(open|redirect)/.test(s!))).toEqual([])
    // The preflight, and the 'no-cors' probe that tells CORS from a server that is down.
    expect(other.count('/v1/live', 'get')).toBe(2)
    expect(other.count('/v2/live', 'upgrade')).toBe(0)
  })
})
