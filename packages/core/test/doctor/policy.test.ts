import { createRedirects } from '@followsocket/server'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { doctor, lineWith, selfSigned, site, type Site } from './support'

const PAGE = 'https://app.example.com'
let sites: Site[] = []
const open = async (tls?: { key: string; cert: string }) => {
  const s = await site(tls)
  sites.push(s)
  return s
}
afterEach(async () => {
  await Promise.all(sites.map((s) => s.close()))
  sites = []
})

/** Answers both the GET and the upgrade of `path` with a 308 to `location`, as written. */
const redirect = (s: Site, path: string, location: string, upgradeLocation = location) => {
  const get = s.get
  const upgrade = s.upgrade
  s.get = (req, res) => {
    if (req.url !== path) return get?.(req, res)
    res.writeHead(308, { location, 'access-control-allow-origin': '*' }).end()
    return true
  }
  s.upgrade = (req, socket) => {
    if (req.url !== path) return upgrade?.(req, socket)
    socket.end(`HTTP/1.1 308 Permanent Redirect\r\nLocation: ${upgradeLocation}\r\nContent-Length: 0\r\n\r\n`)
    return true
  }
}

describe("followsocket doctor, each redirect checked by the client's policy", () => {
  it('fails a ws: Location on the GET: fetch cannot follow it; gives the http(s) form', async () => {
    const s = await open()
    redirect(s, '/v1/live', s.ws('/v2/live'))
    s.endpoint('/v2/live')
    const run = await doctor('doctor', s.ws('/v1/live'), '--origin', PAGE)
    expect(run.code).toBe(1)
    expect(lineWith(run.stdout, `GET ${s.http('/v1/live')}`)).toMatch(/^✗ 1 /)
    expect(run.stdout).toContain(
      `fails with DISCOVERY_BLOCKED at preflight hop 1: GET ${s.http('/v1/live')} answers 308 with Location: ${s.ws('/v2/live')}, and fetch cannot follow a ws(s): Location`,
    )
    expect(run.stdout).toContain(`Answer the GET with the http(s): form, Location: ${s.http('/v2/live')}`)
    expect(run.stdout).toContain(`\n    Location: ${s.http('/v2/live')}\n`)
    expect(run.stdout).toContain(`return 308 ${s.http('/v2/live')}$is_args$args;`)
    // HAProxy and Caddy give the GET the http: form and the upgrade its ws: one, as the README's recipes do.
    const query = '%[url,regsub(^[^?]*,)]'
    expect(run.stdout).toContain(`redirect code 308 location "${s.http('/v2/live')}${query}" if followsocket_moved\n`)
    expect(run.stdout).toContain(`location "${s.ws('/v2/live')}${query}" if followsocket_moved followsocket_upgrade\n`)
    expect(run.stdout).toContain(`\tredir @moved ${s.http('/v2/live')}{followsocket_query} 308\n`)
    expect(run.stdout).toContain(`\tredir @moved_upgrade ${s.ws('/v2/live')}{followsocket_query} 308\n`)
  })

  describe('over TLS, with a self-signed certificate made for the test', () => {
    let tls: ReturnType<typeof selfSigned>
    beforeAll(() => {
      tls = selfSigned()
    })
    afterAll(() => tls.dispose())

    it('fails a downgrade https → http with INSECURE_REDIRECT and gives the https form', async () => {
      const plain = await open()
      plain.endpoint('/v2/live')
      const secure = await open(tls)
      secure.redirects = createRedirects({ rules: { '/v1/live': plain.ws('/v2/live') }, origins: '*' })
      const run = await doctor('doctor', secure.ws('/v1/live'), '--origin', PAGE, '--ca', tls.certFile)
      expect(run.code).toBe(1)
      expect(lineWith(run.stdout, `GET ${secure.http('/v1/live')}`)).toMatch(
        /^✗ 1 GET .* → 308 .*refused: INSECURE_REDIRECT/,
      )
      expect(run.stdout).toContain(
        `fails with INSECURE_REDIRECT at preflight hop 1: GET ${secure.http('/v1/live')} redirects from https: to http: (${plain.http('/v2/live')})`,
      )
      expect(run.stdout).toContain("an https: page's fetch() blocks it anyway as mixed content")
      expect(run.stdout).toContain(`\n    Location: https://127.0.0.1:${plain.port}/v2/live\n`)
      expect(run.stdout).toContain(`location "https://127.0.0.1:${plain.port}/v2/live%[url,regsub(^[^?]*,)]"`)
      expect(run.stdout).toContain(`location "wss://127.0.0.1:${plain.port}/v2/live%[url,regsub(^[^?]*,)]"`)
      expect(run.stdout).toContain(`\tredir @moved https://127.0.0.1:${plain.port}/v2/live{followsocket_query} 308\n`)
      expect(run.stdout).toContain(`\tredir @moved_upgrade wss://127.0.0.1:${plain.port}/v2/live{followsocket_query}`)
      // The policy refused the step, so the http: URL was never requested.
      expect(plain.seen.filter((r) => r.kind === 'get')).toEqual([])
    })

    it('reports a certificate the machine does not trust, and trusts it with --insecure', async () => {
      const secure = await open(tls)
      secure.endpoint('/live')
      const refused = await doctor('doctor', secure.ws('/live'))
      expect(refused.code).toBe(1)
      expect(refused.stdout).toContain('TLS certificate refused')
      expect(refused.stdout).toContain('--ca <file> or --insecure')
      const trusted = await doctor('doctor', secure.ws('/live'), '--insecure')
      expect(trusted.code).toBe(0)
    })
  })

  it('fails a loop with REDIRECT_LOOP at the hop that closes it', async () => {
    const s = await open()
    s.redirects = createRedirects({ rules: { '/a': s.ws('/b'), '/b': s.ws('/a') }, origins: '*' })
    const run = await doctor('doctor', s.ws('/a'), '--origin', PAGE)
    expect(run.code).toBe(1)
    expect(lineWith(run.stdout, `GET ${s.http('/b')}`)).toMatch(/^✗ 2 GET .*refused: REDIRECT_LOOP/)
    expect(run.stdout).toContain(
      `fails with REDIRECT_LOOP at preflight hop 2: GET ${s.http('/b')} redirects to ${s.http('/a')}, which the chain already requested: a loop`,
    )
  })

  it('fails more than 10 redirects with TOO_MANY_REDIRECTS at the 11th', async () => {
    const s = await open()
    const rules = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`/h${i}`, s.ws(`/h${i + 1}`)]))
    s.redirects = createRedirects({ rules, origins: '*' })
    s.endpoint('/h11')
    const run = await doctor('doctor', s.ws('/h0'), '--origin', PAGE)
    expect(run.code).toBe(1)
    expect(lineWith(run.stdout, `GET ${s.http('/h10')}`)).toMatch(/^✗ 11 GET .*refused: TOO_MANY_REDIRECTS/)
    expect(run.stdout).toContain(
      `fails with TOO_MANY_REDIRECTS at preflight hop 11: GET ${s.http('/h10')} → ${s.http('/h11')} is redirect number 11, more than maxRedirects (10)`,
    )
    expect(s.seen.filter((r) => r.kind === 'get' && r.path === '/h11')).toEqual([])
  })

  it('fails a javascript: Location with REDIRECT_NOT_ALLOWED', async () => {
    const s = await open()
    redirect(s, '/v1/live', 'javascript:alert(1)')
    const run = await doctor('doctor', s.ws('/v1/live'), '--origin', PAGE)
    expect(run.code).toBe(1)
    expect(lineWith(run.stdout, `GET ${s.http('/v1/live')}`)).toMatch(/^✗ 1 GET .*refused: REDIRECT_NOT_ALLOWED/)
    expect(run.stdout).toContain(
      `fails with REDIRECT_NOT_ALLOWED at preflight hop 1: GET ${s.http('/v1/live')} redirects to javascript:alert(1), which is not an http(s): or ws(s): URL`,
    )
  })

  it('fails a Location with user:password@ with REDIRECT_NOT_ALLOWED and gives it without them', async () => {
    const s = await open()
    redirect(s, '/v1/live', `http://user:secret@127.0.0.1:${s.port}/v2/live`)
    s.endpoint('/v2/live')
    const run = await doctor('doctor', s.ws('/v1/live'), '--origin', PAGE)
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(
      `fails with REDIRECT_NOT_ALLOWED at preflight hop 1: GET ${s.http('/v1/live')} redirects to a URL with user:password@`,
    )
  })
})
