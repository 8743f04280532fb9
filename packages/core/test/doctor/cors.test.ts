import { createRedirects } from '@followsocket/server'
import { describe, expect, it } from 'vitest'
import { doctor, lineWith, printed, sitesPerTest } from './support'

const PAGE = 'https://app.example.com'
// HAProxy's response rules test what its request rules set aside.
const MOVED = '{ var(txn.followsocket_moved) -m bool }'
const ENDPOINT = '{ var(txn.followsocket_endpoint) -m bool }'
const ADMITTED = '{ var(txn.followsocket_origin) -m found }'
const HAPROXY_CREDENTIALS = 'http-after-response set-header Access-Control-Allow-Credentials true'
const open = sitesPerTest()

describe('followsocket doctor, CORS on every answer of a cross-origin preflight', () => {
  it('fails a hop without Access-Control-Allow-Origin for the page: exit 1, the exact header line and the createRedirects option', async () => {
    const s = await open()
    // origins defaults to []: no Access-Control-Allow-Origin for any page.
    s.redirects = createRedirects({ rules: { '/v1/live': s.ws('/v2/live') } })
    s.endpoint('/v2/live')
    const run = await doctor('doctor', s.ws('/v1/live'), '--origin', PAGE)
    expect(run.code).toBe(1)
    expect(lineWith(run.stdout, `GET ${s.http('/v1/live')}`)).toMatch(/^✗ 1 GET .*no Access-Control-Allow-Origin/)
    expect(run.stdout).toContain(
      `✗ A browser page at ${PAGE} fails with DISCOVERY_BLOCKED at preflight hop 1: the answer to GET ${s.http('/v1/live')} (308) has no Access-Control-Allow-Origin for Origin: ${PAGE}`,
    )
    expect(run.stdout).toContain(`\n    Access-Control-Allow-Origin: ${PAGE}\n    Vary: Origin\n`)
    expect(run.stdout).toContain(
      `createRedirects({ rules: { '/v1/live': '${s.ws('/v2/live')}' }, origins: ['${PAGE}'] })`,
    )
    expect(run.stdout).toContain(`add_header Access-Control-Allow-Origin "${PAGE}" always;`)
    expect(run.stdout).toContain(`return 308 ${s.http('/v2/live')}$is_args$args;`)
    // The same answers from HAProxy and Caddy, as the server README's recipes write them: the upgrade
    // gets the ws: Location, the GET the http: one, both with the request's query.
    const query = '%[url,regsub(^[^?]*,)]'
    expect(run.stdout).toContain(
      printed('HAProxy', [
        '# in the frontend:',
        '    acl followsocket_moved path /v1/live',
        '    acl followsocket_upgrade hdr(upgrade) -i websocket',
        `    acl followsocket_admitted req.hdr(origin) -m str ${PAGE}`,
        '    http-request set-var(txn.followsocket_moved) bool(true) if followsocket_moved',
        '    http-request set-var(txn.followsocket_origin) req.hdr(origin)' +
          ' if followsocket_moved followsocket_admitted',
        `    http-request redirect code 308 location "${s.ws('/v2/live')}${query}"` +
          ' if followsocket_moved followsocket_upgrade',
        `    http-request redirect code 308 location "${s.http('/v2/live')}${query}" if followsocket_moved`,
        '    http-after-response set-header Access-Control-Allow-Origin "%[var(txn.followsocket_origin)]"' +
          ` if ${ADMITTED}`,
        `    http-after-response set-header Vary Origin if ${MOVED}`,
      ]),
    )
    expect(run.stdout).toContain(
      printed('Caddy', [
        '# in the site block:',
        '\t# The query string, with its "?", or nothing: Locations keep it.',
        '\tmap {query} {followsocket_query} {',
        '\t\t""      ""',
        '\t\tdefault ?{query}',
        '\t}',
        '\t@moved path /v1/live',
        '\t@moved_upgrade {',
        '\t\tpath /v1/live',
        '\t\theader Connection *Upgrade*',
        '\t\theader Upgrade websocket',
        '\t}',
        '\t@admitted {',
        '\t\tpath /v1/live',
        `\t\theader Origin ${PAGE}`,
        '\t}',
        '\theader @moved Vary Origin',
        '\theader @admitted Access-Control-Allow-Origin {http.request.header.Origin}',
        `\tredir @moved_upgrade ${s.ws('/v2/live')}{followsocket_query} 308`,
        `\tredir @moved ${s.http('/v2/live')}{followsocket_query} 308`,
      ]),
    )
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
    expect(b.seen.filter((r) => r.kind === 'get').map((r) => r.origin)).toEqual([PAGE])
    expect(c.seen.filter((r) => r.kind === 'get').map((r) => r.origin)).toEqual(['null', 'null'])
    expect(lineWith(run.stdout, `GET ${b.http('/v1/live')}`)).toMatch(/^✓ 1 /)
    expect(lineWith(run.stdout, `GET ${c.http('/v2/live')}`)).toMatch(
      /^✗ 2 GET .*Origin: null, no Access-Control-Allow-Origin/,
    )
    expect(lineWith(run.stdout, `GET ${c.http('/v3/live')}`)).toMatch(
      /^✓ 3 GET .*Origin: null, Access-Control-Allow-Origin: null/,
    )
    expect(run.stdout).toContain(
      `fails with DISCOVERY_BLOCKED at preflight hop 2: the answer to GET ${c.http('/v2/live')} (308) has no Access-Control-Allow-Origin for Origin: null`,
    )
    expect(run.stdout).toContain(`because the chain crossed origins twice (${PAGE} → ${b.origin} → ${c.origin})`)
    expect(run.stdout).toContain("Admit 'null' here, besides https://app.example.com")
    expect(run.stdout).toContain('\n    Access-Control-Allow-Origin: null\n')
    expect(run.stdout).toContain(
      `createRedirects({ rules: { '/v2/live': '${c.ws('/v3/live')}' }, origins: ['${PAGE}', 'null'] })`,
    )
    expect(run.stdout).toContain('"null" "null";')
    expect(run.stdout).toContain(`acl followsocket_admitted req.hdr(origin) -m str ${PAGE} null\n`)
    expect(run.stdout).toContain(`\t\theader Origin ${PAGE}\n    \t\theader Origin null\n`)
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

  it('flags Access-Control-Allow-Origin: * with --credentials: exit 1, echo the origin with credentials: true', async () => {
    const s = await open()
    s.redirects = createRedirects({ rules: { '/v1/live': s.ws('/v2/live') }, origins: '*' })
    s.endpoint('/v2/live', [PAGE])
    const without = await doctor('doctor', s.ws('/v1/live'), '--origin', PAGE)
    expect(without.code).toBe(0) // without credentials, '*' admits the page
    const run = await doctor('doctor', s.ws('/v1/live'), '--origin', PAGE, '--credentials')
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(
      `fails with DISCOVERY_BLOCKED at preflight hop 1: the answer to GET ${s.http('/v1/live')} (308) allows "*", which a credentialed request (--credentials) never accepts`,
    )
    expect(run.stdout).toContain(
      `\n    Access-Control-Allow-Origin: ${PAGE}\n    Access-Control-Allow-Credentials: true\n`,
    )
    expect(run.stdout).toContain(`origins: ['${PAGE}'], credentials: true })`)
    expect(run.stdout).toContain('add_header Access-Control-Allow-Credentials true always;')
    expect(run.stdout).toContain(`${HAPROXY_CREDENTIALS} if ${ADMITTED}`)
    expect(run.stdout).toContain('header @admitted Access-Control-Allow-Credentials true')
  })

  it('flags an origin admitted without Access-Control-Allow-Credentials: adds only that header', async () => {
    const s = await open()
    s.redirects = createRedirects({ rules: { '/v1/live': s.ws('/v2/live') }, origins: [PAGE] })
    s.endpoint('/v2/live', [PAGE])
    const run = await doctor('doctor', s.ws('/v1/live'), '--origin', PAGE, '--credentials')
    expect(run.code).toBe(1)
    const without = `admits ${PAGE} without Access-Control-Allow-Credentials: true`
    expect(run.stdout).toContain(`the answer to GET ${s.http('/v1/live')} (308) ${without}`)
    expect(run.stdout).toContain(`the answer to GET ${s.http('/v2/live')} (426) ${without}`)
    // The redirect (hop 1): its rule gains credentials, and the proxies send the header with it.
    expect(run.stdout).toContain(`{ '/v1/live': '${s.ws('/v2/live')}' }, origins: ['${PAGE}'], credentials: true })`)
    expect(run.stdout).toContain(`${HAPROXY_CREDENTIALS} if ${MOVED}`)
    expect(run.stdout).toContain('\theader @moved Access-Control-Allow-Credentials true\n')
    // The endpoint's own GET (hop 2): the header beside whatever answers it today.
    expect(run.stdout).toContain("    res.setHeader('Access-Control-Allow-Credentials', 'true')\n")
    expect(run.stdout).toContain('    # … the proxy_pass and proxy_set_header lines it has today\n')
    expect(run.stdout).toContain(`${HAPROXY_CREDENTIALS} if ${ENDPOINT}`)
    expect(run.stdout).toContain('\t@endpoint path /v2/live\n')
    expect(run.stdout).toContain('\theader @endpoint Access-Control-Allow-Credentials true\n')
    expect(run.stdout).not.toContain('followsocket_admitted')
  })

  it('plays a page with an opaque origin (--origin null): Origin: null from the first hop', async () => {
    const s = await open()
    s.redirects = createRedirects({ rules: { '/v1/live': s.ws('/v2/live') }, origins: ['null'] })
    s.endpoint('/v2/live', ['null'])
    const run = await doctor('doctor', s.ws('/v1/live'), '--origin', 'null')
    expect(run.code).toBe(0)
    expect(s.seen.filter((r) => r.kind === 'get').map((r) => r.origin)).toEqual(['null', 'null'])
    expect(run.stdout).toContain('✓ A browser page with an opaque origin (null) connects after 1 preflight')
  })

  it('warns, without failing, about an echoed origin without Vary: Origin', async () => {
    const s = await open()
    s.get = (req, res) => {
      if (req.url !== '/v1/live') return false
      res.writeHead(308, { location: s.http('/v2/live'), 'access-control-allow-origin': PAGE }).end()
      return true
    }
    s.upgrade = (req, socket) => {
      if (req.url !== '/v1/live') return false
      socket.end(`HTTP/1.1 308 Permanent Redirect\r\nLocation: ${s.ws('/v2/live')}\r\nContent-Length: 0\r\n\r\n`)
      return true
    }
    s.endpoint('/v2/live')
    const run = await doctor('doctor', s.ws('/v1/live'), '--origin', PAGE)
    expect(run.code).toBe(0)
    expect(lineWith(run.stdout, `GET ${s.http('/v1/live')}`)).toMatch(/^! 1 /)
    expect(run.stdout).toContain(
      `! preflight hop 1: the answer to GET ${s.http('/v1/live')} echoes Access-Control-Allow-Origin: ${PAGE} without Vary: Origin`,
    )
    expect(run.stdout).toContain('add_header Vary Origin always;')
    expect(run.stdout).toContain(`http-after-response set-header Vary Origin if ${MOVED}`)
    expect(run.stdout).toContain('\theader @moved Vary Origin\n')
    expect(run.stdout).not.toContain('Access-Control-Allow-Origin {http.request.header.Origin}')
  })
})
