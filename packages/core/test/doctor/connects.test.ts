import { createRedirects } from '@followsocket/server'
import { describe, expect, it } from 'vitest'
import { doctor, lineWith, sitesPerTest } from './support'

const PAGE = 'https://app.example.com'
const open = sitesPerTest()

describe('followsocket doctor, endpoints a browser page can reach', () => {
  it('passes a healthy 308 with exit 0: "connects after 1 preflight", at the Location', async () => {
    const s = await open()
    s.redirects = createRedirects({ rules: { '/v1/live': s.ws('/v2/live') }, origins: [PAGE] })
    s.endpoint('/v2/live')
    const run = await doctor('doctor', s.ws('/v1/live'), '--origin', PAGE)
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`✓ A browser page at ${PAGE} connects after 1 preflight:`)
    expect(run.stdout).toContain(`the WebSocket opens at ${s.ws('/v2/live')}`)
    expect(lineWith(run.stdout, `GET ${s.http('/v1/live')}`)).toMatch(
      /^✓ 1 GET .* → 308 .*Origin: https:\/\/app\.example\.com, Access-Control-Allow-Origin: https:\/\/app\.example\.com/,
    )
    expect(lineWith(run.stdout, `${s.ws('/v2/live')} → 101`)).toMatch(/^✓ 2 .*Sec-WebSocket-Accept correct/)
    expect(run.stdout).not.toContain('✗')
    // One GET per URL of the chain and one upgrade per hop, from this page's Origin.
    expect(s.seen).toEqual(
      expect.arrayContaining([
        { kind: 'get', path: '/v1/live', origin: PAGE },
        { kind: 'get', path: '/v2/live', origin: PAGE },
        { kind: 'upgrade', path: '/v1/live', origin: PAGE },
        { kind: 'upgrade', path: '/v2/live', origin: PAGE },
      ]),
    )
    expect(s.seen).toHaveLength(4)
  })

  it("sends no Origin on a same-origin chain (no --origin: the page is on the endpoint's origin)", async () => {
    const s = await open()
    // No CORS at all: a same-origin page needs none.
    s.redirects = createRedirects({ rules: { '/v1/live': s.ws('/v2/live') } })
    s.endpoint('/v2/live', [])
    const run = await doctor('doctor', s.ws('/v1/live'))
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`page origin ${s.origin} (the endpoint's own`)
    expect(run.stdout).toContain('connects after 1 preflight')
    expect(s.seen.filter((r) => r.kind === 'get').map((r) => r.origin)).toEqual([undefined, undefined])
  })

  it('says "connects directly" for an endpoint that answers 101 itself, with no preflight', async () => {
    const s = await open()
    s.endpoint('/live')
    const run = await doctor('doctor', s.ws('/live'), '--origin', PAGE)
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(
      `✓ A browser page at ${PAGE} connects directly at ${s.ws('/live')}, no preflight needed`,
    )
  })

  it('counts one preflight per redirect: a chain of exactly maxRedirects (10) passes', async () => {
    const s = await open()
    const rules = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`/h${i}`, s.ws(`/h${i + 1}`)]))
    s.redirects = createRedirects({ rules, origins: '*' })
    s.endpoint('/h10')
    const run = await doctor('doctor', s.ws('/h0'), '--origin', PAGE)
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('connects after 10 preflights: its fetch() follows 10 redirects')
  })
})
