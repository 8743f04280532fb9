import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { createComeBackLater } from '@followsocket/server'
import type { Page } from '@playwright/test'
import { freePort, type Lab } from '@followsocket/lab'
import { test, expect } from './fixtures'
import { installRecorder } from './recorder'

// Failure diagnosis (docs/diagnosis.md) in Chromium: the page sees only error + close 1006 for any
// failed handshake; the client reads what the endpoint answered from its preflight GET, names the
// status, and waits as long as a 429/503 asked (Retry-After), cross-origin too when the answer
// exposes the header.

/** A server on another origin that answers every GET and upgrade with `answer`, timing each request. */
const startServer = async (answer: {
  request(req: IncomingMessage, res: any): void
  upgrade(req: IncomingMessage, socket: Duplex): void
}) => {
  const seen: { kind: 'get' | 'upgrade'; at: number }[] = []
  const server: Server = createServer((req, res) => {
    seen.push({ kind: 'get', at: performance.now() })
    answer.request(req, res)
  })
  server.on('upgrade', (req, socket) => {
    seen.push({ kind: 'upgrade', at: performance.now() })
    answer.upgrade(req, socket)
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as { port: number }
  return {
    url: `ws://127.0.0.1:${port}/live`,
    seen,
    count: (kind: 'get' | 'upgrade') => seen.filter((r) => r.kind === kind).length,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections()
        server.close(() => done())
      }),
  }
}

let server: Awaited<ReturnType<typeof startServer>> | undefined
test.afterEach(async () => {
  await server?.close()
  server = undefined
})

// The wait the client adds of its own, on top of the server's: no jitter, so figures are exact.
const BACKOFF = { minDelayMs: 100, maxDelayMs: 100, jitter: 'none' } as const

/** Connects 'c' to `url` with that back-off and returns its first `reconnecting` payload. */
const firstWait = async (app: Page, url: string) => {
  await installRecorder(app)
  return app.evaluate(
    async ({ url, BACKOFF }) => {
      window.rec.connect('c', url, { cache: false, reconnect: BACKOFF })
      return (await window.rec.next('c', 'reconnecting')).payload
    },
    { url, BACKOFF },
  )
}

test.describe('failure diagnosis in Chromium (docs/diagnosis.md)', () => {
  test("cross-origin 503 + Retry-After from createComeBackLater: the client's next attempt comes after the server's wait", async ({
    app,
    lab,
  }) => {
    server = await startServer(createComeBackLater({ retryAfter: 2, origins: [lab.origin] }))
    const wait = await firstWait(app, server.url)
    // The handshake failed (the page saw only 1006), the preflight GET read the 503 and its
    // Retry-After, exposed to this origin by the helper.
    expect(wait.error).toMatchObject({
      code: 'HANDSHAKE_FAILED',
      status: 503,
      retryAfterMs: 2000,
      message: `${server.url} answered 503: the server asks to come back in 2 s`,
    })
    expect(wait.delayMs).toBe(2100)
    expect([server.count('upgrade'), server.count('get')]).toEqual([1, 1])

    // At the server: the next attempt's upgrade arrives 2 s or more after the GET that asked.
    await expect.poll(() => server!.count('upgrade'), { timeout: 10_000 }).toBe(2)
    const told = server.seen.find((r) => r.kind === 'get')!.at
    const next = server.seen.filter((r) => r.kind === 'upgrade')[1]!.at
    console.log(`Retry-After 2 s: the next upgrade came ${Math.round(next - told)} ms after the GET that asked`)
    expect(next - told).toBeGreaterThanOrEqual(2000)
    await app.evaluate(() => window.rec.conns.c!.close())
  })

  test('without Access-Control-Expose-Headers the page cannot read Retry-After: the status, and the back-off alone', async ({
    app,
    lab,
  }) => {
    const headers = { 'retry-after': '2', 'access-control-allow-origin': lab.origin, 'content-length': '0' }
    server = await startServer({
      request: (_req, res) => res.writeHead(503, headers).end(),
      upgrade: (_req, socket) =>
        socket.end('HTTP/1.1 503 Service Unavailable\r\nRetry-After: 2\r\nContent-Length: 0\r\n\r\n'),
    })
    const wait = await firstWait(app, server.url)
    expect(wait.error).toMatchObject({
      code: 'HANDSHAKE_FAILED',
      status: 503,
      retryAfterMs: undefined,
      message: `${server.url} answered 503`,
    })
    expect(wait.delayMs).toBe(100)
    await app.evaluate(() => window.rec.conns.c!.close())
  })

  for (const status of [401, 404])
    test(`a same-origin ${status} is HANDSHAKE_FAILED with status ${status}, not "is it up?"`, async ({ app, lab }) => {
      lab.status('/live', status)
      await installRecorder(app)
      const error = await app.evaluate(async (url) => {
        window.rec.connect('c', url, { cache: false, reconnect: false })
        return (await window.rec.next('c', 'error')).payload
      }, lab.ws('/live'))
      expect(error).toMatchObject({ code: 'HANDSHAKE_FAILED', status, retryAfterMs: undefined })
      expect(error.message).toMatch(new RegExp(`^${lab.ws('/live')} answered ${status}: `))
      expect([lab.count('/live', 'upgrade'), lab.count('/live', 'get')]).toEqual([1, 1])
    })

  test.describe('in a page far from GMT', () => {
    test.use({ timezoneId: 'America/New_York' })

    test('Retry-After as an HTTP-date in each of its three forms: IMF-fixdate, rfc850, asctime (GMT)', async ({
      app,
      lab,
    }) => {
      // asctime names no zone, and means GMT all the same: a page in another zone must not shift it.
      expect(await app.evaluate(() => new Date().getTimezoneOffset())).not.toBe(0)
      // Ten minutes from now, to the second, in each form.
      const [weekday, day, month, year, time] = new Date(Date.now() + 600_000).toUTCString().split(' ')
      const long = new Date(Date.now() + 600_000).toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' })
      const forms = {
        'IMF-fixdate': `${weekday} ${day} ${month} ${year} ${time} GMT`,
        rfc850: `${long}, ${day}-${month}-${year!.slice(2)} ${time} GMT`,
        asctime: `${weekday!.slice(0, 3)} ${month} ${String(+day!).padStart(2)} ${time} ${year}`,
      }
      for (const [form, date] of Object.entries(forms)) {
        const path = `/later-${form}`
        lab.status(path, 503, { headers: { 'retry-after': date } })
        await installRecorder(app)
        const wait = await app.evaluate(
          async ({ url, BACKOFF }) => {
            window.rec.connect('c', url, { cache: false, reconnect: BACKOFF })
            const { payload } = await window.rec.next('c', 'reconnecting')
            window.rec.conns.c!.close()
            return payload
          },
          { url: lab.ws(path), BACKOFF },
        )
        console.log(`Retry-After: ${date} (${form}): retryAfterMs ${wait.error.retryAfterMs}`)
        expect(wait.error).toMatchObject({ code: 'HANDSHAKE_FAILED', status: 503 })
        // Whole seconds, read a moment after they were written.
        expect(wait.error.retryAfterMs).toBeGreaterThan(590_000)
        expect(wait.error.retryAfterMs).toBeLessThanOrEqual(600_000)
      }
    })
  })

  test('page-lifecycle events do not cut a wait the server asked for short; reconnect() does', async ({ app, lab }) => {
    lab.status('/live', 503, { headers: { 'retry-after': '3600' } })
    await installRecorder(app)
    const states = await app.evaluate(
      async ({ url, BACKOFF }) => {
        window.rec.connect('c', url, { cache: false, reconnect: BACKOFF })
        const wait = (await window.rec.next('c', 'reconnecting')).payload
        const c = window.rec.conns.c!
        // Each of these would start the next attempt at once (synchronously) during a back-off
        // wait of the client's own (lifecycle.spec.ts); the state shows whether one started.
        dispatchEvent(new Event('online'))
        document.dispatchEvent(new Event('visibilitychange', { bubbles: true }))
        dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }))
        const afterEvents = c.state
        c.reconnect()
        return { delayMs: wait.delayMs, afterEvents, afterReconnect: c.state }
      },
      { url: lab.ws('/live'), BACKOFF },
    )
    expect(states).toEqual({ delayMs: 3_600_100, afterEvents: 'reconnecting', afterReconnect: 'connecting' })
    await expect.poll(() => lab.count('/live', 'upgrade')).toBe(2)
    await app.evaluate(() => window.rec.conns.c!.close())
  })
})

test('a redirect loop is probed on the first attempt of a failure streak only: each later attempt costs one handshake and one chain', async ({
  app,
  lab,
}) => {
  lab.redirect('/live', lab.ws('/loop'))
  lab.redirect('/loop', lab.ws('/live'))
  await installRecorder(app)
  const codes = await app.evaluate(async (url) => {
    window.rec.connect('c', url, {
      cache: false,
      reconnect: { minDelayMs: 100, maxDelayMs: 100, jitter: 'none', maxRetries: 1 },
    })
    await window.rec.next('c', 'error', 0, { code: 'RETRIES_EXHAUSTED' })
    return window.rec.since(0, 'c', 'error').map((error) => (error.payload as { code: string }).code)
  }, lab.ws('/live'))
  expect(codes).toEqual(['HANDSHAKE_FAILED', 'HANDSHAKE_FAILED', 'RETRIES_EXHAUSTED'])
  // At /live, the first attempt: the chain (11 of its 21 GETs), the 'manual' probe, the 'follow'
  // probe (11 more); the second: the chain alone.
  expect([lab.count('/live', 'upgrade'), lab.count('/live', 'get')]).toEqual([2, 23 + 11])
})

// The browser's probe runs under the preflight's signals: what cuts it short says nothing about the server.
for (const cut of ['close()', 'the preflight timeout'] as const)
  test(`${cut} during the probe leaves no verdict behind: the next connection is told what the probe finds`, async ({
    app,
  }) => {
    // Cross-origin, answering every GET without CORS; the first 'no-cors' probe is held.
    let held: (() => void) | undefined
    server = await startServer({
      request(req, res) {
        if (req.headers['sec-fetch-mode'] === 'no-cors' && !held) held = () => res.writeHead(200).end()
        else res.writeHead(200).end()
      },
      upgrade: (_req, socket) => socket.end('HTTP/1.1 426 Upgrade Required\r\nContent-Length: 0\r\n\r\n'),
    })
    await installRecorder(app)
    // Room for the GET and the probe to start on a busy machine; the timeout case waits it out.
    const options = { cache: false, reconnect: false, preflight: { timeoutMs: 3000 } } as const
    await app.evaluate(({ url, options }) => window.rec.connect('a', url, options), { url: server.url, options })
    await expect.poll(() => held !== undefined).toBe(true)
    if (cut === 'close()') await app.evaluate(() => window.rec.conns.a!.close())
    else {
      const error = await app.evaluate(async () => (await window.rec.next('a', 'error')).payload as { code: string })
      expect(error.code).toBe('DISCOVERY_TIMEOUT')
    }
    held!()
    const error = await app.evaluate(
      async ({ url, options }) => {
        window.rec.connect('b', url, options)
        return (await window.rec.next('b', 'error')).payload as { code: string; message: string }
      },
      { url: server.url, options },
    )
    expect(error.code).toBe('DISCOVERY_BLOCKED')
    expect(server.count('upgrade')).toBe(2)
  })

// One attempt per failure kind (reconnect: false), in Chromium: what the page is told, and what
// the attempt cost at the server. Same-origin rows use the page's lab; the cross-origin ones another.
test.describe('each failure kind in Chromium: the error and the requests of one attempt', () => {
  const rows: string[] = []
  test.afterAll(() =>
    console.log(
      ['| failure | code | status | message | upgrades | GETs |', '|---|---|---|---|---:|---:|', ...rows].join('\n'),
    ),
  )

  // `answer` sets up what /live answers on the server of that case (`at`), with `other` another origin.
  const status = (code: number, headers?: Record<string, string>, cors?: false) => (at: Lab) =>
    at.status('/live', code, { headers, cors })
  type Case = {
    name: string
    cross?: boolean
    answer?: (at: Lab, other: Lab) => void | Promise<void>
    protocols?: string
    code: string
    status?: number
    message?: RegExp
    upgrades: number
    gets: number
  }
  const NOWHERE =
    /^Nothing answers at \S+, or its redirects lead nowhere \(a loop, over 20 redirects, a target that is down\): run npx followsocket doctor /
  const cases: Case[] = [
    { name: 'nothing listens (another port)', code: 'HANDSHAKE_FAILED', message: NOWHERE, upgrades: 0, gets: 0 },
    {
      name: '403 without CORS (cross-origin)',
      cross: true,
      answer: status(403, {}, false),
      code: 'DISCOVERY_BLOCKED',
      message:
        /answers but does not let this page read it: send Access-Control-Allow-Origin: http:\/\/127\.0\.0\.1:\d+ on every hop$/,
      upgrades: 1,
      gets: 2,
    },
    {
      name: 'a 308 loop (same-origin)',
      answer: (at) => {
        at.redirect('/live', at.ws('/loop'))
        at.redirect('/loop', at.ws('/live'))
      },
      code: 'HANDSHAKE_FAILED',
      message: NOWHERE,
      upgrades: 1,
      gets: 23,
    },
    {
      name: 'a 308 to a host that is down (same-origin)',
      answer: async (at) => at.redirect('/live', `ws://127.0.0.1:${await freePort()}/live`),
      code: 'HANDSHAKE_FAILED',
      message: NOWHERE,
      upgrades: 1,
      gets: 3,
    },
    {
      name: "a 308 to another origin's 403 without CORS (same-origin start)",
      answer: (at, other) => {
        other.status('/live', 403, { cors: false })
        at.redirect('/live', other.ws('/live'))
      },
      code: 'DISCOVERY_BLOCKED',
      upgrades: 1,
      gets: 3,
    },
    ...[401, 403, 404, 410, 500].map((code) => ({
      name: `${code}`,
      answer: status(code),
      code: 'HANDSHAKE_FAILED',
      status: code,
      upgrades: 1,
      gets: 1,
    })),
    ...[429, 503].map((code) => ({
      name: `${code} + Retry-After: 30`,
      answer: status(code, { 'retry-after': '30' }),
      code: 'HANDSHAKE_FAILED',
      status: code,
      upgrades: 1,
      gets: 1,
    })),
    {
      name: '503 + Retry-After: 30 (cross-origin, exposed)',
      cross: true,
      answer: status(503, { 'retry-after': '30' }),
      code: 'HANDSHAKE_FAILED',
      status: 503,
      upgrades: 1,
      gets: 1,
    },
    {
      name: 'a WebSocket endpoint, wrong subprotocol',
      answer: (at) => void at.endpoint('/live', { protocols: ['chat.v2'] }),
      protocols: 'chat.v1',
      code: 'HANDSHAKE_FAILED',
      status: 426,
      upgrades: 1,
      gets: 1,
    },
  ]
  for (const c of cases)
    test(c.name, async ({ app, lab, other }) => {
      const at = c.cross ? other : lab
      await c.answer?.(at, c.cross ? lab : other)
      const url = c.answer ? at.ws('/live') : `ws://127.0.0.1:${await freePort()}/live`
      await installRecorder(app)
      const error = await app.evaluate(
        async ({ url, protocols }) => {
          window.rec.connect('c', url, { cache: false, reconnect: false, ...(protocols ? { protocols } : {}) })
          return (await window.rec.next('c', 'error')).payload
        },
        { url, protocols: c.protocols },
      )
      expect(error).toMatchObject({ code: c.code, status: c.status })
      if (c.message) expect(error.message).toMatch(c.message)
      const counts = [at.count('/live', 'upgrade'), at.count('/live', 'get')]
      expect(counts).toEqual([c.upgrades, c.gets])
      rows.push(
        `| ${c.name} | ${error.code} | ${error.status ?? '—'} | ${String(error.message).replace(url, '<url>')} | ${counts[0]} | ${counts[1]} |`,
      )
    })
})
