// "Origin: null after a second origin change" in real Chromium
// (docs/discovery.md#what-browsers-can-and-cannot-see): a page at origin A preflights an endpoint
// on B, which redirects (createRedirects) to C. The redirect crossed origins while the request was
// already cross-origin, so the Fetch standard taints the request's origin and Chromium sends
// `Origin: null` to C. C's redirect must admit 'null' (or '*'): admitting only A blocks the
// discovery.
import { test, expect } from '../../../core/test/browser/fixtures'
import { installRecorder, story } from '../../../core/test/browser/recorder'
import { createRedirects } from '../../src'
import { startServer, type TestServer } from '../server'

const servers: TestServer[] = []
test.afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

/**
 * B: /v1/live → C /v2/live, admitting A. C: /v2/live → C /v3/live, admitting `cOrigins`;
 * /v3/live is the endpoint, whose own GET admits anyone, so only C's redirect decides.
 */
const chain = async (a: string, cOrigins: string[]) => {
  const b = await startServer()
  const c = await startServer()
  servers.push(b, c)
  c.endpoint('/v3/live', { cors: '*' })
  b.redirects = createRedirects({ rules: { '/v1/live': c.ws('/v2/live') }, origins: [a] })
  c.redirects = createRedirects({ rules: { '/v2/live': c.ws('/v3/live') }, origins: cOrigins })
  return { b, c }
}

test.describe('a two-hop cross-origin chain in Chromium (A → B → C)', () => {
  test('C admitting only A: Chromium sends Origin: null to C and the client reports DISCOVERY_BLOCKED', async ({
    app,
    lab,
  }) => {
    const { b, c } = await chain(lab.origin, [lab.origin])
    await installRecorder(app)
    const { error, events } = await app.evaluate(async (url) => {
      window.rec.connect('c', url, { cache: false, reconnect: false, discovery: 'preflight' })
      const error = await window.rec.next('c', 'error')
      await window.rec.next('c', 'state', 0, { state: 'closed' })
      return { error: error.payload, events: window.rec.since(0, 'c') }
    }, b.ws('/v1/live'))
    expect(error.code).toBe('DISCOVERY_BLOCKED')
    expect(story(events).filter((s) => /^(open|redirect)/.test(s!))).toEqual([])
    // B saw the page's origin; C saw the tainted, opaque one. The second GET at B is the client's
    // 'no-cors' probe (which sends no Origin), telling a CORS refusal from a server that is down.
    expect(b.seen.filter((r) => r.path === '/v1/live')).toEqual([
      { kind: 'get', method: 'GET', path: '/v1/live', origin: lab.origin },
      { kind: 'get', method: 'GET', path: '/v1/live' },
    ])
    expect(c.seen.filter((r) => r.path === '/v2/live')).toEqual([
      { kind: 'get', method: 'GET', path: '/v2/live', origin: 'null' },
      { kind: 'get', method: 'GET', path: '/v2/live' },
    ])
    // Only the probe (which follows where CORS cannot) reached /v3; no socket went there.
    expect(c.seen.filter((r) => r.path === '/v3/live').map((r) => r.kind)).toEqual(['get'])
  })

  test("C admitting 'null' as well: the client follows both hops and opens at C", async ({ app, lab }) => {
    const { b, c } = await chain(lab.origin, [lab.origin, 'null'])
    await installRecorder(app)
    const events = await app.evaluate(async (url) => {
      window.rec.connect('c', url, { cache: false, reconnect: false, discovery: 'preflight' })
      await window.rec.next('c', 'open')
      return window.rec.since(0, 'c')
    }, b.ws('/v1/live'))
    expect(story(events).filter((s) => /^(open|redirect|error)/.test(s!))).toEqual([
      `redirect:preflight:${c.ws('/v3/live')}`,
      `open:${c.ws('/v3/live')}`,
    ])
    expect(c.seen.find((r) => r.path === '/v2/live')?.origin).toBe('null')
    // The final GET was tainted too; the WebSocket itself carries the page's real origin.
    expect(c.seen.filter((r) => r.path === '/v3/live')).toEqual([
      { kind: 'get', method: 'GET', path: '/v3/live', origin: 'null' },
      { kind: 'upgrade', method: 'GET', path: '/v3/live', origin: lab.origin },
    ])
  })

  test("the 'auto' client, whose direct handshake meets B's 308 upgrade answer, ends up at C as well", async ({
    app,
    lab,
  }) => {
    const { b, c } = await chain(lab.origin, [lab.origin, 'null'])
    await installRecorder(app)
    const open = await app.evaluate(async (url) => {
      window.rec.connect('c', url, { cache: false, reconnect: false })
      return (await window.rec.next('c', 'open')).payload.url
    }, b.ws('/v1/live'))
    expect(open).toBe(c.ws('/v3/live'))
    expect(b.count('/v1/live', 'upgrade')).toBe(1)
    expect(b.count('/v1/live', 'get')).toBe(1)
  })
})
