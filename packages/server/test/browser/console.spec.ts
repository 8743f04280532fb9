// What a cold connect logs in Chromium's console (the README's "What the console shows"): the
// browser's own line for the redirected handshake, which no page can silence, and — when the
// endpoint answers its plain GET with 426 — a line for the preflight's GET too, which
// `redirects.endpoint()` (204 with CORS) removes.
import type { ConsoleMessage } from '@playwright/test'
import { test, expect } from '../../../core/test/browser/fixtures'
import { installRecorder } from '../../../core/test/browser/recorder'
import { createRedirects } from '../../src'
import { startServer, type TestServer } from '../server'

const servers: TestServer[] = []
test.afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

/** A moved endpoint on another origin; with `quiet`, its own GET answers 204 through endpoint(). */
const moved = async (page: string, quiet: boolean) => {
  const server = await startServer()
  servers.push(server)
  server.endpoint('/v2/live')
  const redirects = createRedirects({ rules: { '/v1/live': server.ws('/v2/live') }, origins: [page] })
  server.redirects = redirects
  if (quiet)
    server.app = (req, res) =>
      new URL(req.url ?? '/', 'http://x').pathname === '/v2/live' && redirects.endpoint(req, res)
  return server
}

for (const quiet of [false, true])
  test(`a cold 'auto' connect through a 308 logs ${quiet ? 'only the handshake' : 'the handshake and the GET'} (endpoint GET ${quiet ? '204' : '426'})`, async ({
    app,
    lab,
  }) => {
    const server = await moved(lab.origin, quiet)
    const errors: string[] = []
    // Only what concerns this server: the page's own requests (a favicon, say) log too.
    app.on('console', (message: ConsoleMessage) => {
      const about = `${message.text()} ${message.location().url}`
      if (message.type() === 'error' && about.includes(`:${server.port}/`)) errors.push(message.text())
    })
    await installRecorder(app)
    await app.evaluate(async (url) => {
      window.rec.connect('c', url, { cache: false })
      await window.rec.next('c', 'open')
      window.rec.conns.c!.close()
    }, server.ws('/v1/live'))
    console.log(`endpoint GET ${quiet ? '204' : '426'}: ${errors.length} console error(s): ${JSON.stringify(errors)}`)
    expect(errors.some((text) => /308/.test(text))).toBe(true)
    expect(errors.some((text) => /426/.test(text))).toBe(!quiet)
    expect(errors.length).toBe(quiet ? 1 : 2)
  })
