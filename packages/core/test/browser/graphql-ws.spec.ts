// graphql-ws 6's client in Chromium, bundled as an application ships it, with
// FollowSocket.FollowWebSocket from the <script> IIFE as its webSocketImpl; its own server
// (useServer) on the lab. Every preflight GET and upgrade is counted at the server. Issue 7, item 1.
import type { Page } from '@playwright/test'
import { test, expect } from './fixtures'
import { libraryBundles } from './bundles'
import { counts, graphqlEndpoint, moveAll, TICKS, type Tick } from '../integrations/servers'

/** What the page's graphql-ws client did. */
interface Watch {
  story: string[]
  ticks: Tick[]
  failure?: string
  /** Resolves once a tick from `at` numbered `n` or more arrived; rejects, with the story, after 10 s. */
  until(at: string, n: number): Promise<void>
  /** Resolves with the subscription's error, described. */
  failed(): Promise<string>
}

declare global {
  interface Window {
    watch: Watch
  }
}

/** Loads graphql-ws into the page and subscribes to the ticks at `url`. */
const subscribe = async (page: Page, url: string, impl: 'FollowWebSocket' | 'WebSocket', retryAttempts = 3) => {
  await page.addScriptTag({ url: new URL('/libraries/graphql-ws.js', page.url()).href })
  await page.evaluate(
    ({ url, impl, retryAttempts, query }) => {
      // Each wait is a condition checked on every event, with one deadline for the whole wait.
      const checks = new Set<() => boolean>()
      const wake = () => checks.forEach((check) => check() && checks.delete(check))
      const waitFor = (what: string, ready: () => boolean) =>
        new Promise<void>((done, fail) => {
          const check = () => {
            if (!ready()) return false
            clearTimeout(timer)
            done()
            return true
          }
          const timer = setTimeout(() => {
            checks.delete(check)
            fail(
              new Error(
                `no ${what} within 10 s: ${JSON.stringify({ story: watch.story, ticks: watch.ticks.length, last: watch.ticks.slice(-3), failure: watch.failure })}`,
              ),
            )
          }, 10_000)
          if (!check()) checks.add(check)
        })
      const watch: Watch = {
        story: [],
        ticks: [],
        async until(at, n) {
          const found = () => watch.ticks.some((tick) => tick.at === at && tick.n >= n)
          await waitFor(`tick ${n} from ${at}`, () => found() || watch.failure !== undefined)
          if (!found()) throw new Error(`subscription failed: ${watch.failure}`)
        },
        async failed() {
          await waitFor('failure', () => watch.failure !== undefined)
          return watch.failure!
        },
      }
      window.watch = watch
      const client = window.GraphQLWS.createClient({
        url,
        webSocketImpl: impl === 'FollowWebSocket' ? window.FollowSocket.FollowWebSocket : WebSocket,
        retryAttempts,
        shouldRetry: () => true,
        retryWait: async () => {},
        on: {
          connected: (socket: any) => watch.story.push(`connected:${socket.resolvedUrl ?? socket.url}`),
          closed: (event: any) => watch.story.push(`closed:${event.code}`),
        },
      })
      client.subscribe<{ ticks: Tick }>(
        { query },
        {
          next: (result) => {
            watch.ticks.push(result.data!.ticks)
            wake()
          },
          error: (error: any) => {
            watch.failure = `${error?.type ?? 'error'}${error?.code ? `:${error.code}` : ''}${error?.message ? `:${error.message}` : ''}`
            wake()
          },
          complete: wake,
        },
      )
    },
    { url, impl, retryAttempts, query: TICKS },
  )
}

test.describe('graphql-ws 6 through FollowWebSocket in Chromium', () => {
  test.beforeEach(async ({ lab }) => {
    lab.serve('/libraries/', await libraryBundles())
  })

  test('subscribes through a 308 after one preflight, and resumes at a 4308 move with no preflight', async ({
    app,
    lab,
  }) => {
    lab.redirect('/v1/graphql', lab.ws('/v2/graphql'))
    const second = graphqlEndpoint(lab, '/v2/graphql')
    graphqlEndpoint(lab, '/v3/graphql')
    await subscribe(app, lab.ws('/v1/graphql'), 'FollowWebSocket')

    // Phase 1: the direct handshake meets the 308 (Chromium hides it), the preflight finds v2.
    await app.evaluate(() => window.watch.until('/v2/graphql', 2))
    expect(counts(lab, '/v1/graphql', '/v2/graphql', '/v3/graphql')).toEqual({
      '/v1/graphql': { get: 1, upgrade: 1 },
      // The browser's fetch follows the redirect itself: the GET of the target is that.
      '/v2/graphql': { get: 1, upgrade: 1 },
      '/v3/graphql': { get: 0, upgrade: 0 },
    })

    // Phase 2: close 4308 + v3 on the server; graphql-ws's own retry resumes the subscription.
    expect(moveAll(second, lab.ws('/v3/graphql'))).toBe(1)
    await app.evaluate(() => window.watch.until('/v3/graphql', 2))
    const { story, ticks } = await app.evaluate(() => ({ story: window.watch.story, ticks: window.watch.ticks }))
    const first = ticks.findIndex((tick) => tick.at === '/v3/graphql')
    expect(ticks.slice(0, first).every((tick) => tick.at === '/v2/graphql')).toBe(true)
    expect(ticks.slice(first).every((tick) => tick.at === '/v3/graphql')).toBe(true)
    expect(story).toEqual([`connected:${lab.ws('/v2/graphql')}`, 'closed:4308', `connected:${lab.ws('/v3/graphql')}`])
    expect(counts(lab, '/v1/graphql', '/v2/graphql', '/v3/graphql')).toEqual({
      '/v1/graphql': { get: 1, upgrade: 1 },
      '/v2/graphql': { get: 1, upgrade: 1 },
      '/v3/graphql': { get: 0, upgrade: 1 },
    })
  })

  test("control: with the browser's own WebSocket the subscription fails at the 308 and never reaches the new location", async ({
    app,
    lab,
  }) => {
    lab.redirect('/v1/graphql', lab.ws('/v2/graphql'))
    graphqlEndpoint(lab, '/v2/graphql')
    await subscribe(app, lab.ws('/v1/graphql'), 'WebSocket', 2)
    // An error event, and nothing else: the page is not told about the 308.
    expect(await app.evaluate(() => window.watch.failed())).toBe('error')
    expect(await app.evaluate(() => window.watch.ticks)).toEqual([])
    // Chromium fires a failed socket's error and close events in separate tasks: graphql-ws opens
    // its retry on the error, then takes the late close for that retry's failure. So its last
    // socket can still be on its way to the server when the subscription fails; three sockets in
    // all (the first and two retries), each counted once it arrives.
    await expect
      .poll(() => counts(lab, '/v1/graphql', '/v2/graphql'))
      .toEqual({
        '/v1/graphql': { get: 0, upgrade: 3 },
        '/v2/graphql': { get: 0, upgrade: 0 },
      })
  })
})
