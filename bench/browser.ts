// Open latency and message throughput in real Chromium against a local `ws` server (the lab):
// raw WebSocket, followsocket, partysocket and reconnecting-websocket, measured in one run,
// interleaved round by round so drift on a busy machine hits every client alike.
import { chromium, type Page } from '@playwright/test'
import { startLab, type Lab } from '@followsocket/lab'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { rolldown } from 'rolldown'
import { chromiumArgs, chromiumPath } from '../scripts/browser.mjs'

const here = dirname(fileURLToPath(import.meta.url))

/** The peers, bundled once into a script the bench page loads (window.peers). */
async function peersScript(): Promise<string> {
  const build = await rolldown({
    input: join(here, 'peers.entry.js'),
    logLevel: 'silent',
    platform: 'browser',
  })
  const { output } = await build.generate({ format: 'iife', minify: true })
  return output[0].code
}

export interface LatencyResult {
  name: string
  medianMs: number
  p90Ms: number
  /** Requests the server saw per open: preflight GETs (one per URL of the chain) and upgrades. */
  perOpen: { get: number; upgrade: number }
}

export interface ThroughputResult {
  name: string
  burstSmall: number
  burstLarge: number
  echoSmall: number
  echoLarge: number
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)]!

export async function startBenchPage(): Promise<{ lab: Lab; page: Page; close: () => Promise<void> }> {
  const lab = await startLab()
  const peers = await peersScript()
  lab.serve('/dist/', join(here, '../packages/core/dist'))
  lab.serve('/bench/', here)
  lab.route('/peers.js', (_req, res) => res.writeHead(200, { 'content-type': 'text/javascript' }).end(peers))
  lab.route('/', (_req, res) =>
    res
      .writeHead(200, { 'content-type': 'text/html' })
      .end(
        '<!doctype html><script src="/dist/followsocket.iife.js"></script><script src="/peers.js"></script><script src="/bench/page.js"></script>',
      ),
  )
  const executablePath = chromiumPath()
  const browser = await chromium.launch({ args: chromiumArgs, ...(executablePath ? { executablePath } : {}) })
  const page = await browser.newPage()
  await page.goto(lab.http('/'))
  return {
    lab,
    page,
    close: async () => {
      await browser.close()
      await lab.close()
    },
  }
}

type Opener = 'raw' | 'direct' | 'auto' | 'preflight' | 'cached'

/** Median time from construction to `open`, per way of opening, over `rounds` interleaved rounds. */
export async function openLatency(rounds = 150): Promise<LatencyResult[]> {
  const { lab, page, close } = await startBenchPage()
  lab.endpoint('/v2/live')
  lab.redirect('/v1/live', lab.ws('/v2/live'))
  const ways: Opener[] = ['raw', 'direct', 'auto', 'preflight', 'cached']
  const names: Record<Opener, string> = {
    raw: 'raw WebSocket to the final URL',
    direct: 'followsocket, no redirect',
    auto: "followsocket, cold 308, discovery 'auto'",
    preflight: "followsocket, cold 308, discovery 'preflight'",
    cached: 'followsocket, 308 with a cached resolution',
  }
  const times: Record<Opener, number[]> = { raw: [], direct: [], auto: [], preflight: [], cached: [] }
  const counts: Record<Opener, { get: number; upgrade: number }> = Object.fromEntries(
    ways.map((w) => [w, { get: 0, upgrade: 0 }]),
  ) as never
  try {
    // Warm the page's cache for 'cached'.
    await page.evaluate((url) => (window as any).openOnce('cached', url, url), lab.ws('/v1/live'))
    for (let round = 0; round < rounds; round++) {
      for (const way of ways) {
        const before = lab.requests.length
        times[way].push(
          await page.evaluate(
            ([way, moved, final]) => (window as any).openOnce(way, moved, final),
            [way, lab.ws('/v1/live'), lab.ws('/v2/live')],
          ),
        )
        for (const r of lab.requests.slice(before)) if (r.kind !== 'other') counts[way][r.kind]++
      }
    }
  } finally {
    await close()
  }
  return ways.map((way) => ({
    name: names[way],
    medianMs: median(times[way]),
    p90Ms: p90(times[way]),
    perOpen: { get: counts[way].get / rounds, upgrade: counts[way].upgrade / rounds },
  }))
}

type Client = 'raw' | 'followsocket' | 'partysocket' | 'reconnecting-websocket'

/**
 * Message throughput in messages per second, each the median of `rounds` interleaved rounds:
 * `burst*`: the server sends a burst back to back and the client counts it in (the client's
 * receive path is the bottleneck: what the ≥ 0.95 × raw bar of docs/budgets.md#speed is about); `echo*`: the client
 * sends and waits for every echo (the server in this process is the bottleneck).
 * Small = 32-byte text messages, large = 64 KiB binary frames.
 */
export async function throughput(rounds = 5): Promise<ThroughputResult[]> {
  const { lab, page, close } = await startBenchPage()
  lab.endpoint('/echo')
  const payloads = new Map<string, Buffer>()
  lab.endpoint('/burst', {
    echo: false,
    onMessage(ws, data) {
      const [, count, size, binary] = data.toString().split(':')
      const key = `${size}:${binary}`
      const payload = payloads.get(key) ?? Buffer.alloc(Number(size), 120)
      payloads.set(key, payload)
      for (let i = 0; i < Number(count); i++) ws.send(payload, { binary: binary === '1' })
    },
  })
  const clients: Client[] = ['raw', 'followsocket', 'partysocket', 'reconnecting-websocket']
  const kinds = [
    ['burstSmall', 'burstRate', '/burst', 50_000, 32, false],
    ['burstLarge', 'burstRate', '/burst', 1_000, 65_536, true],
    ['echoSmall', 'echoRate', '/echo', 10_000, 32, false],
    ['echoLarge', 'echoRate', '/echo', 300, 65_536, true],
  ] as const
  const rates = Object.fromEntries(
    clients.map((c) => [c, Object.fromEntries(kinds.map(([k]) => [k, [] as number[]]))]),
  ) as Record<Client, Record<(typeof kinds)[number][0], number[]>>
  try {
    for (let round = 0; round < rounds; round++)
      // The order rotates every round, so no client always runs first (or right after a GC).
      for (const [kind, fn, path, count, size, binary] of kinds)
        for (const client of [...clients.slice(round % clients.length), ...clients.slice(0, round % clients.length)])
          rates[client][kind].push(
            await page.evaluate(
              ([fn, client, url, count, size, binary]) => (window as any)[fn](client, url, count, size, binary),
              [fn, client, lab.ws(path), count, size, binary] as const,
            ),
          )
  } finally {
    await close()
  }
  return clients.map((name) => ({
    name,
    burstSmall: median(rates[name].burstSmall),
    burstLarge: median(rates[name].burstLarge),
    echoSmall: median(rates[name].echoSmall),
    echoLarge: median(rates[name].echoLarge),
  }))
}

/**
 * CPU time per received message (µs) for each client: the median, over `rounds` rounds, of 10^6
 * MessageEvents dispatched on the real underlying socket (page.js dispatchCost). Stable where the
 * burst rates are not.
 */
export async function receiveCost(rounds = 5): Promise<{ name: Client; us: number }[]> {
  const { lab, page, close } = await startBenchPage()
  lab.endpoint('/echo')
  const clients: Client[] = ['raw', 'followsocket', 'partysocket', 'reconnecting-websocket']
  const costs = Object.fromEntries(clients.map((c) => [c, [] as number[]])) as Record<Client, number[]>
  try {
    for (let round = 0; round < rounds; round++)
      for (const client of clients)
        costs[client].push(
          await page.evaluate(([client, url]) => (window as any).dispatchCost(client, url, 1_000_000), [
            client,
            lab.ws('/echo'),
          ] as const),
        )
  } finally {
    await close()
  }
  return clients.map((name) => ({ name, us: median(costs[name]) }))
}
