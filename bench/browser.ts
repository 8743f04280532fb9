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
  small: number
  large: number
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
      .end('<!doctype html><script src="/dist/followsocket.iife.js"></script><script src="/peers.js"></script><script src="/bench/page.js"></script>'),
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
  const counts: Record<Opener, { get: number; upgrade: number }> = Object.fromEntries(ways.map((w) => [w, { get: 0, upgrade: 0 }])) as never
  try {
    // Warm the page's cache for 'cached'.
    await page.evaluate((url) => (window as any).openOnce('cached', url, url), lab.ws('/v1/live'))
    for (let round = 0; round < rounds; round++) {
      for (const way of ways) {
        const before = lab.requests.length
        times[way].push(
          await page.evaluate(([way, moved, final]) => (window as any).openOnce(way, moved, final), [way, lab.ws('/v1/live'), lab.ws('/v2/live')]),
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
 * Echo throughput in messages per second: `small` = 20 000 messages of 32 bytes, `large` =
 * 400 binary frames of 64 KiB; each the median of `rounds` rounds, clients interleaved.
 */
export async function throughput(rounds = 5): Promise<ThroughputResult[]> {
  const { lab, page, close } = await startBenchPage()
  lab.endpoint('/echo')
  const clients: Client[] = ['raw', 'followsocket', 'partysocket', 'reconnecting-websocket']
  const small: Record<Client, number[]> = { raw: [], followsocket: [], partysocket: [], 'reconnecting-websocket': [] }
  const large: Record<Client, number[]> = { raw: [], followsocket: [], partysocket: [], 'reconnecting-websocket': [] }
  try {
    for (let round = 0; round < rounds; round++) {
      for (const client of clients) {
        for (const [kind, count, size] of [['small', 20_000, 32], ['large', 400, 65_536]] as const) {
          const rate = await page.evaluate(
            ([client, url, count, size, binary]) => (window as any).echoRate(client, url, count, size, binary),
            [client, lab.ws('/echo'), count, size, kind === 'large'] as const,
          )
          ;(kind === 'small' ? small : large)[client].push(rate)
        }
      }
    }
  } finally {
    await close()
  }
  return clients.map((name) => ({ name, small: median(small[name]), large: median(large[name]) }))
}
