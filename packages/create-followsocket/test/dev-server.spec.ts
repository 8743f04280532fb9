// What a user does with a new app and the demo, in a folder outside the repository: create a React
// app with the packed create-followsocket, install it (packed.ts), run its dev server (`npm run
// dev`, Vite on http://localhost:<port>) beside the demo, and watch it in Chromium through a move,
// an outage and a 503. The demo admits the dev server's origin (examples/README.md#an-app-of-your-own-beside-the-demo),
// and the banner says the feed moved exactly while the app is connected at the moved address.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, freePort, test } from '../../../e2e/fixtures'
import { DEMO_FEED } from '../src/templates'
import { createApp, offlineNpm, packAll } from './packed'

let work: string
let app: string

test.beforeAll(async () => {
  test.setTimeout(90_000)
  const since = performance.now()
  work = mkdtempSync(join(tmpdir(), 'followsocket-dev-'))
  const tarballs = packAll(join(work, 'packs'))
  const packed = performance.now()
  mkdirSync(join(work, 'user'))
  const { app: dir, out } = createApp(join(work, 'user'), 'react', tarballs)
  console.log(`packed in ${((packed - since) / 1000).toFixed(1)} s`)
  expect(out).toContain(DEMO_FEED)
  app = dir
  console.log(`packed, created and installed in ${((performance.now() - since) / 1000).toFixed(1)} s`)
})
test.afterAll(() => work && rmSync(work, { recursive: true, force: true }))

/** `npm run dev` in the app on `port`, resolved once Vite prints the address it serves. */
async function devServer(port: number): Promise<{ url: string; stop(): Promise<void> }> {
  // A process group of its own (npm → sh → vite), so that stopping it stops all three.
  const child: ChildProcess = spawn('npm', ['run', 'dev', '--', '--port', String(port), '--strictPort'], {
    cwd: app,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...offlineNpm(work), BROWSER: 'none' },
  })
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  let said = ''
  const url = `http://localhost:${port}/`
  await new Promise<void>((ready, fail) => {
    const read = (chunk: Buffer) => {
      said += chunk
      // Vite prints the port in bold where the terminal takes colours.
      if (said.replace(/\x1b\[[\d;]*m/g, '').includes(url)) ready()
    }
    child.stdout!.on('data', read)
    child.stderr!.on('data', read)
    child.once('exit', (code) => fail(new Error(`npm run dev exited (${code}) before serving ${url}:\n${said}`)))
  })
  return {
    url,
    async stop() {
      process.kill(-child.pid!, 'SIGTERM')
      await exited
    },
  }
}

/** host + path, as the banner names a place. */
const place = (url: string) => `${new URL(url).host}${new URL(url).pathname}`

test('an app from npm create followsocket on its dev server beside the demo: its default feed is the demo, and it follows a move, an outage and a 503 with ?feed=, the banner saying "moved" exactly while it is at the moved address', async ({
  demo,
  control,
  open,
  page,
}) => {
  test.setTimeout(60_000)
  const since = performance.now()
  const { v1, v2 } = demo.live
  expect(v1, 'the demo on ports of its own, not the default ones').not.toBe(DEMO_FEED)
  const dev = await devServer(await freePort())
  try {
    // Every (state, banner, address) the page shows, as it shows them: one entry per DOM change.
    await page.addInitScript(() => {
      const seen: { state: string; banner: string; where: string }[] = []
      Object.assign(window, { seen })
      const text = (id: string) => document.querySelector(`[data-testid="${id}"]`)?.textContent ?? ''
      new MutationObserver(() => {
        const now = { state: text('state'), banner: text('banner'), where: text('where') }
        const last = seen.at(-1)
        if (!last || last.state !== now.state || last.banner !== now.banner || last.where !== now.where) seen.push(now)
      }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true })
    })

    // No ?feed=: the demo's feed at its default address, and the console says so. Answered here by
    // Playwright, not by a demo on port 5174: the test reaches no port it did not pick.
    const defaults: string[] = []
    await page.routeWebSocket(DEMO_FEED, (ws) => void defaults.push(ws.url()))
    const told = page.waitForEvent('console', (message) => message.text().includes('No ?feed='))
    const plain = await open('react', dev.url)
    expect((await told).text()).toContain(`connecting to the followsocket demo's live feed, ${DEMO_FEED}`)
    await expect(plain.where).toHaveText(DEMO_FEED)
    expect(defaults).toEqual([DEMO_FEED])

    // ?feed= the demo's feed: the dev server's origin (http://localhost:<port>) is admitted.
    const chat = await open('react', `${dev.url}?feed=${encodeURIComponent(v1)}`)
    await expect(chat.state).toHaveText('open')
    await expect(chat.where).toHaveText(v1)
    await expect(chat.banner).toContainText('Live.')
    await expect.poll(() => demo.live.state().connections).toBe(1)

    // Retry now, unless the app waits as the server asked (which Retry now would cut short): the
    // moves and restarts here come faster than a person presses buttons, and the app's own
    // back-off grows with them. In the page, in one step: the button may be gone already.
    const retryNow = () =>
      page.evaluate(() => {
        const banner = document.querySelector('[data-testid="banner"]')!
        if (!banner.textContent!.includes('asked us to wait'))
          [...banner.querySelectorAll('button')].find((b) => b.textContent === 'Retry now' && !b.hidden)?.click()
      })
    /** Waits for the handshake that makes `n` accepted since the demo started, retrying meanwhile. */
    const handshakes = (n: number) =>
      expect
        .poll(
          async () => {
            await retryNow()
            return demo.live.state().connections
          },
          { timeout: 20_000 },
        )
        .toBe(n)

    // A 503 with Retry-After: 3 on v1's GET and upgrade, its clients restarted into it: the app
    // reads the 503 from its preflight and waits as asked before coming back.
    await control('maintenance?seconds=3')
    await expect(chat.banner).toContainText(/Reconnecting in \d+ s\./)
    await retryNow()
    await expect(chat.banner).toContainText(/The live feed is busy and asked us to wait\. Reconnecting in \d+ s\./)
    await expect(chat.banner).toContainText('Live.', { timeout: 20_000 })
    const { answeredLater, lastConnectionAt, connections } = demo.live.state()
    const asked = answeredLater.find((answer) => answer.kind === 'get')!.at
    expect(lastConnectionAt! - asked).toBeGreaterThanOrEqual(3000)
    expect(connections).toBe(2)
    // One 503 to the handshake the browser hides, one to the preflight that reads it: one wait.
    expect(answeredLater.map((answer) => answer.kind)).toEqual(['upgrade', 'get'])
    console.log(
      `503: ${answeredLater.map((a) => a.kind).join(', ')} answered later; connected again ${lastConnectionAt! - asked} ms after the GET that asked`,
    )

    // A move: 308 from v1, and the clients closed with 4308 → v2, followed at once.
    await control('move')
    const moved = await fetch(`${demo.origin}/api/move-clients?spreadMs=0`, { method: 'POST' })
    expect(await moved.json()).toEqual({ moved: 1 })
    await expect(chat.where).toHaveText(v2)
    await expect(chat.banner).toContainText(`The live feed moved to ${place(v2)}. You are connected there.`)
    expect(demo.live.state()).toMatchObject({ clients: { v1: 0, v2: 1 }, connections: 3 })

    // Undo, then restart (the case): the app reconnects to v1 or, remembering the move, to
    // v2 (both happen); either way the banner says where it is: "moved" at v2 only.
    const movedBanner = `The live feed moved to ${place(v2)}. You are connected there.`
    const saysWhereItIs = async () => {
      await expect(chat.state).toHaveText('open')
      const where = await chat.where.textContent()
      expect([v1, v2]).toContain(where)
      await expect(chat.banner).toContainText(where === v1 ? 'Live.' : movedBanner)
      return where === v1 ? 'v1' : 'v2'
    }
    await control('unmove')
    await control('restart')
    await handshakes(4)
    const afterUndo = await saysWhereItIs()

    // An outage: both addresses stop for 2 s; the app counts down, and is back once they are.
    await control('down?seconds=2')
    await expect(chat.banner).toContainText(/Reconnecting in \d+ s\./)
    await expect(chat.retryNow).toBeVisible()
    await expect.poll(() => demo.live.state().downUntil, { timeout: 10_000 }).toBeNull()
    await handshakes(5)
    const afterOutage = await saysWhereItIs()
    expect(demo.live.state().clients).toEqual(afterOutage === 'v1' ? { v1: 1, v2: 0 } : { v1: 0, v2: 1 })

    // Every state the page showed: "moved" exactly while open at v2.
    const seen = await page.evaluate(
      () => (window as unknown as { seen: { state: string; banner: string; where: string }[] }).seen,
    )
    for (const shown of seen) {
      if (shown.banner.startsWith('The live feed moved')) expect(shown).toMatchObject({ state: 'open', where: v2 })
      if (shown.state === 'open' && shown.where === v2) expect(shown.banner).toContain(movedBanner)
      if (shown.state === 'open' && shown.where === v1) expect(shown.banner).toContain('Live.')
    }
    console.log(
      `dev server ${dev.url}: at ${afterUndo} after undo + restart, at ${afterOutage} after the outage; ${seen.length} states shown, ${seen.filter((s) => s.banner.startsWith('The live feed moved')).length} with "moved"; ${((performance.now() - since) / 1000).toFixed(1)} s`,
    )
  } finally {
    await dev.stop()
  }
})
