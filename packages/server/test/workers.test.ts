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
  const { code, nodeImports } = await bundleWorker(
    { contents: COUNTED_WORKER },
    { modules: { 'virtual:recipe': RECIPE_WORKER } },
  )
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
  json<{ moved: number; closes: number[] }>(
    `/__test/rooms/${room}/move?to=${encodeURIComponent(to)}&spreadMs=${spreadMs}`,
  )
const movePrompt = (room: string, to: string) =>
  json<{ moved: number }>(`/__test/rooms/${room}/move?prompt&to=${encodeURIComponent(to)}`)

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
    expect(await redirect).toMatchObject({
      from: worker.ws('/v1/live'),
      to: worker.ws('/rooms/lobby'),
      via: 'preflight',
    })
    for (const text of ['hello', 'again']) {
      const reply = next(c, 'message')
      c.send(text)
      expect((await reply).data).toBe(text)
    }
    const after = await requests()
    const delta = (key: string) => (after[key] ?? 0) - (before[key] ?? 0)
    // The refused handshake starts discovery (discovery 'auto'): one upgrade and one preflight
    // GET of the old path, then one upgrade of the room, which its Durable Object accepted.
    expect({
      upgradeOld: delta('upgrade /v1/live'),
      getOld: delta('GET /v1/live'),
      upgradeRoom: delta('upgrade /rooms/lobby'),
    }).toEqual({
      upgradeOld: 1,
      getOld: 1,
      upgradeRoom: 1,
    })
    expect((await stats('lobby')).accepted - accepted).toBe(1)
  })
})

/**
 * Opens `count` followsocket clients at `from`, each of which sends one message there (`talk`),
 * moves them with `moveTo(target)`, checks that each followed the 4308 straight to `to` (no
 * preflight) and talks there; resolves with when they opened there, as "first–last ms after the move".
 */
async function moveAndFollow(
  from: string,
  to: string,
  count: number,
  moveTo: (target: string) => Promise<number>,
  { talk = true } = {},
): Promise<string> {
  const clients = await openClients(worker.ws(from), count)
  if (talk)
    await Promise.all(
      clients.map(async (c) => {
        const reply = next(c, 'message')
        c.send('hello')
        expect((await reply).data).toBe('hello')
      }),
    )
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
  expect((after[`GET ${to}`] ?? 0) - (before[`GET ${to}`] ?? 0)).toBe(0)
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
    const COUNT = 20
    const arrivals = await moveAndFollow('/rooms/north', '/rooms/south', COUNT, (to) =>
      move('north', to).then(({ moved }) => moved),
    )
    expect(await stats('south')).toEqual({ accepted: COUNT, open: COUNT })
    expect((await stats('north')).open).toBe(0)
    // The time from the move to the clients' open at the target (docs/workers.md#where-the-10-s-go):
    // prompt for clients that have sent the room a message, as these have.
    console.log(`hibernatable room: ${COUNT} Node clients open at the target ${arrivals}`)
  })

  it('moves the silent clients of a room that holds its sockets with accept(): they open at the target at once', async () => {
    // Silent clients: a hibernatable room would keep their connections 10–30 s; this one does not.
    const arrivals = await moveAndFollow(
      '/prompt/north',
      '/prompt/south',
      20,
      (to) => movePrompt('north', to).then(({ moved }) => moved),
      {
        talk: false,
      },
    )
    console.log(`accept() room: 20 Node clients open at the target ${arrivals}`)
  })

  it('spreads the closes of a move over spreadMs inside the Durable Object, by its own timers, and the clients see them spread', async () => {
    const COUNT = 50
    const SPREAD = 1000
    const clients = await Promise.all(Array.from({ length: COUNT }, () => openClient(worker.ws('/rooms/east'))))
    try {
      // Clients that have talked to the room: their connections end with the closing handshake.
      await Promise.all(clients.map((client) => new Promise((done) => client.once('message', done).send('hello'))))
      const closed = clients.map(closeOf)
      const started = performance.now()
      const { moved, closes } = await move('east', worker.ws('/rooms/west'), SPREAD)
      expect(moved).toBe(COUNT)
      expect(closes).toHaveLength(COUNT)
      const seen = (await Promise.all(closed)).map((c) => {
        expect(c.code).toBe(4308)
        return c.at - started
      })
      const per100 = (times: number[]) =>
        Array.from(
          { length: Math.max(10, Math.floor(Math.max(...times) / 100) + 1) },
          (_, b) => times.filter((at) => Math.floor(at / 100) === b).length,
        )
      // Per 100 ms beside the ideal (COUNT / 10 each): read by the object's clock, and at the clients.
      console.log(
        `closes per 100 ms inside the Durable Object (${COUNT} over ${SPREAD} ms; ideal ${COUNT / 10} each): ${per100(closes).join(' ')}`,
      )
      console.log(`closes per 100 ms as the clients saw them: ${per100(seen).join(' ')}`)
      // Spread, not sent at once: the closes fall in every tenth of the window.
      expect(
        per100(closes)
          .slice(0, 10)
          .every((n) => n > 0),
      ).toBe(true)
    } finally {
      for (const client of clients) client.terminate()
    }
  })
})
