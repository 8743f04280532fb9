// redirects.fetch under Bun.serve, followed by a page in real Chromium (issue 15): the page (the
// lab's origin) connects cross-origin to Bun's /v1/live; Bun answers the failed upgrade and the
// preflight GET with redirects.fetch, and the client opens Bun's own WebSocket at /v2/live.
import { test, expect } from '../../../core/test/browser/fixtures'
import { installRecorder, story } from '../../../core/test/browser/recorder'
import { packagedBinary, startRuntime, type RuntimeServer } from '../runtime'

const BUN = packagedBinary('bun', 'bin/bun.exe')
const script = new URL('../runtimes/bun-server.mjs', import.meta.url).pathname

let bun: RuntimeServer | undefined
test.afterEach(async () => {
  await bun?.stop()
  bun = undefined
})

test.describe('Bun.serve with redirects.fetch, in Chromium', () => {
  test.skip(!BUN, 'the bun package has no runtime binary here (its postinstall did not run)')

  test('a cross-origin page follows the 308 to Bun’s own WebSocket and talks to it', async ({ app, lab }) => {
    bun = await startRuntime(BUN!, (port) => [script, String(port), lab.origin])
    await installRecorder(app)
    const { events, reply } = await app.evaluate(async (url) => {
      window.rec.connect('c', url, { cache: false, reconnect: false })
      await window.rec.next('c', 'open')
      const from = window.rec.log.length
      window.rec.conns.c!.send('hello')
      const reply = await window.rec.next('c', 'message', from)
      return { events: window.rec.since(0, 'c'), reply: reply.payload.data as string }
    }, bun.ws('/v1/live'))
    expect(story(events).filter((s) => /^(open|redirect)/.test(s!))).toEqual([
      `redirect:preflight:${bun.ws('/v2/live')}`,
      `open:${bun.ws('/v2/live')}`,
    ])
    expect(reply).toMatch(/^bun \d+\.\d+\.\d+ got hello$/)
  })
})
