// redirects.fetch(request) (docs/discovery.md#the-server-side): the same rules, CORS and failure
// handling as request/upgrade, answered with a Response. Real Request objects, as Node's fetch
// implementation builds them; the runtimes themselves are in runtimes.test.ts and hono.test.ts.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createRedirects } from '../src'

const TARGET = 'wss://live2.example.com/v2/live'
const APP = 'https://app.example.com'
const redirects = createRedirects({ rules: { '/v1/live': TARGET }, origins: [APP] })

const request = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
  new Request(`http://api.example.com${path}`, { method, headers })
const handshake = (path: string, headers: Record<string, string> = {}) =>
  request(path, { upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-version': '13', ...headers })

afterEach(() => vi.restoreAllMocks())

describe('redirects.fetch', () => {
  it('answers a moved GET with the status, the http(s) Location (query kept) and CORS for an admitted origin', () => {
    const answer = redirects.fetch(request('/v1/live?token=t', { origin: APP }))!
    expect(answer.status).toBe(308)
    expect(answer.headers.get('location')).toBe('https://live2.example.com/v2/live?token=t')
    expect(answer.headers.get('access-control-allow-origin')).toBe(APP)
    expect(answer.headers.get('vary')).toBe('Origin')
  })

  it('answers a moved HEAD the same way, and an origin not admitted without Access-Control-Allow-Origin', () => {
    const answer = redirects.fetch(request('/v1/live', { origin: 'https://evil.example.net' }, 'HEAD'))!
    expect(answer.status).toBe(308)
    expect(answer.headers.get('location')).toBe('https://live2.example.com/v2/live')
    expect(answer.headers.has('access-control-allow-origin')).toBe(false)
  })

  it('answers a moved WebSocket upgrade with the same status and the Location as written', () => {
    for (const value of ['websocket', 'WebSocket']) {
      const answer = redirects.fetch(handshake('/v1/live?token=t', { upgrade: value }))!
      expect(answer.status).toBe(308)
      expect(answer.headers.get('location')).toBe(`${TARGET}?token=t`)
    }
  })

  it('uses the configured status and credentials', () => {
    const strict = createRedirects({ rules: { '/v1/live': TARGET }, origins: [APP], status: 307, credentials: true })
    const answer = strict.fetch(request('/v1/live', { origin: APP }))!
    expect(answer.status).toBe(307)
    expect(answer.headers.get('access-control-allow-credentials')).toBe('true')
    expect(strict.fetch(handshake('/v1/live'))!.status).toBe(307)
  })

  it('returns undefined for a path no rule names, and for a method other than GET or HEAD', () => {
    expect(redirects.fetch(request('/v2/live'))).toBeUndefined()
    expect(redirects.fetch(handshake('/v2/live'))).toBeUndefined()
    expect(redirects.fetch(request('/v1/live', {}, 'POST'))).toBeUndefined()
  })

  it('calls a function rule with the Request, and lets it through when it returns undefined', () => {
    const seen: unknown[] = []
    const rooms = createRedirects({
      rules: (req) => {
        seen.push(req)
        const { pathname } = new URL(req.url!, 'http://x')
        return pathname.startsWith('/rooms/') ? `wss://rooms.example.com${pathname}` : undefined
      },
    })
    const moved = request('/rooms/42?token=t')
    expect(rooms.fetch(moved)!.headers.get('location')).toBe('https://rooms.example.com/rooms/42?token=t')
    expect(rooms.fetch(request('/lobby'))).toBeUndefined()
    expect(seen[0]).toBe(moved)
  })

  it('answers 500 and reports the error when a function rule throws or returns a bad target, GET and upgrade alike', () => {
    const reported: unknown[] = []
    vi.spyOn(console, 'error').mockImplementation((error) => void reported.push(error))
    const broken = createRedirects({
      rules: (req) => {
        if (req.url!.includes('throw')) throw new Error('rule broke')
        return 'ftp://files.example.com/'
      },
    })
    expect(broken.fetch(request('/throw'))!.status).toBe(500)
    expect(broken.fetch(handshake('/bad'))!.status).toBe(500)
    expect(reported).toHaveLength(2)
    expect(reported[0]).toMatchObject({ message: 'rule broke' })
    expect(reported[1]).toMatchObject({ name: 'FollowSocketConfigError', field: 'rules(req) for /bad' })
  })
})
