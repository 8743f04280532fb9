// What the bindings' Chromium specs share: a page-side harness (a binding and its framework,
// bundled as an application would ship them) that exposes window.harness, and a wait on what
// one of its components rendered.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { rolldown } from 'rolldown'
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'

/** The page side: mounts components by id and reports what each rendered. */
export interface Harness {
  mount(id: string, url: string, options?: { share?: boolean | 'tabs'; strict?: boolean }): void
  unmount(id: string): void
  seen(id: string): { state: string; lastMessage: unknown }
  send(id: string, data: string): void
  close(id: string): void
}

declare global {
  interface Window {
    harness: Harness
  }
}

const built = new Map<string, Promise<string>>()

/** Bundles `entry` (a harness.ts) into an IIFE once per worker; resolves with its folder. */
export const harnessBundle = (entry: URL, define: Record<string, string> = {}): Promise<string> => {
  const key = entry.href
  if (!built.has(key))
    built.set(
      key,
      (async () => {
        const dir = mkdtempSync(join(tmpdir(), 'followsocket-harness-'))
        process.once('exit', () => rmSync(dir, { recursive: true, force: true }))
        const bundle = await rolldown({
          input: fileURLToPath(entry),
          platform: 'browser',
          logLevel: 'silent',
          transform: { define: { 'process.env.NODE_ENV': '"production"', ...define } },
        })
        // An IIFE is one file: followsocket/tabs, which the store imports only when asked, goes in it.
        await bundle.write({ file: join(dir, 'harness.js'), format: 'iife', minify: true, codeSplitting: false })
        await bundle.close()
        return dir
      })(),
    )
  return built.get(key)!
}

/** Loads the harness the lab serves at /harness/ into the page. */
export const loadHarness = (app: Page) => app.addScriptTag({ url: new URL('/harness/harness.js', app.url()).href })

/** Waits until component `id` rendered `state` (and, given, `lastMessage`). */
export const rendered = (app: Page, id: string, state: string, lastMessage?: string) =>
  expect
    .poll(() => app.evaluate((id) => window.harness.seen(id), id))
    .toMatchObject(lastMessage === undefined ? { state } : { state, lastMessage })

/**
 * Shared connections (docs/sharing.md#in-the-page) in Chromium, the same scenarios for every
 * binding: its harness at `entry` (bundled with `define`) mounts components with share: true, and
 * sockets are counted at the server. A harness's `strict` mount option asks for React's Strict
 * Mode; Vue has none and ignores it.
 */
export const sharedConnectionSpecs = (binding: string, entry: URL, define: Record<string, string> = {}) =>
  test.describe(`share: true in Chromium (${binding})`, () => {
    test.beforeEach(async ({ lab }) => {
      lab.serve('/harness/', await harnessBundle(entry, define))
    })

    test('five sharers open one socket; it stays until the last unmounts; close() from one closes it for all', async ({
      app,
      lab,
    }) => {
      const endpoint = lab.endpoint('/live')
      await loadHarness(app)
      const ids = ['a', 'b', 'c', 'd', 'e']
      await app.evaluate(({ ids, url }) => ids.forEach((id) => window.harness.mount(id, url)), {
        ids,
        url: lab.ws('/live'),
      })
      for (const id of ids) await rendered(app, id, 'open')
      expect(endpoint.connections).toBe(1)

      await app.evaluate(() => window.harness.send('c', 'hello'))
      for (const id of ids) await rendered(app, id, 'open', 'hello')
      await app.evaluate(() => ['a', 'b', 'c', 'd'].forEach((id) => window.harness.unmount(id)))
      await app.evaluate(() => window.harness.send('e', 'still here'))
      await rendered(app, 'e', 'open', 'still here')
      expect(endpoint.clients.size).toBe(1)

      await app.evaluate(() => window.harness.unmount('e'))
      await expect.poll(() => endpoint.clients.size).toBe(0)

      await app.evaluate(({ url }) => ['f', 'g'].forEach((id) => window.harness.mount(id, url)), {
        url: lab.ws('/live'),
      })
      await rendered(app, 'g', 'open')
      await app.evaluate(() => window.harness.close('f'))
      await rendered(app, 'g', 'closed')
      expect(endpoint.connections).toBe(2)
    })

    test('sharers open one socket, under React Strict Mode too; one without share keeps its own', async ({
      app,
      lab,
    }) => {
      const endpoint = lab.endpoint('/live')
      await loadHarness(app)
      await app.evaluate(
        ({ url }) => {
          window.harness.mount('a', url, { strict: true })
          window.harness.mount('b', url, { strict: true })
          window.harness.mount('own', url, { share: false })
        },
        { url: lab.ws('/live') },
      )
      for (const id of ['a', 'b', 'own']) await rendered(app, id, 'open')
      // A round trip on the shared socket: a second one from the double mount would have arrived.
      await app.evaluate(() => window.harness.send('a', 'ping'))
      await rendered(app, 'b', 'open', 'ping')
      expect(endpoint.connections).toBe(2)
      expect(lab.count('/live', 'upgrade')).toBe(2)
    })

    test('sends from three sharers while the server is down go out once each, in call order', async ({ app, lab }) => {
      const endpoint = lab.endpoint('/live', { echo: false })
      await loadHarness(app)
      await app.evaluate(({ url }) => ['a', 'b', 'c'].forEach((id) => window.harness.mount(id, url)), {
        url: lab.ws('/live'),
      })
      for (const id of ['a', 'b', 'c']) await rendered(app, id, 'open')
      await lab.down()
      // Down: reconnecting and connecting by turns, never open.
      await expect.poll(() => app.evaluate(() => window.harness.seen('a').state)).not.toBe('open')
      const order = ['a1', 'b1', 'c1', 'a2', 'c2', 'b2']
      await app.evaluate((order) => order.forEach((m) => window.harness.send(m[0]!, m)), order)
      await lab.resume()
      expect(await endpoint.receivedCount(order.length)).toEqual(order)
      expect(endpoint.connections).toBe(2)
    })

    test("share: 'tabs': two tabs with two components each open one socket, and all four get what it receives", async ({
      app,
      lab,
    }) => {
      const endpoint = lab.endpoint('/live', { echo: false })
      const second = await app.context().newPage()
      second.on('pageerror', (error) => {
        throw error
      })
      await second.goto(lab.http('/'))
      const tabs = [app, second]
      for (const [n, page] of tabs.entries()) {
        await loadHarness(page)
        await page.evaluate(
          ({ n, url }) => [`${n}a`, `${n}b`].forEach((id) => window.harness.mount(id, url, { share: 'tabs' })),
          {
            n,
            url: lab.ws('/live'),
          },
        )
        for (const id of [`${n}a`, `${n}b`]) await rendered(page, id, 'open')
      }
      expect(endpoint.connections).toBe(1)
      for (const client of endpoint.clients) client.send('to all')
      for (const [n, page] of tabs.entries())
        for (const id of [`${n}a`, `${n}b`]) await rendered(page, id, 'open', 'to all')
      await second.evaluate(() => window.harness.send('1b', 'from the second tab'))
      expect(await endpoint.receivedCount(1)).toEqual(['from the second tab'])
      expect(endpoint.connections).toBe(1)
    })
  })
