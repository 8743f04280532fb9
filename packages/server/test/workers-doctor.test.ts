// followsocket doctor against the README's Worker under workerd (docs/workers.md#the-recipe-under-workerd):
// it must say what Chromium does there (browser/workers.spec.ts): a page on another origin
// connects after one preflight that follows one redirect into the room.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { doctor } from '../../core/test/doctor/support'
import { bundleWorker } from './workers/bundle'
import { startWorker, type RunningWorker } from './workers/miniflare'
import { RECIPE_WORKER, RECIPE_WRANGLER } from './workers/recipe'

const PAGE = 'https://app.example.com'
let worker: RunningWorker

beforeAll(async () => {
  worker = await startWorker((await bundleWorker({ contents: RECIPE_WORKER })).code, RECIPE_WRANGLER)
}, 30000)
afterAll(() => worker?.stop())

it(`passes followsocket doctor --origin ${PAGE}: a page connects after 1 preflight, through the 308 into the room`, async () => {
  const run = await doctor('doctor', worker.ws('/v1/live'), '--origin', PAGE)
  expect(run.stdout, run.stdout).toContain(
    `A browser page at ${PAGE} connects after 1 preflight: its fetch() follows 1 redirect to ${worker.http('/rooms/lobby')}, and the WebSocket opens at ${worker.ws('/rooms/lobby')}`,
  )
  expect(run.code).toBe(0)
})
