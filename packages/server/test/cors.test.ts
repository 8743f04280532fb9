// CORS on the preflight's redirect (docs/discovery.md#what-browsers-can-and-cannot-see): a page on
// another origin can read where the redirect went only when the response admits its Origin. An
// origin not admitted still gets the redirect, just without Access-Control-Allow-Origin.
import { afterEach, describe, expect, it } from 'vitest'
import { createRedirects, type RedirectOptions } from '../src'
import { get, startServer, type TestServer } from './server'

const servers: TestServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

const APP = 'https://app.example.com'
const TARGET = 'wss://live2.example.com/v2/live'

/** The headers of the GET of /v1/live sent with `origin` (none when undefined) under `options`. */
const preflight = async (options: Omit<RedirectOptions, 'rules'>, origin?: string) => {
  const server = await startServer(createRedirects({ rules: { '/v1/live': TARGET }, ...options }))
  servers.push(server)
  const answer = await get(server.http('/v1/live'), origin === undefined ? {} : { origin })
  expect(answer.status).toBe(308)
  expect(answer.headers.location).toBe('https://live2.example.com/v2/live')
  expect(answer.headers.vary).toBe('Origin')
  return answer.headers
}

describe('Access-Control-Allow-Origin per the origins list', () => {
  it('echoes a listed origin, with Vary: Origin and no credentials header', async () => {
    const headers = await preflight({ origins: ['https://other.example.com', APP] }, APP)
    expect(headers['access-control-allow-origin']).toBe(APP)
    expect(headers['access-control-allow-credentials']).toBeUndefined()
  })

  it('still redirects an origin not on the list, without Access-Control-Allow-Origin', async () => {
    const headers = await preflight({ origins: [APP] }, 'https://evil.example.net')
    expect(headers['access-control-allow-origin']).toBeUndefined()
  })

  it('admits no cross-origin page by default', async () => {
    expect((await preflight({}, APP))['access-control-allow-origin']).toBeUndefined()
  })

  it('sends no Access-Control-Allow-Origin to a request without an Origin (same-origin page, non-browser client)', async () => {
    expect((await preflight({ origins: [APP] }))['access-control-allow-origin']).toBeUndefined()
  })
})

describe("'null' and '*'", () => {
  it("admits Origin: null when the list holds 'null', and only then", async () => {
    expect((await preflight({ origins: [APP, 'null'] }, 'null'))['access-control-allow-origin']).toBe('null')
    expect((await preflight({ origins: [APP] }, 'null'))['access-control-allow-origin']).toBeUndefined()
  })

  it("answers '*' to any origin, 'null' included, when origins is '*'", async () => {
    expect((await preflight({ origins: '*' }, APP))['access-control-allow-origin']).toBe('*')
    expect((await preflight({ origins: '*' }, 'null'))['access-control-allow-origin']).toBe('*')
  })
})

describe('origins as a function', () => {
  // A dev server takes whatever port is free: no list names it in advance.
  const local = (origin: string) => /^http:\/\/(localhost|127\.0\.0\.1):\d+$/.test(origin)

  it('echoes an origin the function admits, whatever its port, and no other', async () => {
    expect((await preflight({ origins: local }, 'http://localhost:5176'))['access-control-allow-origin']).toBe(
      'http://localhost:5176',
    )
    expect((await preflight({ origins: local }, 'http://127.0.0.1:41234'))['access-control-allow-origin']).toBe(
      'http://127.0.0.1:41234',
    )
    expect((await preflight({ origins: local }, APP))['access-control-allow-origin']).toBeUndefined()
  })

  it("is asked about 'null' like any other origin, and echoes it with credentials", async () => {
    const headers = await preflight({ origins: (origin) => origin === 'null', credentials: true }, 'null')
    expect(headers['access-control-allow-origin']).toBe('null')
    expect(headers['access-control-allow-credentials']).toBe('true')
  })
})

describe('credentials', () => {
  it('sends Access-Control-Allow-Credentials: true and echoes the admitted origin', async () => {
    const headers = await preflight({ origins: [APP], credentials: true }, APP)
    expect(headers['access-control-allow-origin']).toBe(APP)
    expect(headers['access-control-allow-credentials']).toBe('true')
  })

  it('sends neither header to an origin not admitted', async () => {
    const headers = await preflight({ origins: [APP], credentials: true }, 'https://evil.example.net')
    expect(headers['access-control-allow-origin']).toBeUndefined()
    expect(headers['access-control-allow-credentials']).toBeUndefined()
  })
})

describe("cors(req, res): the same headers on the endpoint's own answer", () => {
  const endpointWith = async (options: Omit<RedirectOptions, 'rules'>, vary?: string) => {
    const redirects = createRedirects({ rules: { '/v1/live': TARGET }, ...options })
    const server = await startServer()
    servers.push(server)
    server.app = (req, res) => {
      if (vary) res.setHeader('vary', vary)
      redirects.cors(req, res)
      res.writeHead(426, { upgrade: 'websocket' }).end()
      return true
    }
    return server
  }

  it('admits a listed origin, with credentials when asked, and Vary: Origin', async () => {
    const server = await endpointWith({ origins: [APP], credentials: true })
    const answer = await get(server.http('/v2/live'), { origin: APP })
    expect(answer.status).toBe(426)
    expect(answer.headers['access-control-allow-origin']).toBe(APP)
    expect(answer.headers['access-control-allow-credentials']).toBe('true')
    expect(answer.headers.vary).toBe('Origin')
  })

  it('adds Origin to a Vary the app set, and admits no origin that is not listed', async () => {
    const server = await endpointWith({ origins: [APP] }, 'Accept-Encoding')
    const answer = await get(server.http('/v2/live'), { origin: 'https://evil.example.net' })
    expect(answer.headers['access-control-allow-origin']).toBeUndefined()
    expect(answer.headers.vary).toBe('Accept-Encoding, Origin')
  })
})

describe("endpoint(req, res): the endpoint's own GET answered quietly", () => {
  const endpointServer = async (options: Omit<RedirectOptions, 'rules'>) => {
    const redirects = createRedirects({ rules: { '/v1/live': TARGET }, ...options })
    const server = await startServer()
    servers.push(server)
    server.app = (req, res) => redirects.endpoint(req, res)
    return server
  }

  it('answers GET and HEAD with 204 No Content and the same CORS headers as cors()', async () => {
    const server = await endpointServer({ origins: [APP] })
    for (const method of ['GET', 'HEAD']) {
      const answer = await get(server.http('/v2/live'), { origin: APP }, method)
      expect(answer.status).toBe(204)
      expect(answer.headers['access-control-allow-origin']).toBe(APP)
      expect(answer.headers.vary).toBe('Origin')
      expect(answer.headers['cache-control']).toBe('no-store')
    }
  })

  it('leaves any other method to the app: false, nothing written', async () => {
    const server = await endpointServer({ origins: '*' })
    const answer = await get(server.http('/v2/live'), {}, 'POST')
    // No app answered it: the test server's own 404 for a path with no endpoint.
    expect(answer.status).toBe(404)
  })
})
