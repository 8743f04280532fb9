import { createRedirects } from '@followsocket/server'
import { afterEach, describe, expect, it } from 'vitest'
import { doctor, lineWith, site, type Site } from './support'

const PAGE = 'https://app.example.com'
let sites: Site[] = []
const open = async () => {
  const s = await site()
  sites.push(s)
  return s
}
afterEach(async () => {
  await Promise.all(sites.map((s) => s.close()))
  sites = []
})

describe('followsocket doctor, CORS on every answer of a cross-origin preflight', () => {
  it('fails a hop without Access-Control-Allow-Origin for the page: exit 1, the exact header line and the createRedirects option', async () => {
    const s = await open()
    // origins defaults to []: no Access-Control-Allow-Origin for any page.
    s.redirects = createRedirects({ rules: { '/v1/live': s.ws('/v2/live') } })
    s.endpoint('/v2/live')
    const run = await doctor('doctor', s.ws('/v1/live'), '--origin', PAGE)
    expect(run.code).toBe(1)
    expect(lineWith(run.stdout, `GET ${s.http('/v1/live')}`)).toMatch(/^✗ 1 GET .*no Access-Control-Allow-Origin/)
    expect(run.stdout).toContain(`✗ A browser page at ${PAGE} fails with DISCOVERY_BLOCKED at preflight hop 1: the answer to GET ${s.http('/v1/live')} (308) has no Access-Control-Allow-Origin for Origin: ${PAGE}`)
    expect(run.stdout).toContain(`\n    Access-Control-Allow-Origin: ${PAGE}\n    Vary: Origin\n`)
    expect(run.stdout).toContain(`createRedirects({ rules: { '/v1/live': '${s.ws('/v2/live')}' }, origins: ['${PAGE}'] })`)
    expect(run.stdout).toContain(`add_header Access-Control-Allow-Origin "${PAGE}" always;`)
    expect(run.stdout).toContain(`return 308 ${s.http('/v2/live')}$is_args$args;`)
  })

  it('sends Origin: null after a second origin change, and fails a hop that admits only the page: explains why and what to allow', async () => {
    const b = await open()
    const c = await open()
    b.redirects = createRedirects({ rules: { '/v1/live': c.ws('/v2/live') }, origins: [PAGE] })
    c.redirects = createRedirects({ rules: { '/v2/live': c.ws('/v3/live') }, origins: [PAGE] })
    c.endpoint('/v3/live', [PAGE, 'null'])
    const run = await doctor('doctor', b.ws('/v1/live'), '--origin', PAGE)
    expect(run.code).toBe(1)
    // What a browser sends: the page's origin to B, then null to C (B → C left an origin that is not the page's).
    expect(b.seen.filter((r) => r.kind == 'get').map((r) => r.origin)).toEqual([PAGE])
    expect(c.seen.filter((r) => r.kind == 'get').map((r) => r.origin)).toEqual(['null', 'null'])
    expect(lineWith(run.stdout, `GET ${b.http('/v1/live')}`)).toMatch(/^✓ 1 /)
    expect(lineWith(run.stdout, `GET ${c.http('/v2/live')}`)).toMatch(/^✗ 2 GET .*Origin: null, no Access-Control-Allow-Origin/)
    expect(lineWith(run.stdout, `GET ${c.http('/v3/live')}`)).toMatch(/^✓ 3 GET .*Origin: null, Access-Control-Allow-Origin: null/)
    expect(run.stdout).toContain(`fails with DISCOVERY_BLOCKED at preflight hop 2: the answer to GET ${c.http('/v2/live')} (308) has no Access-Control-Allow-Origin for Origin: null`)
    expect(run.stdout).toContain(`because the chain crossed origins twice (${PAGE} → ${b.origin} → ${c.origin})`)
    expect(run.stdout).toContain("Admit 'null' here, besides https://app.example.com")
    expect(run.stdout).toContain('\n    Access-Control-Allow-Origin: null\n')
    expect(run.stdout).toContain(`createRedirects({ rules: { '/v2/live': '${c.ws('/v3/live')}' }, origins: ['${PAGE}', 'null'] })`)
    expect(run.stdout).toContain('"null" "null";')
  })

  it("passes the same chain once the second hop admits 'null'", async () => {
    const b = await open()
    const c = await open()
    b.redirects = createRedirects({ rules: { '/v1/live': c.ws('/v2/live') }, origins: [PAGE] })
    c.redirects = createRedirects({ rules: { '/v2/live': c.ws('/v3/live') }, origins: ['null'] })
    c.endpoint('/v3/live', ['null'])
    const run = await doctor('doctor', b.ws('/v1/live'), '--origin', PAGE)
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('connects after 2 preflights')
  })

  it("flags Access-Control-Allow-Origin: * with --credentials: exit 1, echo the origin with credentials: true", async () => {
    const s = await open()
    s.redirects = createRedirects({ rules: { '/v1/live': s.ws('/v2/live') }, origins: '*' })
    s.endpoint('/v2/live', [PAGE])
    const without = await doctor('doctor', s.ws('/v1/live'), '--origin', PAGE)
    expect(without.code).toBe(0) // without credentials, '*' admits the page
    const run = await doctor('doctor', s.ws('/v1/live'), '--origin', PAGE, '--credentials')
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(`fails with DISCOVERY_BLOCKED at preflight hop 1: the answer to GET ${s.http('/v1/live')} (308) allows "*", which a credentialed request (--credentials) never accepts`)
    expect(run.stdout).toContain(`\n    Access-Control-Allow-Origin: ${PAGE}\n    Access-Control-Allow-Credentials: true\n`)
    expect(run.stdout).toContain(`origins: ['${PAGE}'], credentials: true })`)
    expect(run.stdout).toContain('add_header Access-Control-Allow-Credentials true always;')
  })

  it('plays a page with an opaque origin (--origin null): Origin: null from the first hop', async () => {
    const s = await open()
    s.redirects = createRedirects({ rules: { '/v1/live': s.ws('/v2/live') }, origins: ['null'] })
    s.endpoint('/v2/live', ['null'])
    const run = await doctor('doctor', s.ws('/v1/live'), '--origin', 'null')
    expect(run.code).toBe(0)
    expect(s.seen.filter((r) => r.kind == 'get').map((r) => r.origin)).toEqual(['null', 'null'])
    expect(run.stdout).toContain('✓ A browser page with an opaque origin (null) connects after 1 preflight')
  })

  it('warns, without failing, about an echoed origin without Vary: Origin', async () => {
    const s = await open()
    s.get = (req, res) => {
      if (req.url != '/v1/live') return false
      res.writeHead(308, { location: s.http('/v2/live'), 'access-control-allow-origin': PAGE }).end()
      return true
    }
    s.upgrade = (req, socket) => {
      if (req.url != '/v1/live') return false
      socket.end(`HTTP/1.1 308 Permanent Redirect\r\nLocation: ${s.ws('/v2/live')}\r\nContent-Length: 0\r\n\r\n`)
      return true
    }
    s.endpoint('/v2/live')
    const run = await doctor('doctor', s.ws('/v1/live'), '--origin', PAGE)
    expect(run.code).toBe(0)
    expect(lineWith(run.stdout, `GET ${s.http('/v1/live')}`)).toMatch(/^! 1 /)
    expect(run.stdout).toContain(`! preflight hop 1: the answer to GET ${s.http('/v1/live')} echoes Access-Control-Allow-Origin: ${PAGE} without Vary: Origin`)
    expect(run.stdout).toContain('add_header Vary Origin always;')
  })
})
