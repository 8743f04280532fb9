import { test, expect } from './fixtures'

test.describe("discovery: 'auto' in Chromium", () => {
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
      { from: lab.ws('/v1/live'), to: lab.ws('/v2/live'), hops: [{ from: lab.ws('/v1/live'), to: lab.ws('/v2/live') }], via: 'preflight' },
    ])
    expect(lab.count('/v1/live', 'get')).toBe(1)
  })
})
