// Shared connections (SPEC §10) in real Chromium with Vue 3 and the built @followsocket/vue:
// composables with share: true and the same URL and options use one socket, counted at the server.
import { test, expect } from '../../../core/test/browser/fixtures'
import { harnessBundle, loadHarness as load, rendered as until } from '../../../core/test/browser/harness'

const HARNESS = new URL('./harness.ts', import.meta.url)

test.describe('share: true in Chromium (Vue 3)', () => {
  test.beforeEach(async ({ lab }) => {
    lab.serve('/harness/', await harnessBundle(HARNESS, { __VUE_OPTIONS_API__: 'true', __VUE_PROD_DEVTOOLS__: 'false', __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false' }))
  })

  test('five sharers open one socket; it stays until the last unmounts; close() from one closes it for all', async ({ app, lab }) => {
    const endpoint = lab.endpoint('/live')
    await load(app)
    const ids = ['a', 'b', 'c', 'd', 'e']
    await app.evaluate(({ ids, url }) => ids.forEach((id) => window.harness.mount(id, url)), { ids, url: lab.ws('/live') })
    for (const id of ids) await until(app, id, 'open')
    expect(endpoint.connections).toBe(1)

    await app.evaluate(() => window.harness.send('c', 'hello'))
    for (const id of ids) await until(app, id, 'open', 'hello')
    await app.evaluate(() => ['a', 'b', 'c', 'd'].forEach((id) => window.harness.unmount(id)))
    await app.evaluate(() => window.harness.send('e', 'still here'))
    await until(app, 'e', 'open', 'still here')
    expect(endpoint.clients.size).toBe(1)

    await app.evaluate(() => window.harness.unmount('e'))
    await expect.poll(() => endpoint.clients.size).toBe(0)

    await app.evaluate(({ url }) => ['f', 'g'].forEach((id) => window.harness.mount(id, url)), { url: lab.ws('/live') })
    await until(app, 'g', 'open')
    await app.evaluate(() => window.harness.close('f'))
    await until(app, 'g', 'closed')
    expect(endpoint.connections).toBe(2)
  })

  test('a composable without share keeps its own socket', async ({ app, lab }) => {
    const endpoint = lab.endpoint('/live')
    await load(app)
    await app.evaluate(({ url }) => {
      window.harness.mount('a', url)
      window.harness.mount('b', url)
      window.harness.mount('own', url, { share: false })
    }, { url: lab.ws('/live') })
    for (const id of ['a', 'b', 'own']) await until(app, id, 'open')
    await app.evaluate(() => window.harness.send('a', 'ping'))
    await until(app, 'b', 'open', 'ping')
    expect(endpoint.connections).toBe(2)
  })

  test('sends from three sharers while the server is down go out once each, in call order', async ({ app, lab }) => {
    const endpoint = lab.endpoint('/live', { echo: false })
    await load(app)
    await app.evaluate(({ url }) => ['a', 'b', 'c'].forEach((id) => window.harness.mount(id, url)), { url: lab.ws('/live') })
    for (const id of ['a', 'b', 'c']) await until(app, id, 'open')
    await lab.down()
    // Down: reconnecting and connecting by turns, never open.
    await expect.poll(() => app.evaluate(() => window.harness.seen('a').state)).not.toBe('open')
    const order = ['a1', 'b1', 'c1', 'a2', 'c2', 'b2']
    await app.evaluate((order) => order.forEach((m) => window.harness.send(m[0]!, m)), order)
    await lab.resume()
    expect(await endpoint.receivedCount(order.length)).toEqual(order)
    expect(endpoint.connections).toBe(2)
  })
})
