import { startFaultProxy, type FaultProxy } from '@followsocket/lab/faults'
import { test, expect } from './fixtures'
import { installRecorder } from './recorder'

// The network misbehaving in Chromium, through the lab's fault proxy (a real TCP proxy, another
// origin for the page).

let proxy: FaultProxy | undefined
test.afterEach(async () => {
  await proxy?.close()
  proxy = undefined
})

const BACKOFF = { minDelayMs: 50, maxDelayMs: 200, jitter: 'none' } as const

test.describe('network faults in Chromium', () => {
  test('half-open: the heartbeat finds the dead socket, queued messages go out once, in order, after it recovers', async ({
    app,
    lab,
  }) => {
    // A healthy server answers each ping, so only the blackhole can stop the replies; what the
    // app sent is kept apart from the heartbeat's traffic.
    const sent: string[] = []
    let all: () => void
    const allThree = new Promise<void>((done) => (all = done))
    lab.endpoint('/live', {
      echo: false,
      onMessage: (ws, data) => {
        if (`${data}` === 'ping') return ws.send('pong')
        sent.push(`${data}`)
        if (sent.length === 3) all()
      },
    })
    proxy = await startFaultProxy({ port: lab.port })
    await installRecorder(app)
    await app.evaluate(
      async ({ url, BACKOFF }) => {
        window.rec.connect('c', url, {
          cache: false,
          reconnect: BACKOFF,
          // Long enough that a loaded machine's pong is never late: only the blackhole stops them.
          heartbeat: { intervalMs: 250, timeoutMs: 250 },
        })
        await window.rec.next('c', 'open')
      },
      { url: proxy.ws('/live'), BACKOFF },
    )
    const mark = await app.evaluate(() => window.rec.log.length)
    proxy.set({ kind: 'blackhole' })
    const error = await app.evaluate(async (mark) => (await window.rec.next('c', 'error', mark)).payload, mark)
    expect(error).toMatchObject({ code: 'HEARTBEAT_TIMEOUT' })
    // Staying down: every new connection is reset as soon as it speaks.
    proxy.set({ kind: 'reset' })
    const buffered = await app.evaluate(() => {
      for (const text of ['a', 'b', 'c']) window.rec.conns.c!.send(text)
      return window.rec.conns.c!.buffered
    })
    expect(buffered).toBe(3)
    proxy.set({ kind: 'none' })
    await allThree
    expect(sent).toEqual(['a', 'b', 'c'])
    await app.evaluate(() => window.rec.conns.c!.close())
  })

  test('close() against a server that never answers the closing handshake reaches closed within about a second', async ({
    app,
    lab,
  }) => {
    lab.endpoint('/live')
    proxy = await startFaultProxy({ port: lab.port })
    await installRecorder(app)
    await app.evaluate(async (url) => {
      window.rec.connect('c', url, { cache: false })
      await window.rec.next('c', 'open')
    }, proxy.ws('/live'))
    proxy.set({ kind: 'blackhole' })
    const { close, state, ms } = await app.evaluate(async () => {
      const mark = window.rec.log.length
      const started = performance.now()
      window.rec.conns.c!.close()
      const state = window.rec.conns.c!.state
      const close = (await window.rec.next('c', 'close', mark)).payload
      return { close, state, ms: performance.now() - started }
    })
    console.log(`close() against a silent server: closed after ${Math.round(ms)} ms`)
    // Chromium alone would hold the socket (and the state) for a minute.
    expect(state).toBe('closing')
    expect(close).toMatchObject({ code: 1006, wasClean: false, willReconnect: false })
    expect(await app.evaluate(() => window.rec.conns.c!.state)).toBe('closed')
    expect(ms).toBeGreaterThanOrEqual(900)
    expect(ms).toBeLessThan(3000)
  })

  test('connections reset as soon as they speak: at most one handshake and one preflight per attempt', async ({
    app,
    lab,
  }) => {
    lab.endpoint('/live')
    proxy = await startFaultProxy({ port: lab.port })
    proxy.set({ kind: 'reset' })
    await installRecorder(app)
    const attempts = await app.evaluate(
      async ({ url, BACKOFF }) => {
        window.rec.connect('c', url, { cache: false, reconnect: { ...BACKOFF, maxRetries: 3 } })
        await window.rec.next('c', 'error', 0, { code: 'RETRIES_EXHAUSTED' })
        return window.rec.since(0, 'c', 'reconnecting').length
      },
      { url: proxy.ws('/live'), BACKOFF },
    )
    expect(attempts).toBe(3)
    // Each attempt: the handshake, then the preflight and the browser's no-cors probe on the first
    // attempt of the streak only. Chromium may retry a reset request once on a fresh connection.
    console.log(`reset: ${proxy.accepted} TCP connections for 4 attempts`)
    expect(proxy.accepted).toBeLessThanOrEqual(4 * 3 + 2)
  })
})
