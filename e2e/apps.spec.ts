// The three example apps (vanilla, React, Vue) in Chromium, driven through the demo's control
// API: each must say the same true thing about its connection in every situation.
import { fileURLToPath } from 'node:url'
import { APPS, expect, test } from './fixtures'

/** host + path, as the banner names a place. */
const place = (url: string) => `${new URL(url).host}${new URL(url).pathname}`

// UPDATE_SCREENSHOTS=1 refreshes the committed pictures of each app while it reconnects.
const screenshots = process.env.UPDATE_SCREENSHOTS
  ? fileURLToPath(new URL('./screenshots/', import.meta.url))
  : undefined

for (const name of APPS) {
  test.describe(`${name} app`, () => {
    test('follows a 4308 close to the new address and says the feed moved', async ({ demo, control, open }) => {
      const app = await open(name)
      await expect(app.state).toHaveText('open')
      await expect(app.where).toHaveText(demo.live.v1)

      await control('move')
      await control('move-clients?spreadMs=0')

      await expect(app.where).toHaveText(demo.live.v2)
      await expect(app.banner).toContainText(`The live feed moved to ${place(demo.live.v2)}. You are connected there.`)
      await expect(app.state).toHaveText('open')
      // One socket for the page: the React and Vue apps' badge and chat share one connection.
      await expect.poll(() => demo.live.state().clients).toEqual({ v1: 0, v2: 1 })
    })

    test('follows a 308 on the handshake when it reconnects after a restart', async ({ demo, control, open }) => {
      const app = await open(name)
      await expect(app.where).toHaveText(demo.live.v1)

      await control('move')
      await control('restart')

      await expect(app.where).toHaveText(demo.live.v2)
      await expect(app.banner).toContainText(`The live feed moved to ${place(demo.live.v2)}.`)
      await expect(app.state).toHaveText('open')
      // One socket for the page: the React and Vue apps' badge and chat share one connection.
      await expect.poll(() => demo.live.state().clients).toEqual({ v1: 0, v2: 1 })
    })

    test('counts down while the backend is down; a message typed meanwhile is queued, then delivered once', async ({
      demo,
      control,
      open,
    }, testInfo) => {
      // Full-jitter back-off can have reached a 16 s wait (attempt 6) by the time the feed is back.
      test.slow()
      const app = await open(name)
      await expect(app.state).toHaveText('open')

      await control('down?seconds=3')
      await expect(app.banner).toContainText(/Reconnecting in \d+ s\./)
      await expect(app.retryNow).toBeVisible()

      const text = `Typed while the feed was down (${name})`
      await app.say(text)
      await expect(app.message(text)).toContainText('queued')

      await expect(app.retryNow).toBeVisible()
      const picture = await app.page.locator('main').screenshot({ animations: 'disabled' })
      await testInfo.attach('reconnecting', { body: picture, contentType: 'image/png' })
      if (screenshots)
        await app.page
          .locator('main')
          .screenshot({ path: `${screenshots}${name}-reconnecting.png`, animations: 'disabled' })

      await expect(app.message(text)).toContainText('delivered', { timeout: 30_000 })
      await expect(app.state).toHaveText('open')
      // A message sent after it comes back on the same socket after any duplicate would have.
      const after = `Sent once the feed was back (${name})`
      await app.say(after)
      await expect(app.message(after)).toContainText('delivered')

      await expect(app.message(text)).toHaveCount(1)
      expect(demo.live.chats().filter((chat) => chat.text === text)).toEqual([
        { id: expect.any(String), text, count: 1 },
      ])
    })

    test('"Retry now" reconnects at once instead of waiting, from the keyboard', async ({
      demo,
      control,
      open,
      page,
    }) => {
      // A paused page clock makes the back-off wait endless: only the button can end it.
      await page.clock.install()
      const app = await open(name)
      await expect(app.state).toHaveText('open')

      // Paused before the backend goes down, so no back-off wait can end by itself: the backend is
      // down for one real second, and a wait the page clock let run out could meet it back up.
      await page.clock.pauseAt(Date.now() + 1000)
      await control('down?seconds=1')
      await expect(app.retryNow).toBeVisible()
      await expect.poll(() => demo.live.state().downUntil, { timeout: 10_000 }).toBeNull()
      await expect(app.state).toHaveText('reconnecting')
      await expect(app.retryNow).toBeVisible()

      // The first stop of the Tab order: nothing before it in the page takes focus.
      await page.keyboard.press('Tab')
      await expect(app.retryNow).toBeFocused()
      await page.keyboard.press('Enter')

      await expect(app.state).toHaveText('open')
      await expect(app.banner).toContainText('Live.')
    })

    test('waits for the network while offline, then recovers when it is back', async ({ context, control, open }) => {
      const app = await open(name)
      await expect(app.state).toHaveText('open')

      // Chromium's emulated offline holds every frame that reaches an open socket until it is back
      // online, and the close behind it: with the demo's tick (one a second) arriving meanwhile, the
      // page would not hear of the restart while offline. So the page is told first that it is
      // offline (navigator.onLine, the 'offline' event), the backend drops the socket, and once the
      // page waits for the network, the network goes down for real.
      await app.page.evaluate(() => {
        Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false })
        dispatchEvent(new Event('offline'))
      })
      await control('restart')
      await expect(app.banner).toContainText('You are offline — we will reconnect when you are back.')
      await context.setOffline(true)
      // navigator.onLine is Chromium's own again (false now), so coming back online is real too.
      await app.page.evaluate(() => delete (navigator as { onLine?: boolean }).onLine)
      await expect(app.banner).toContainText('You are offline — we will reconnect when you are back.')
      await expect(app.retryNow).toBeHidden()

      await context.setOffline(false)
      await expect(app.state).toHaveText('open')
      await expect(app.banner).toContainText('Live.')
    })

    test('says the new location does not allow discovery when its CORS headers are off', async ({
      demo,
      control,
      open,
    }) => {
      const app = await open(name)
      await expect(app.state).toHaveText('open')

      await control('cors-off')
      await control('move')
      await control('restart')
      await expect(app.banner).toContainText('This server does not allow discovery from this site.')
      await expect(app.state).not.toHaveText('open')

      // With CORS back, a later attempt finds the new address.
      await control('cors-on')
      await expect(app.where).toHaveText(demo.live.v2, { timeout: 20_000 })
    })

    test('waits as long as a 503 with Retry-After asks, and says the feed is busy', async ({ demo, control, open }) => {
      const app = await open(name)
      await expect(app.state).toHaveText('open')

      // A answers 503 + Retry-After: 3 to the GET and the upgrade, and restarts its clients into it.
      await control('maintenance?seconds=3')
      await expect(app.banner).toContainText(/The live feed is busy and asked us to wait\. Reconnecting in \d+ s\./)
      await expect(app.banner).toContainText('Live.', { timeout: 20_000 })

      // The page saw only a failed handshake; its preflight GET read the 503 and the wait, and the
      // connection that ended the outage came 3 s or more after the GET that asked for it.
      const { answeredLater, lastConnectionAt } = demo.live.state()
      const told = answeredLater.find((answer) => answer.kind === 'get')!.at
      console.log(`${name}: Retry-After 3 s, connected again ${lastConnectionAt! - told} ms after the GET that asked`)
      expect(lastConnectionAt! - told).toBeGreaterThanOrEqual(3000)
      expect(demo.live.state().connections).toBe(2)
    })

    test('says the feed did not accept the sign-in when it answers 401, and is live again once it does not', async ({
      demo,
      control,
      open,
    }) => {
      const app = await open(name)
      await expect(app.state).toHaveText('open')

      await control('sign-in-on')
      await expect(app.banner).toContainText(/The live feed did not accept your sign-in\. Reconnecting in \d+ s\./)
      await control('sign-in-off')
      await expect(app.banner).toContainText('Live.', { timeout: 20_000 })
      expect(demo.live.state().connections).toBe(2)
    })

    test('skips a malformed message with a note and stays connected', async ({ demo, control, open }) => {
      const app = await open(name)
      await expect(app.state).toHaveText('open')
      await expect(app.ticks).toHaveText(/^tick \d+$/)

      await control('malformed') // a frame that is not JSON, and a tick that breaks the schema
      await expect(app.message('A message could not be read and was skipped.')).toHaveCount(2)

      // A tick after the garbage arrives on the same socket: nothing reconnected.
      const tick = await app.ticks.textContent()
      await expect(app.ticks).not.toHaveText(tick!)
      await expect(app.state).toHaveText('open')
      await expect(app.banner).toContainText('Live.')
      expect(demo.live.state().connections).toBe(1)
    })
  })
}
