// "Come back later" (docs/diagnosis.md#retry-after): createComeBackLater answers the GET and
// the upgrade of an endpoint with 503 (or 429), Retry-After, and the CORS headers a cross-origin
// page needs to read it, Access-Control-Expose-Headers: Retry-After included. Both forms are
// served for real: the Node form from node:http, the Fetch form from @hono/node-server (which
// hands the app upgrades too); the answers are read off the wire, the upgrade's raw.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServer, type Server } from 'node:http'
import { createAdaptorServer } from '@hono/node-server'
import { WebSocketServer } from 'ws'
import { createComeBackLater, FollowSocketConfigError, type ComeBackLater, type ComeBackLaterOptions } from '../src'
import { get, upgrade, type Answer } from './server'

const APP = 'https://app.example.com'
const OTHER = 'https://evil.example.net'
const BACK = new Date('2030-01-02T03:04:05Z')

/** Serves `later` in its Node form: `request` for requests, `upgrade` for handshakes. */
const nodeForm = (later: ComeBackLater) => {
  const server = createServer((req, res) => later.request(req, res))
  server.on('upgrade', (req, socket, head) => later.upgrade(req, socket, head))
  return server
}
/** Serves `later` in its Fetch form: every request, handshakes included, goes to `fetch`. */
const fetchForm = (later: ComeBackLater) =>
  createAdaptorServer({ fetch: later.fetch, websocket: { server: new WebSocketServer({ noServer: true }) } }) as Server

const listen = async (server: Server) => {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  return `127.0.0.1:${(server.address() as { port: number }).port}`
}

for (const [form, serve] of [
  ['Node', nodeForm],
  ['Fetch', fetchForm],
] as const) {
  describe(`createComeBackLater, ${form} form`, () => {
    const servers: Server[] = []
    const hosts: Record<string, string> = {}
    const start = async (name: string, options: ComeBackLaterOptions) => {
      const server = serve(createComeBackLater(options))
      servers.push(server)
      hosts[name] = await listen(server)
    }
    beforeAll(async () => {
      await start('seconds', { retryAfter: 30, origins: [APP] })
      await start('date', { retryAfter: BACK, origins: [APP], credentials: true })
      await start('any', { retryAfter: 5, origins: '*', status: 429 })
    })
    afterAll(() =>
      Promise.all(
        servers.map(
          (s) =>
            new Promise((done) => {
              s.closeAllConnections()
              s.close(done)
            }),
        ),
      ),
    )

    const both = async (name: string, origin: string): Promise<[string, Answer][]> => [
      ['GET', await get(`http://${hosts[name]}/live`, { origin })],
      ['upgrade', await upgrade(`ws://${hosts[name]}/live`, { origin })],
    ]

    it('answers the GET and the upgrade 503 with Retry-After in seconds, readable by an admitted origin', async () => {
      for (const [request, answer] of await both('seconds', APP)) {
        expect(answer.status, request).toBe(503)
        expect(answer.headers['retry-after'], request).toBe('30')
        expect(answer.headers['access-control-allow-origin'], request).toBe(APP)
        expect(answer.headers['access-control-expose-headers'], request).toBe('Retry-After')
        expect(answer.headers.vary, request).toBe('Origin')
        expect(answer.headers['cache-control'], request).toBe('no-store')
      }
    })

    it('gives an origin not admitted the same 503 and Retry-After, without CORS headers', async () => {
      for (const [request, answer] of await both('seconds', OTHER)) {
        expect(answer.status, request).toBe(503)
        expect(answer.headers['retry-after'], request).toBe('30')
        expect(answer.headers['access-control-allow-origin'], request).toBeUndefined()
        expect(answer.headers['access-control-expose-headers'], request).toBeUndefined()
      }
    })

    it('sends a Date as an HTTP date, with credentials echoing the origin', async () => {
      for (const [request, answer] of await both('date', APP)) {
        expect(answer.headers['retry-after'], request).toBe('Wed, 02 Jan 2030 03:04:05 GMT')
        expect(answer.headers['access-control-allow-origin'], request).toBe(APP)
        expect(answer.headers['access-control-allow-credentials'], request).toBe('true')
      }
    })

    it("answers 429 when asked, and '*' to any origin", async () => {
      for (const [request, answer] of await both('any', OTHER)) {
        expect(answer.status, request).toBe(429)
        expect(answer.headers['retry-after'], request).toBe('5')
        expect(answer.headers['access-control-allow-origin'], request).toBe('*')
        expect(answer.headers['access-control-expose-headers'], request).toBe('Retry-After')
      }
    })
  })
}

describe('createComeBackLater() refuses, naming the field', () => {
  const refusal = (options: unknown) => {
    try {
      createComeBackLater(options as ComeBackLaterOptions)
    } catch (error) {
      expect(error).toBeInstanceOf(FollowSocketConfigError)
      return error as FollowSocketConfigError
    }
    throw new Error(`createComeBackLater(${JSON.stringify(options)}) did not throw`)
  }

  it('a missing, negative, fractional or non-numeric retryAfter, or an invalid Date', () => {
    for (const retryAfter of [undefined, -1, 1.5, '30', new Date('never')]) {
      const error = refusal({ retryAfter })
      expect(error.field).toBe('retryAfter')
      expect(error.message).toContain('must be whole seconds (0 or more) or a Date')
    }
  })

  it('a status other than 503 or 429', () => {
    expect(refusal({ retryAfter: 1, status: 500 }).message).toBe(
      'status: 500 is not a "come back later" status: use 503 or 429',
    )
  })

  it('a malformed origin, credentials with "*", an unknown option', () => {
    expect(refusal({ retryAfter: 1, origins: ['https://app.example.com/'] }).field).toBe('origins[0]')
    expect(refusal({ retryAfter: 1, origins: '*', credentials: true }).field).toBe('credentials')
    const typo = refusal({ retryAfter: 1, origin: [APP] })
    expect(typo.field).toBe('origin')
    expect(typo.message).toBe('origin: is not an option: use retryAfter, status, origins, credentials')
  })
})
