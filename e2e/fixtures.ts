// One fresh demo backend per test (examples/server, imported: the same server `npm run demo`
// runs) on free ports, and a page of one of the three example apps.
import { test as base, expect, type Locator, type Page } from '@playwright/test'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { startDemo, type Demo } from '../examples/server/src/demo'

export const APPS = ['vanilla', 'react', 'vue'] as const
export type AppName = (typeof APPS)[number]

/** What every app shows, found the way a person (or a screen reader) finds it. */
export interface App {
  page: Page
  /** The state pill: idle, connecting, open, reconnecting… */
  state: Locator
  /** The banner, an ARIA live region. */
  banner: Locator
  retryNow: Locator
  /** The resolved URL the app is connected to. */
  where: Locator
  ticks: Locator
  feed: Locator
  /** The feed's line for a message text. */
  message(text: string): Locator
  /** Types a chat message and sends it with Enter. */
  say(text: string): Promise<void>
}

export interface Fixtures {
  demo: Demo
  /** POST /api/<action> on the demo's control API (as the panel's buttons do). */
  control(action: string): Promise<void>
  /**
   * Opens an app at the demo's origin, or at `at` (a copy of it served elsewhere); fails the test
   * on any error thrown in the page.
   */
  open(name: AppName, at?: string): Promise<App>
}

/** A port from the OS; startDemo also needs the next two, so a clash means another try. */
export const freePort = () =>
  new Promise<number>((done, fail) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => done(port))
    })
    server.once('error', fail)
  })

async function startOnFreePorts(): Promise<Demo> {
  for (const app of ['react', 'vue'])
    if (!existsSync(new URL(`../examples/${app}/dist/index.html`, import.meta.url)))
      throw new Error(`examples/${app} is not built: run npm test, or pnpm --filter "./examples/*" run build`)
  for (let attempt = 1; ; attempt++) {
    try {
      return await startDemo({ port: await freePort() })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt === 10) throw error
    }
  }
}

export const test = base.extend<Fixtures>({
  demo: async ({}, use) => {
    const demo = await startOnFreePorts()
    await use(demo)
    await demo.close()
  },
  control: async ({ demo }, use) => {
    await use(async (action) => {
      const response = await fetch(`${demo.origin}/api/${action}`, { method: 'POST' })
      expect(response.ok, `POST /api/${action}`).toBe(true)
    })
  },
  open: async ({ page, demo }, use) => {
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(String(error)))
    // The demo never reaches the internet (the vanilla app's CDN <script> is served from the
    // workspace's build): a request that would leave this machine is refused and fails the test.
    // localhost is this machine too: a created app's dev server (Vite) prints its address so.
    const outside: string[] = []
    await page.context().route(
      (url) => url.hostname !== '127.0.0.1' && url.hostname !== 'localhost',
      (route) => {
        outside.push(route.request().url())
        return route.abort()
      },
    )
    await page.addInitScript(() => {
      addEventListener('unhandledrejection', (event) => {
        throw new Error(`unhandled rejection: ${String((event as PromiseRejectionEvent).reason)}`)
      })
    })
    await use(async (name, at) => {
      await page.goto(at ?? demo.apps[name])
      const feed = page.getByTestId('feed')
      return {
        page,
        state: page.getByTestId('state'),
        banner: page.getByRole('status'),
        retryNow: page.getByRole('button', { name: 'Retry now' }),
        where: page.getByTestId('where'),
        ticks: page.getByTestId('ticks'),
        feed,
        message: (text) => feed.getByRole('listitem').filter({ hasText: text }),
        async say(text) {
          await page.getByRole('textbox', { name: 'Message' }).fill(text)
          await page.getByRole('textbox', { name: 'Message' }).press('Enter')
        },
      }
    })
    expect(errors, 'errors thrown in the page').toEqual([])
    expect(outside, 'requests that would leave this machine').toEqual([])
  },
})

export { expect }
