// The server README's quick start in real Chromium, from a page on another origin (the lab's
// port; the quick start listens on its own): the preflight follows the 308 and must be let read
// both the redirect and the endpoint's own GET, then the WebSocket opens at /v2/live.
import { test, expect } from '../../../core/test/browser/fixtures'
import { installRecorder, story } from '../../../core/test/browser/recorder'
import { startQuickStart, type QuickStart } from '../quickstart'

let site: QuickStart | undefined
test.afterEach(async () => {
  await site?.stop()
  site = undefined
})

for (const discovery of ['auto', 'preflight'] as const) {
  test(`a page on another origin connects through the quick start's redirect (discovery '${discovery}')`, async ({
    app,
    lab,
  }) => {
    site = await startQuickStart()
    expect(new URL(site.http('/')).origin).not.toBe(lab.origin)
    await installRecorder(app)
    const events = await app.evaluate(
      async ({ url, discovery }) => {
        window.rec.connect('c', url, { cache: false, reconnect: false, discovery })
        await window.rec.next('c', 'open')
        return window.rec.since(0, 'c')
      },
      { url: site.ws('/v1/live'), discovery },
    )
    expect(story(events).filter((s) => /^(open|redirect|error)/.test(s!))).toEqual([
      `redirect:preflight:${site.ws('/v2/live')}`,
      `open:${site.ws('/v2/live')}`,
    ])
  })
}
