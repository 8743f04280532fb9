// resolve(url, options) in Node, against real node:http / node:https lab servers on 127.0.0.1 and
// Node's own fetch: no mocks. Node's fetch shows each redirect's status under `redirect: 'manual'`,
// so here discovery walks the chain hop by hop (docs/discovery.md#two-ways-to-follow-a-chain).
//
// The memory cache is module-global and keyed by the requested URL, and a closed lab's port can
// be handed to a later lab, so every test starts from a path no other test uses.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { startLab, type Lab } from '@followsocket/lab'
import { FollowSocketError, resolve, type ErrorCode } from '../src'

const labs: Lab[] = []
/** Starts a lab that afterEach closes. */
const open = async (options?: Parameters<typeof startLab>[0]): Promise<Lab> => {
  const lab = await startLab(options)
  labs.push(lab)
  return lab
}

let lab: Lab
beforeEach(async () => {
  lab = await open()
})
afterEach(async () => {
  await Promise.all(labs.splice(0).map((l) => l.close()))
})

/** Answers the GET at `path` with `status` and exactly this `Location` header, unnormalised. */
const sendLocation = (on: Lab, path: string, location: string, status = 302) =>
  on.route(path, (_req, res) => void res.writeHead(status, { location }).end())

/** The FollowSocketError `promise` rejects with (failing the test if it fulfils), checked for `code`. */
const rejection = async (promise: Promise<unknown>, code: ErrorCode): Promise<FollowSocketError> => {
  const outcome = await promise.then(
    (value) => ({ fulfilled: value }),
    (error: unknown) => ({ error }),
  )
  if (!('error' in outcome))
    throw new Error(`expected ${code}, but resolve() fulfilled with ${JSON.stringify(outcome.fulfilled)}`)
  expect(outcome.error).toBeInstanceOf(FollowSocketError)
  expect(outcome.error).toMatchObject({ code })
  return outcome.error as FollowSocketError
}

describe('resolve(): discovery walks the chain hop by hop', () => {
  it('follows 301, 302, 303, 307 and 308 one hop at a time and reports each status, in ws: form', async () => {
    lab.endpoint('/walk/live')
    lab.redirect('/walk/a', lab.ws('/walk/b'), { status: 301 })
    lab.redirect('/walk/b', lab.ws('/walk/c'), { status: 302 })
    lab.redirect('/walk/c', lab.ws('/walk/d'), { status: 303 })
    lab.redirect('/walk/d', lab.ws('/walk/e'), { status: 307 })
    lab.redirect('/walk/e', lab.ws('/walk/live'), { status: 308 })

    const resolution = await resolve(lab.ws('/walk/a'))

    expect(resolution).toEqual({
      url: lab.ws('/walk/live'),
      redirected: true,
      via: 'preflight',
      hops: [
        { from: lab.ws('/walk/a'), to: lab.ws('/walk/b'), status: 301 },
        { from: lab.ws('/walk/b'), to: lab.ws('/walk/c'), status: 302 },
        { from: lab.ws('/walk/c'), to: lab.ws('/walk/d'), status: 303 },
        { from: lab.ws('/walk/d'), to: lab.ws('/walk/e'), status: 307 },
        { from: lab.ws('/walk/e'), to: lab.ws('/walk/live'), status: 308 },
      ],
      // What the endpoint's own GET answered (a WebSocket endpoint: 426 Upgrade Required).
      status: 426,
    })
    // One plain GET per hop and one at the end; discovery never opens a socket.
    for (const path of ['/walk/a', '/walk/b', '/walk/c', '/walk/d', '/walk/e', '/walk/live'])
      expect(lab.count(path, 'get')).toBe(1)
    expect(lab.requests.filter((r) => r.kind !== 'get')).toEqual([])
  })

  it('resolves an endpoint that does not redirect to itself: redirected false, no hops', async () => {
    lab.endpoint('/direct/live')
    expect(await resolve(lab.ws('/direct/live'))).toEqual({
      url: lab.ws('/direct/live'),
      redirected: false,
      hops: [],
      via: 'preflight',
      status: 426,
    })
    expect(lab.count('/direct/live', 'get')).toBe(1)
  })

  it('takes an http: URL and answers in the ws: form', async () => {
    lab.endpoint('/http-form/live')
    lab.redirect('/http-form/old', lab.ws('/http-form/live'))
    const resolution = await resolve(lab.http('/http-form/old'))
    expect(resolution.url).toBe(lab.ws('/http-form/live'))
    expect(resolution.hops).toEqual([{ from: lab.ws('/http-form/old'), to: lab.ws('/http-form/live'), status: 308 }])
  })
})

describe('resolve(): Location headers', () => {
  it('resolves an absolute-path Location (/v2/live) against the hop that sent it', async () => {
    lab.endpoint('/v2/live')
    sendLocation(lab, '/v1/relative-live', '/v2/live', 308)
    const resolution = await resolve(lab.ws('/v1/relative-live'))
    expect(resolution.url).toBe(lab.ws('/v2/live'))
    expect(resolution.hops).toEqual([{ from: lab.ws('/v1/relative-live'), to: lab.ws('/v2/live'), status: 308 }])
    expect(lab.count('/v2/live', 'get')).toBe(1)
  })

  it("resolves a dot-segment Location (../x) against the hop's URL, not the requested one", async () => {
    lab.endpoint('/dots/sub/x')
    sendLocation(lab, '/dots/start', '/dots/sub/dir/next', 307)
    sendLocation(lab, '/dots/sub/dir/next', '../x', 307)
    // Against the requested URL, ../x would be /x; against the second hop's URL it is /dots/sub/x.
    const resolution = await resolve(lab.ws('/dots/start'))
    expect(resolution.url).toBe(lab.ws('/dots/sub/x'))
    expect(resolution.hops.map((h) => h.to)).toEqual([lab.ws('/dots/sub/dir/next'), lab.ws('/dots/sub/x')])
    expect(lab.count('/dots/sub/x', 'get')).toBe(1)
    expect(lab.count('/x')).toBe(0)
  })

  it('requests a ws: Location as its http: twin', async () => {
    lab.endpoint('/ws-location/live')
    sendLocation(lab, '/ws-location/old', lab.ws('/ws-location/live'), 308)
    const resolution = await resolve(lab.ws('/ws-location/old'))
    expect(resolution.url).toBe(lab.ws('/ws-location/live'))
    expect(lab.count('/ws-location/live', 'get')).toBe(1)
    expect(lab.count('/ws-location/live', 'upgrade')).toBe(0)
  })
})

describe('resolve(): the policy is checked before each hop is requested', () => {
  it('refuses a chain that comes back to a URL it visited (a → b → a) with REDIRECT_LOOP', async () => {
    lab.redirect('/loop/a', lab.ws('/loop/b'))
    lab.redirect('/loop/b', lab.ws('/loop/a'))
    const error = await rejection(resolve(lab.ws('/loop/a')), 'REDIRECT_LOOP')
    expect(error.url).toMatch(/\/loop\/a$/)
    // /loop/a was requested once, as the start; the hop back to it never was.
    expect(lab.count('/loop/a')).toBe(1)
    expect(lab.count('/loop/b')).toBe(1)
  })

  it('refuses the hop after maxRedirects with TOO_MANY_REDIRECTS, without requesting it', async () => {
    lab.endpoint('/many/3')
    lab.redirect('/many/0', lab.ws('/many/1'))
    lab.redirect('/many/1', lab.ws('/many/2'))
    lab.redirect('/many/2', lab.ws('/many/3'))
    const error = await rejection(resolve(lab.ws('/many/0'), { maxRedirects: 2 }), 'TOO_MANY_REDIRECTS')
    expect(error.message).toMatch(/maxRedirects/)
    expect(lab.count('/many/2')).toBe(1)
    expect(lab.count('/many/3')).toBe(0)
  })

  it('follows a chain of exactly maxRedirects hops', async () => {
    lab.endpoint('/enough/2')
    lab.redirect('/enough/0', lab.ws('/enough/1'))
    lab.redirect('/enough/1', lab.ws('/enough/2'))
    const resolution = await resolve(lab.ws('/enough/0'), { maxRedirects: 2 })
    expect(resolution.url).toBe(lab.ws('/enough/2'))
    expect(resolution.hops).toHaveLength(2)
  })

  it('with maxRedirects: 0 follows no redirect at all', async () => {
    lab.endpoint('/none/live')
    lab.redirect('/none/old', lab.ws('/none/live'))
    await rejection(resolve(lab.ws('/none/old'), { maxRedirects: 0 }), 'TOO_MANY_REDIRECTS')
    expect(lab.count('/none/live')).toBe(0)
    expect(await resolve(lab.ws('/none/live'), { maxRedirects: 0 })).toMatchObject({
      url: lab.ws('/none/live'),
      redirected: false,
    })
  })

  it.each([
    ['javascript:', 'javascript:alert(1)'],
    ['data:', 'data:text/plain,hello'],
    ['file:', 'file:///etc/passwd'],
  ])('refuses a %s Location with REDIRECT_NOT_ALLOWED', async (scheme, location) => {
    const path = `/scheme/${scheme.slice(0, -1)}`
    sendLocation(lab, path, location)
    const error = await rejection(resolve(lab.ws(path)), 'REDIRECT_NOT_ALLOWED')
    expect(error.message).toContain(scheme)
    expect(lab.requests).toHaveLength(1)
  })

  it('refuses a target with user-info (user:pass@) with REDIRECT_NOT_ALLOWED, without requesting it', async () => {
    lab.endpoint('/userinfo/live')
    sendLocation(lab, '/userinfo/old', `http://user:pass@127.0.0.1:${lab.port}/userinfo/live`)
    await rejection(resolve(lab.ws('/userinfo/old')), 'REDIRECT_NOT_ALLOWED')
    expect(lab.count('/userinfo/live')).toBe(0)
  })

  it('refuses an origin outside allowedOrigins with REDIRECT_NOT_ALLOWED; that origin hears nothing', async () => {
    const elsewhere = await open()
    elsewhere.endpoint('/live')
    lab.redirect('/away/old', elsewhere.ws('/live'))
    const error = await rejection(
      resolve(lab.ws('/away/old'), { allowedOrigins: [lab.origin] }),
      'REDIRECT_NOT_ALLOWED',
    )
    expect(error.message).toMatch(/allowedOrigins/)
    expect(elsewhere.requests).toEqual([])
  })

  it('follows a redirect to an origin on allowedOrigins', async () => {
    const elsewhere = await open()
    elsewhere.endpoint('/live')
    lab.redirect('/listed/old', elsewhere.ws('/live'))
    const resolution = await resolve(lab.ws('/listed/old'), { allowedOrigins: [lab.origin, elsewhere.origin] })
    expect(resolution.url).toBe(elsewhere.ws('/live'))
    expect(elsewhere.count('/live', 'get')).toBe(1)
  })

  it('reads a * in an allowedOrigins host as a wildcard: http://*:PORT admits any host on that port', async () => {
    const elsewhere = await open()
    elsewhere.endpoint('/live')
    // Two host names for the same server: 127.0.0.1 and localhost.
    lab.redirect('/wild/by-ip', `http://127.0.0.1:${elsewhere.port}/live`)
    lab.redirect('/wild/by-name', `http://localhost:${elsewhere.port}/live`)
    const allowedOrigins = [`http://*:${elsewhere.port}`]
    expect((await resolve(lab.ws('/wild/by-ip'), { allowedOrigins })).url).toBe(`ws://127.0.0.1:${elsewhere.port}/live`)
    expect((await resolve(lab.ws('/wild/by-name'), { allowedOrigins })).url).toBe(
      `ws://localhost:${elsewhere.port}/live`,
    )
    expect(elsewhere.count('/live', 'get')).toBe(2)
  })

  it('keeps a wildcard to the host: the scheme and port of the entry still have to match', async () => {
    const elsewhere = await open()
    const third = await open()
    elsewhere.endpoint('/live')
    third.endpoint('/live')
    lab.redirect('/wild/other-port', third.ws('/live'))
    lab.redirect('/wild/other-scheme', elsewhere.ws('/live'))
    await rejection(
      resolve(lab.ws('/wild/other-port'), { allowedOrigins: [`http://*:${elsewhere.port}`] }),
      'REDIRECT_NOT_ALLOWED',
    )
    await rejection(
      resolve(lab.ws('/wild/other-scheme'), { allowedOrigins: [`https://*:${elsewhere.port}`] }),
      'REDIRECT_NOT_ALLOWED',
    )
    expect(third.requests).toEqual([])
    expect(elsewhere.requests).toEqual([])
  })

  it('reads a * as one host label: http://127.0.0.*:PORT admits 127.0.0.1 but not localhost', async () => {
    const elsewhere = await open()
    elsewhere.endpoint('/live')
    lab.redirect('/label/by-ip', `http://127.0.0.1:${elsewhere.port}/live`)
    lab.redirect('/label/by-name', `http://localhost:${elsewhere.port}/live`)
    const allowedOrigins = [`http://127.0.0.*:${elsewhere.port}`]
    expect((await resolve(lab.ws('/label/by-ip'), { allowedOrigins })).url).toBe(elsewhere.ws('/live'))
    await rejection(resolve(lab.ws('/label/by-name'), { allowedOrigins }), 'REDIRECT_NOT_ALLOWED')
    expect(elsewhere.count('/live')).toBe(1)
  })

  it('accepts https://*.example.com entries and refuses an origin they do not cover', async () => {
    const elsewhere = await open()
    elsewhere.endpoint('/live')
    lab.redirect('/example/old', elsewhere.ws('/live'))
    await rejection(
      resolve(lab.ws('/example/old'), { allowedOrigins: ['https://*.example.com', 'wss://live.example.com:8443'] }),
      'REDIRECT_NOT_ALLOWED',
    )
    expect(elsewhere.requests).toEqual([])
  })

  it('treats ws:/http: (and wss:/https:) forms of an allowedOrigins entry as the same origin', async () => {
    const elsewhere = await open()
    elsewhere.endpoint('/live')
    lab.redirect('/forms/http-location', elsewhere.ws('/live')) // the GET's Location is http:
    sendLocation(lab, '/forms/ws-location', elsewhere.ws('/live')) // a raw ws: Location
    lab.redirect('/forms/secure-entry', elsewhere.ws('/live'))

    const wsEntry = { allowedOrigins: [`ws://127.0.0.1:${elsewhere.port}`] }
    expect((await resolve(lab.ws('/forms/http-location'), wsEntry)).url).toBe(elsewhere.ws('/live'))
    const httpEntry = { allowedOrigins: [`http://127.0.0.1:${elsewhere.port}`] }
    expect((await resolve(lab.ws('/forms/ws-location'), httpEntry)).url).toBe(elsewhere.ws('/live'))
    expect(elsewhere.count('/live', 'get')).toBe(2)
    // wss: is the twin of https:, not of http:.
    const wssEntry = { allowedOrigins: [`wss://127.0.0.1:${elsewhere.port}`] }
    await rejection(resolve(lab.ws('/forms/secure-entry'), wssEntry), 'REDIRECT_NOT_ALLOWED')
    expect(elsewhere.count('/live', 'get')).toBe(2)
  })
})

describe('resolve(): secure → insecure hops (https lab)', () => {
  // A throw-away self-signed certificate for 127.0.0.1, made per run.
  //
  // Trusting it: Node 20's global fetch has no per-call CA option (that needs an undici
  // Agent as `dispatcher`, and undici is not a dependency), and NODE_EXTRA_CA_CERTS is read
  // only at process start-up. NODE_TLS_REJECT_UNAUTHORIZED, however, is read on every new TLS
  // connection, so it is set to '0' for this block only and restored afterwards. Vitest runs
  // each test file in its own worker, so no other file's connections are affected.
  let tls: { key: string; cert: string }
  let dir: string
  let previous: string | undefined
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'followsocket-tls-'))
    const key = join(dir, 'key.pem')
    const cert = join(dir, 'cert.pem')
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-days',
        '1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    )
    tls = { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') }
    previous = process.env.NODE_TLS_REJECT_UNAUTHORIZED
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'
  })
  afterAll(() => {
    if (previous === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED
    else process.env.NODE_TLS_REJECT_UNAUTHORIZED = previous
    rmSync(dir, { recursive: true, force: true })
  })

  it('refuses a redirect from https to an http: Location with INSECURE_REDIRECT; the http server hears nothing', async () => {
    const secure = await open({ tls })
    lab.endpoint('/live')
    secure.redirect('/down/http', lab.ws('/live')) // the GET's Location is http:
    await rejection(resolve(secure.ws('/down/http')), 'INSECURE_REDIRECT')
    expect(secure.count('/down/http', 'get')).toBe(1)
    expect(lab.requests).toEqual([])
  })

  it('refuses a redirect from https to a ws: Location with INSECURE_REDIRECT; the ws server hears nothing', async () => {
    const secure = await open({ tls })
    lab.endpoint('/live')
    sendLocation(secure, '/down/ws', lab.ws('/live'), 308)
    await rejection(resolve(secure.ws('/down/ws')), 'INSECURE_REDIRECT')
    expect(lab.requests).toEqual([])
  })

  it('follows the downgrade with allowInsecure: true', async () => {
    const secure = await open({ tls })
    lab.endpoint('/live')
    secure.redirect('/down/allowed', lab.ws('/live'))
    const resolution = await resolve(secure.ws('/down/allowed'), { allowInsecure: true })
    expect(resolution).toEqual({
      url: lab.ws('/live'),
      redirected: true,
      via: 'preflight',
      hops: [{ from: secure.ws('/down/allowed'), to: lab.ws('/live'), status: 308 }],
      status: 426,
    })
    expect(lab.count('/live', 'get')).toBe(1)
  })

  it('follows a secure → secure hop (a wss: Location, requested as https:) without allowInsecure', async () => {
    const secure = await open({ tls })
    secure.endpoint('/secure/live')
    sendLocation(secure, '/secure/old', secure.ws('/secure/live'), 308)
    const resolution = await resolve(secure.ws('/secure/old'))
    expect(resolution.url).toBe(secure.ws('/secure/live'))
    expect(resolution.url).toMatch(/^wss:/)
    expect(secure.count('/secure/live', 'get')).toBe(1)
  })
})

describe('resolve(): the cache', () => {
  it("answers a second resolve() of the same URL from the cache (via: 'cache') without a request", async () => {
    lab.endpoint('/cache/live')
    lab.redirect('/cache/old', lab.ws('/cache/live'))
    const first = await resolve(lab.ws('/cache/old'))
    const requests = lab.requests.length
    const second = await resolve(lab.ws('/cache/old'))
    expect(first.via).toBe('preflight')
    // The cache keeps where the endpoint is, not what it last answered: no status.
    const { status, ...where } = first
    expect(status).toBe(426)
    expect(second).toEqual({ ...where, via: 'cache' })
    expect(lab.requests.length).toBe(requests)
  })

  it('does not hand a cached resolution to a caller whose allowedOrigins refuse it', async () => {
    const elsewhere = await open()
    elsewhere.endpoint('/live')
    lab.redirect('/cache/policy', elsewhere.ws('/live'))
    // A caller that admits any origin finds (and caches) the move to the other origin…
    expect((await resolve(lab.ws('/cache/policy'))).url).toBe(elsewhere.ws('/live'))
    // …which a caller limited to this origin must not be sent to, cache or no cache.
    await rejection(resolve(lab.ws('/cache/policy'), { allowedOrigins: [lab.origin] }), 'REDIRECT_NOT_ALLOWED')
  })

  it('checks a remembered location as one step to where it leads: the hops between are not asked again', async () => {
    const elsewhere = await open()
    elsewhere.redirect('/cache/through', lab.ws('/cache/through/live'))
    lab.endpoint('/cache/through/live')
    lab.redirect('/cache/through', elsewhere.ws('/cache/through'))
    // A caller that admits any origin walks the chain through the other origin, and caches it…
    const found = await resolve(lab.ws('/cache/through'))
    expect(found).toMatchObject({ url: lab.ws('/cache/through/live'), via: 'preflight' })
    expect(found.hops).toHaveLength(2)
    // …and a caller limited to this origin, which could not walk it, is given where it ends: a
    // socket there asks none of the hops between.
    expect(await resolve(lab.ws('/cache/through'), { allowedOrigins: [lab.origin] })).toMatchObject({
      url: lab.ws('/cache/through/live'),
      via: 'cache',
    })
    await rejection(
      resolve(lab.ws('/cache/through'), { allowedOrigins: [lab.origin], cache: false }),
      'REDIRECT_NOT_ALLOWED',
    )
  })

  it('with cache: false always preflights, and keeps nothing for later', async () => {
    lab.endpoint('/no-cache/live')
    lab.redirect('/no-cache/old', lab.ws('/no-cache/live'))
    expect((await resolve(lab.ws('/no-cache/old'), { cache: false })).via).toBe('preflight')
    expect((await resolve(lab.ws('/no-cache/old'), { cache: false })).via).toBe('preflight')
    expect(lab.count('/no-cache/old', 'get')).toBe(2)
    // Nothing was kept, so the default cache has no entry either…
    expect((await resolve(lab.ws('/no-cache/old'))).via).toBe('preflight')
    // …and now that it has one, cache: false still does not read it.
    expect((await resolve(lab.ws('/no-cache/old'), { cache: false })).via).toBe('preflight')
    expect(lab.count('/no-cache/old', 'get')).toBe(4)
  })

  it('with cacheTtlMs: 0 a resolution expires at once', async () => {
    lab.endpoint('/ttl-zero/live')
    lab.redirect('/ttl-zero/old', lab.ws('/ttl-zero/live'))
    expect((await resolve(lab.ws('/ttl-zero/old'), { cacheTtlMs: 0 })).via).toBe('preflight')
    expect((await resolve(lab.ws('/ttl-zero/old'), { cacheTtlMs: 0 })).via).toBe('preflight')
    expect(lab.count('/ttl-zero/old', 'get')).toBe(2)
  })

  it('keeps a resolution for cacheTtlMs and no longer', async () => {
    lab.endpoint('/ttl/live')
    lab.redirect('/ttl/old', lab.ws('/ttl/live'))
    const start = Date.now()
    // Only Date is faked, so the clock can jump past the TTL without a wait; fetch keeps real timers.
    vi.useFakeTimers({ toFake: ['Date'], now: start })
    try {
      expect((await resolve(lab.ws('/ttl/old'), { cacheTtlMs: 60_000 })).via).toBe('preflight')
      vi.setSystemTime(start + 59_999)
      expect((await resolve(lab.ws('/ttl/old'), { cacheTtlMs: 60_000 })).via).toBe('cache')
      vi.setSystemTime(start + 60_001)
      expect((await resolve(lab.ws('/ttl/old'), { cacheTtlMs: 60_000 })).via).toBe('preflight')
    } finally {
      vi.useRealTimers()
    }
    expect(lab.count('/ttl/old', 'get')).toBe(2)
  })
})

describe('resolve(): preflight failures', () => {
  // In Node a failed GET is the network error itself (no CORS here); a browser cannot tell the
  // two apart and says DISCOVERY_BLOCKED, naming both (test/browser/discovery.spec.ts).
  it('rejects with HANDSHAKE_FAILED when nothing listens, naming the host, without a CORS hint', async () => {
    const gone = await startLab()
    const url = gone.ws('/blocked/live')
    await gone.close()
    const error = await rejection(resolve(url), 'HANDSHAKE_FAILED')
    expect(error.url).toBe(url)
    expect(error.message).toBe(`Nothing answers at 127.0.0.1:${gone.port}: down or unreachable`)
    expect(error.cause).toBeInstanceOf(TypeError)
  })

  it('rejects with DISCOVERY_TIMEOUT after preflight.timeoutMs when the server never answers', async () => {
    lab.route('/hang', () => {}) // takes the GET and never responds
    const started = performance.now()
    const error = await rejection(resolve(lab.ws('/hang'), { preflight: { timeoutMs: 200 } }), 'DISCOVERY_TIMEOUT')
    const elapsed = performance.now() - started
    expect(elapsed).toBeGreaterThanOrEqual(190)
    expect(elapsed).toBeLessThan(4000) // the 200 ms given, not the 5000 ms default
    expect(error.url).toBe(lab.ws('/hang'))
    expect(error.message).toContain(`127.0.0.1:${lab.port}/hang`)
    expect(error.message).toMatch(/preflight\.timeoutMs/) // what to do: raise it (or check the server)
    // The client's own timer ended the wait, not an answer: the GET it sent may still be on its way in.
    await expect.poll(() => lab.count('/hang', 'get')).toBe(1)
  })
})

describe('resolve(): bad input', () => {
  it.each(['ftp://x', 'not a url'])('rejects %j with INVALID_URL', async (url) => {
    const error = await rejection(resolve(url), 'INVALID_URL')
    expect(error.message).toContain(url)
  })

  it('rejects maxRedirects: -1 with INVALID_OPTIONS naming maxRedirects, before any request', async () => {
    lab.endpoint('/options/live')
    const error = await rejection(resolve(lab.ws('/options/live'), { maxRedirects: -1 }), 'INVALID_OPTIONS')
    expect(error.message).toMatch(/maxRedirects/)
    expect(lab.requests).toEqual([])
  })

  it('rejects an unknown option with INVALID_OPTIONS naming it, before any request', async () => {
    lab.endpoint('/options/live')
    const error = await rejection(resolve(lab.ws('/options/live'), { maxRedirect: 3 } as never), 'INVALID_OPTIONS')
    expect(error.message).toMatch(/maxRedirect\b/)
    expect(lab.requests).toEqual([])
  })
})
