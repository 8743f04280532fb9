// The README's quick start (issue 19): it says a page on another origin connects through its
// redirect, so check exactly that, with the CORS headers a cross-origin preflight needs on both
// the redirect and the endpoint's own GET, with the project's own doctor, and with a client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { connect, type WebSocketConstructor } from 'followsocket'
import { doctor } from '../../core/test/doctor/support'
import { get } from './server'
import { startQuickStart, type QuickStart } from './quickstart'

const PAGE = 'https://app.example.com'
let site: QuickStart

beforeAll(async () => {
  site = await startQuickStart()
}, 15000)
afterAll(() => site?.stop())

describe("the server README's quick start", () => {
  it('redirects the GET of /v1/live with 308, an http: Location and Access-Control-Allow-Origin', async () => {
    const answer = await get(site.http('/v1/live'), { origin: PAGE })
    expect(answer.status).toBe(308)
    expect(answer.headers.location).toBe(site.http('/v2/live'))
    expect(answer.headers['access-control-allow-origin']).toBe('*')
  })

  it("lets a page on another origin read the endpoint's own GET too (where the preflight ends)", async () => {
    const answer = await get(site.http('/v2/live'), { origin: PAGE })
    expect(answer.status).toBe(426)
    expect(answer.headers['access-control-allow-origin']).toBe('*')
    expect(answer.headers.vary).toBe('Origin')
  })

  it(`passes followsocket doctor --origin ${PAGE}: exit 0, a browser connects`, async () => {
    const run = await doctor('doctor', site.ws('/v1/live'), '--origin', PAGE)
    expect(run.stdout, run.stdout).toContain(`A browser page at ${PAGE} connects after 1 preflight`)
    expect(run.code).toBe(0)
  })

  it('opens a followsocket client at /v2/live', async () => {
    const c = connect(site.ws('/v1/live'), {
      WebSocket: WebSocket as unknown as WebSocketConstructor,
      cache: false,
      reconnect: false,
    })
    const opened = await new Promise<string>((done, fail) => {
      c.on('open', ({ url }) => done(url))
      c.on('error', fail)
    })
    c.close()
    expect(opened).toBe(site.ws('/v2/live'))
  })
})
