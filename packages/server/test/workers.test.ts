// The README's Cloudflare recipe (a Worker in front of Durable Objects, the WebSocket Hibernation
// API) under workerd, bundled as wrangler bundles it and configured by its wrangler.jsonc
// (docs/workers.md#the-recipe-under-workerd): the redirect of the old path (GET with CORS, and
// the upgrade), a followsocket client in Node that follows it into a room and talks there, and a
// move of the room's clients to another room by 4308.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { connect, type Connection } from 'followsocket'
import { closeOf, next, NodeWebSocket, openClient } from './clients'
import { get, upgrade } from './server'
import { bundleWorker } from './workers/bundle'
import { COUNTED_WORKER, countedConfig } from './workers/counted'
import { startWorker, type RunningWorker } from './workers/miniflare'
import { RECIPE_WORKER, RECIPE_WRANGLER } from './workers/recipe'

const PAGE = 'https://app.example.com'
let worker: RunningWorker
const connections: Connection[] = []

beforeAll(async () => {
  const { code, nodeImports } = await bundleWorker({ contents: COUNTED_WORKER }, { modules: { 'virtual:recipe': RECIPE_WORKER } })
  expect(nodeImports).toEqual([])
  expect(RECIPE_WRANGLER.compatibility_flags ?? []).not.toContain('nodejs_compat')
  worker = await startWorker(code, countedConfig(RECIPE_WRANGLER))
}, 30000)
afterEach(() => {
  for (const c of connections.splice(0)) c.close()
})
afterAll(() => worker?.stop())

const json = async <T>(path: string): Promise<T> => (await fetch(worker.http(path))).json() as Promise<T>
const requests = () => json<Record<string, number>>('/__test/requests')
const stats = (room: string) => json<{ accepted: number; open: number }>(`/__test/rooms/${room}/stats`)
const move = (room: string, to: string, spreadMs = 0) =>
  json<{ moved: number; closes: number[] }>(`/__test/rooms/${room}/move?to=${encodeURIComponent(to)}&spreadMs=${spreadMs}`)
const movePrompt = (room: string, to: string) => json<{ moved: number }>(`/__test/rooms/${room}/move?prompt&to=${encodeURIComponent(to)}`)

/** `count` followsocket clients in Node, each resolved once open at `url` (followed from wherever it started). */
const openClients = (url: string, count: number) =>
  Promise.all(
    Array.from({ length: count }, async () => {
      const c = connect(url, { WebSocket: NodeWebSocket, cache: false })
      connections.push(c)
      await next(c, 'open')
      return c
    }),
  )

describe("the README's Worker under workerd: redirects.fetch", () => {
  it('answers the GET of /v1/live with 308, the http: Location of the room (query kept) and CORS for the page', async () => {
    const answer = await get(worker.http('/v1/live?token=t'), { origin: PAGE })
    expect(answer.status).toBe(308)
    expect(answer.headers.location).toBe(worker.http('/rooms/lobby?token=t'))
    expect(answer.headers['access-control-allow-origin']).toBe(PAGE)
    expect(answer.headers.vary).toBe('Origin')
  })

  it('answers the upgrade of /v1/live with the same 308 and Location', async () => {
    const answer = await upgrade(worker.ws('/v1/live'), { origin: PAGE }, { untilEnd: false })
    expect(answer.status).toBe(308)
    expect(answer.headers.location).toBe(worker.http('/rooms/lobby'))
  })

  it("lets the page read the room's own GET, where its preflight ends (426 with CORS)", async () => {
    const answer = await get(worker.http('/rooms/lobby'), { origin: PAGE })
    expect(answer.status).toBe(426)
    expect(answer.headers['access-control-allow-origin']).toBe(PAGE)
    expect(answer.headers.vary).toBe('Origin')
  })

  it('a followsocket client in Node follows the 308 into the Durable Object and exchanges messages with it', async () => {
    const before = await requests()
    const { accepted } = await stats('lobby')
    const c = connect(worker.ws('/v1/live'), { WebSocket: NodeWebSocket, cache: false })
    connections.push(c)
    const redirect = next(c, 'redirect')
    expect((await next(c, 'open')).url).toBe(worker.ws('/rooms/lobby'))
    expect(await redirect).toMatchObject({ from: worker.ws('/v1/live'), to: worker.ws('/rooms/lobby'), via: 'preflight' })
    for (const text of ['hello', 'again']) {
      const reply = next(c, 'message')
      c.send(text)
      expect((await reply).data).toBe(text)
    }
    const after = await requests()
    const delta = (key: string) => (after[key] ?? 0) - (before[key] ?? 0)
    // The refused handshake starts discovery (discovery 'auto'): one upgrade and one preflight
    // GET of the old path, then one upgrade of the room, which its Durable Object accepted.
    expect({ upgradeOld: delta('upgrade /v1/live'), getOld: delta('GET /v1/live'), upgradeRoom: delta('upgrade /rooms/lobby') }).toEqual({
      upgradeOld: 1,
      getOld: 1,
      upgradeRoom: 1,
    })
    expect((await stats('lobby')).accepted - accepted).toBe(1)
  })
})


/**
 * Opens `count` followsocket clients at `from`, moves them with `moveTo(target)`, checks that each
 * followed the 4308 straight to `to` (no preflight) and talks there; resolves with when they
 * opened there, in ms after the move, as "first–last ms".
 */
async function moveAndFollow(from: string, to: string, count: number, moveTo: (target: string) => Promise<number>): Promise<string> {
  const clients = await openClients(worker.ws(from), count)
  const target = worker.ws(to)
  const before = await requests()
  const followed = clients.map((c) => Promise.all([next(c, 'close'), next(c, 'redirect'), next(c, 'open')]))
  const started = performance.now()
  expect(await moveTo(target)).toBe(count)
  const arrivals = await Promise.all(
    followed.map(async (events) => {
      const [close, redirect, open] = await events
      expect(close).toMatchObject({ code: 4308, reason: target, willReconnect: true })
      expect(redirect).toMatchObject({ to: target, via: 'close-frame' })
      expect(open.url).toBe(target)
      return performance.now() - started
    }),
  )
  const after = await requests()
  expect((after[`upgrade ${to}`] ?? 0) - (before[`upgrade ${to}`] ?? 0)).toBe(count)
  const reply = next(clients[0]!, 'message')
  clients[0]!.send('still here')
  expect((await reply).data).toBe('still here')
  return `${Math.round(Math.min(...arrivals))}–${Math.round(Math.max(...arrivals))} ms after the move`
}

describe("the README's Durable Object: closes and moves", () => {
  it("answers a client's close at once: the client sees a clean close, not a 1006 once the object sleeps", async () => {
    const client = await openClient(worker.ws('/rooms/quiet'))
    const closed = closeOf(client)
    client.close(1000, 'bye')
    expect(await closed).toMatchObject({ code: 1005 })
  })

  it('moves every client of a room to another room by 4308: each opens there, with no preflight', async () => {
    // Two clients: with more, workerd (1.20260730) often keeps the connections until `ws` ends
    // them itself, after 30 s (docs/workers.md#where-the-10-s-go).
    const COUNT = 2
    const arrivals = await moveAndFollow('/rooms/north', '/rooms/south', COUNT, (to) => move('north', to).then(({ moved }) => moved))
    const after = await requests()
    expect(await stats('south')).toEqual({ accepted: COUNT, open: COUNT })
    expect((await stats('north')).open).toBe(0)
    expect(after['GET /rooms/south'] ?? 0).toBe(0)
    // The time from the move to the clients' open at the target (docs/workers.md#where-the-10-s-go):
    // workerd ends the connection of a hibernatable socket the object closed only when the object
    // sleeps, and a client follows the 4308 once its connection has ended.
    console.log(`hibernatable room: ${COUNT} Node clients open at the target ${arrivals}`)
  }, 45000)

  it('moves the clients of a room that holds its sockets with accept() the same way, and they open there at once', async () => {
    const arrivals = await moveAndFollow('/prompt/north', '/prompt/south', 20, (to) => movePrompt('north', to).then(({ moved }) => moved))
    console.log(`accept() room: 20 Node clients open at the target ${arrivals}`)
  })

  it('spreads the closes of a move over spreadMs inside the Durable Object, by its own timers', async () => {
    const COUNT = 50
    const SPREAD = 1000
    const clients = await Promise.all(Array.from({ length: COUNT }, () => openClient(worker.ws('/rooms/east'))))
    try {
      const { moved, closes } = await move('east', worker.ws('/rooms/west'), SPREAD)
      expect(moved).toBe(COUNT)
      expect(closes).toHaveLength(COUNT)
      // Closes per 100 ms, read by the object's clock, beside the ideal (COUNT / 10 each).
      const buckets = Array.from({ length: Math.max(10, Math.floor(Math.max(...closes) / 100) + 1) }, (_, b) => closes.filter((at) => Math.floor(at / 100) === b).length)
      console.log(`closes per 100 ms inside the Durable Object (${COUNT} over ${SPREAD} ms; ideal ${COUNT / 10} each): ${buckets.join(' ')}`)
      // Spread, not sent at once: the closes fall in every tenth of the window.
      expect(buckets.slice(0, 10).every((n) => n > 0)).toBe(true)
    } finally {
      for (const client of clients) client.terminate()
    }
  })
})
