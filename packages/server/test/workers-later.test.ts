// createComeBackLater().fetch in a Worker under workerd (docs/workers.md#the-recipe-under-workerd):
// the README's recipe with its MAINTENANCE variable "on" answers the GET and the upgrade of a room
// 503 with Retry-After, CORS and Access-Control-Expose-Headers, and a followsocket client in Node
// reads it and waits as asked; a Worker of its own answers 429 with an HTTP-date.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect } from 'followsocket'
import { next, NodeWebSocket } from './clients'
import { get, upgrade } from './server'
import { bundleWorker } from './workers/bundle'
import { startWorker, type RunningWorker } from './workers/miniflare'
import { RECIPE_WORKER, RECIPE_WRANGLER } from './workers/recipe'

const PAGE = 'https://app.example.com'
const BACK = new Date('2030-01-02T03:04:05Z')
const TOO_MANY = `
import { createComeBackLater } from '@followsocket/server'
const later = createComeBackLater({ retryAfter: new Date(${BACK.getTime()}), status: 429, origins: '*' })
export default { fetch: (request) => later.fetch(request) }
`
let maintenance: RunningWorker
let tooMany: RunningWorker

beforeAll(async () => {
  const [recipe, own] = await Promise.all([
    bundleWorker({ contents: RECIPE_WORKER }),
    bundleWorker({ contents: TOO_MANY }),
  ])
  expect([...recipe.nodeImports, ...own.nodeImports]).toEqual([])
  maintenance = await startWorker(recipe.code, RECIPE_WRANGLER, { MAINTENANCE: 'on' })
  tooMany = await startWorker(own.code, {
    name: 'too-many',
    main: 'index.js',
    compatibility_date: RECIPE_WRANGLER.compatibility_date,
  })
}, 30000)
afterAll(() => Promise.all([maintenance?.stop(), tooMany?.stop()]))

describe('createComeBackLater in a Worker under workerd', () => {
  it("answers the recipe's room, GET and upgrade alike, 503 with Retry-After, CORS for the page and Retry-After exposed to it", async () => {
    for (const answer of [
      await get(maintenance.http('/rooms/lobby'), { origin: PAGE }),
      await upgrade(maintenance.ws('/rooms/lobby'), { origin: PAGE }, { untilEnd: false }),
    ]) {
      expect(answer.status).toBe(503)
      expect(answer.headers['retry-after']).toBe('30')
      expect(answer.headers['cache-control']).toBe('no-store')
      expect(answer.headers['access-control-allow-origin']).toBe(PAGE)
      expect(answer.headers['access-control-expose-headers']).toBe('Retry-After')
      expect(answer.headers.vary).toBe('Origin')
    }
  })

  it('gives a page not admitted the same 503 and Retry-After, without CORS headers', async () => {
    const answer = await get(maintenance.http('/rooms/lobby'), { origin: 'https://elsewhere.example' })
    expect(answer.status).toBe(503)
    expect(answer.headers['retry-after']).toBe('30')
    expect(answer.headers['access-control-allow-origin']).toBeUndefined()
    expect(answer.headers['access-control-expose-headers']).toBeUndefined()
  })

  it('answers 429 with an HTTP-date, to any origin, from a Worker of its own', async () => {
    for (const answer of [
      await get(tooMany.http('/live'), { origin: PAGE }),
      await upgrade(tooMany.ws('/live'), { origin: PAGE }, { untilEnd: false }),
    ]) {
      expect(answer.status).toBe(429)
      expect(answer.headers['retry-after']).toBe('Wed, 02 Jan 2030 03:04:05 GMT')
      expect(answer.headers['access-control-allow-origin']).toBe('*')
      expect(answer.headers['access-control-expose-headers']).toBe('Retry-After')
    }
  })

  it('a followsocket client in Node, redirected into the room under maintenance, reads the 503 and waits the 30 s it asks (plus its back-off)', async () => {
    const c = connect(maintenance.ws('/v1/live'), { WebSocket: NodeWebSocket, cache: false })
    try {
      const [error, reconnecting] = await Promise.all([next(c, 'error'), next(c, 'reconnecting')])
      expect(error).toMatchObject({ code: 'HANDSHAKE_FAILED', status: 503, retryAfterMs: 30000 })
      expect(reconnecting.delayMs).toBeGreaterThanOrEqual(30000)
    } finally {
      c.close()
    }
  })
})
