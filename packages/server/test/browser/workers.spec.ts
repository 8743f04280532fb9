// The README's Cloudflare recipe under workerd, end to end in real Chromium (issue 28): a page on
// another origin connects to the Worker's old path with followsocket, follows the 308 into a
// Durable Object and talks there, is moved by 4308 to a second Durable Object, sees a 503 with
// Retry-After while the Worker is in maintenance and waits it. Counted at the Worker (requests per
// path) and in the Durable Objects (sockets accepted). The recipe runs as written but for two
// values: the page's origin for app.example.com, and a Retry-After of 2 s instead of 30.
import { test, expect } from '../../../core/test/browser/fixtures'
import { installRecorder, story } from '../../../core/test/browser/recorder'
import { bundleWorker } from '../workers/bundle'
import { COUNTED_WORKER, countedConfig } from '../workers/counted'
import { startWorker, type RunningWorker } from '../workers/miniflare'
import { RECIPE_WORKER, RECIPE_WRANGLER } from '../workers/recipe'

let worker: RunningWorker | undefined
test.afterEach(async () => {
  await worker?.stop()
  worker = undefined
})

test('a cross-origin page follows the Worker’s 308 into a Durable Object, is moved to another by 4308, and waits out a 503', async ({
  app,
  lab,
}) => {
  test.setTimeout(60_000)
  for (const value of ["'https://app.example.com'", 'retryAfter: 30'])
    if (!RECIPE_WORKER.includes(value)) throw new Error(`the README's Worker no longer has ${value}: update this test`)
  const recipe = RECIPE_WORKER.replace("'https://app.example.com'", JSON.stringify(lab.origin)).replace(
    'retryAfter: 30',
    'retryAfter: 2',
  )
  const { code } = await bundleWorker({ contents: COUNTED_WORKER }, { modules: { 'virtual:recipe': recipe } })
  worker = await startWorker(code, countedConfig(RECIPE_WRANGLER))
  const w = worker
  const json = async (path: string) => (await fetch(w.http(path))).json()

  await installRecorder(app)
  // 1. Into the lobby, through the 308, and a message each way.
  const lobby = await app.evaluate(async (url) => {
    window.rec.connect('c', url, { cache: false })
    await window.rec.next('c', 'open')
    const from = window.rec.log.length
    window.rec.conns.c!.send('hello')
    const reply = await window.rec.next('c', 'message', from)
    return { events: window.rec.since(0, 'c'), reply: reply.payload.data as string }
  }, w.ws('/v1/live'))
  expect(story(lobby.events)).toEqual([
    `redirect:preflight:${w.ws('/rooms/lobby')}`,
    `open:${w.ws('/rooms/lobby')}`,
    'message:hello',
  ])
  expect(lobby.reply).toBe('hello')
  // Chromium hides the refused handshake: one upgrade of /v1/live, then the preflight (GET of
  // /v1/live, GET of the room, where it ends), then the room's upgrade.
  expect(await json('/__test/requests')).toEqual({
    'upgrade /v1/live': 1,
    'GET /v1/live': 1,
    'GET /rooms/lobby': 1,
    'upgrade /rooms/lobby': 1,
  })
  expect(await json('/__test/rooms/lobby/stats')).toEqual({ accepted: 1, open: 1 })

  // 2. The lobby moves its clients to the annex.
  const annex = w.ws('/rooms/annex')
  const moveFrom = await app.evaluate(() => window.rec.log.length)
  const started = performance.now()
  expect(await json(`/__test/rooms/lobby/move?to=${encodeURIComponent(annex)}`)).toMatchObject({ moved: 1 })
  await app.evaluate(([from]) => window.rec.next('c', 'open', from as number, undefined, 20_000), [moveFrom])
  const movedAfterMs = Math.round(performance.now() - started)
  console.log(`Chromium: open at the annex ${movedAfterMs} ms after the lobby's move`)
  const moved = await app.evaluate(([from]) => window.rec.since(from as number, 'c'), [moveFrom])
  expect(story(moved)).toEqual(['close:4308:reconnect', `redirect:close-frame:${annex}`, `open:${annex}`])
  expect(await json('/__test/rooms/annex/stats')).toEqual({ accepted: 1, open: 1 })
  const requests = (await json('/__test/requests')) as Record<string, number>
  expect([requests['upgrade /rooms/annex'], requests['GET /rooms/annex']]).toEqual([1, undefined])

  // 3. Maintenance: a deploy with MAINTENANCE on drops the sockets. The client, dropped at a
  // location it was moved to, finds the endpoint again from /v1/live (its first attempts meet
  // workerd restarting), is sent to the lobby, reads the 503 and its Retry-After from the room's
  // GET, and waits as asked.
  const downFrom = await app.evaluate(() => window.rec.log.length)
  await w.setVars({ MAINTENANCE: 'on' })
  const waiting = await app.evaluate(
    async ([from]) => {
      for (let i = from as number; ; ) {
        const e = await window.rec.next('c', 'reconnecting', i, undefined, 20_000)
        if (e.payload.error?.status === 503) return e.payload
        i = e.index + 1
      }
    },
    [downFrom],
  )
  expect(waiting).toMatchObject({
    error: { code: 'HANDSHAKE_FAILED', status: 503, retryAfterMs: 2000, url: w.ws('/rooms/lobby') },
  })
  expect(waiting.delayMs).toBeGreaterThanOrEqual(2000)
  // Counted by the new isolate: one attempt, and the wait holds the next.
  expect(await json('/__test/requests')).toEqual({
    'upgrade /v1/live': 1,
    'GET /v1/live': 1,
    'GET /rooms/lobby': 1,
    'upgrade /rooms/lobby': 1,
  })
  await w.setVars({ MAINTENANCE: 'off' })
  const back = await app.evaluate(
    ([from]) => window.rec.next('c', 'open', from as number, undefined, 20_000).then((e) => e.payload.url),
    [downFrom],
  )
  expect(back).toBe(w.ws('/rooms/lobby'))
  // The lobby's second socket (its storage outlived the deploy), and the only one open.
  expect(await json('/__test/rooms/lobby/stats')).toEqual({ accepted: 2, open: 1 })
  await app.evaluate(() => window.rec.conns.c!.close())
})
