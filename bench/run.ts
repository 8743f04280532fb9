// `npm run bench`: every benchmark in one run, printed side by side with the peers and written
// to bench/results.md and bench/results.svg (which the README shows).
import { readFileSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { measureSizes, sizeTable } from './size.mjs'
import { openLatency, receiveCost, throughput, type ThroughputResult } from './browser'
import { storm } from './storm'
import { chart } from './chart'
import { fleet, writeSection } from './fleet'
import { rollback } from './rollback'
import { devtoolsThroughput } from './devtools'

const here = dirname(fileURLToPath(import.meta.url))
const quick = process.argv.includes('--quick')
const ms = (x: number) => `${x.toFixed(1)} ms`
const lines: string[] = []
const out = (line = '') => {
  console.log(line)
  lines.push(line)
}

out('# followsocket benchmarks')
out()
out(
  `${new Date().toISOString().slice(0, 10)} · Node ${process.version} · ${cpus().length} × ${cpus()[0]?.model.trim()} · all servers on 127.0.0.1${quick ? ' · quick run' : ''}`,
)

out(
  '\n## Size (each import bundled with every dependency by esbuild and by rolldown; minified; comments stripped; gzip -9)\n',
)
const sizes = await measureSizes()
out(sizeTable(sizes))

out('\n## Open latency in Chromium (median and p90 over interleaved opens)\n')
const latency = await openLatency(quick ? 30 : 150)
const raw = latency[0]!.medianMs
out('| open | median | p90 | × raw | preflight GETs / upgrades per open |\n|---|---:|---:|---:|---:|')
for (const r of latency)
  out(
    `| ${r.name} | ${ms(r.medianMs)} | ${ms(r.p90Ms)} | ${(r.medianMs / raw).toFixed(2)} | ${r.perOpen.get} / ${r.perOpen.upgrade} |`,
  )
out(
  "\nA preflight with `redirect: 'follow'` requests each URL of the chain once: the moved URL and the final one (2 GETs for one 308).",
)

out('\n## Message throughput in Chromium (messages per second, median of rounds)\n')
const rates = await throughput(quick ? 2 : 9)
const rawRate = rates[0]!
const cell = (r: ThroughputResult, k: Exclude<keyof ThroughputResult, 'name'>) =>
  `${Math.round(r[k])} (${(r[k] / rawRate[k]).toFixed(2)})`
out(
  '| client | burst in, 32 B text (× raw) | burst in, 64 KiB binary (× raw) | echo, 32 B text (× raw) | echo, 64 KiB binary (× raw) |\n|---|---:|---:|---:|---:|',
)
for (const r of rates)
  out(
    `| ${r.name} | ${cell(r, 'burstSmall')} | ${cell(r, 'burstLarge')} | ${cell(r, 'echoSmall')} | ${cell(r, 'echoLarge')} |`,
  )
out(
  '\n"Burst in": the server writes a burst back to back and the client counts it in, so the client\'s receive path is what is measured. "Echo": every message goes to the server and back; the server, in this same Node process, is the bottleneck.',
)

const costs = await receiveCost(quick ? 2 : 5)
out(
  "\nCPU time per received message (10^6 MessageEvents dispatched on the open connection's real socket; median of rounds):\n",
)
out('| client | µs per message | × raw (as a rate) |\n|---|---:|---:|')
for (const c of costs) out(`| ${c.name} | ${c.us.toFixed(2)} | ${(costs[0]!.us / c.us).toFixed(2)} |`)

out('\n## Reconnect storm in Node (clients and server in one process on this machine)\n')
const storms = await storm(quick ? 300 : 1000)
out(
  '| scenario | clients | recovery | peak new connections/s | preflight GETs | lost | duplicated |\n|---|---:|---:|---:|---:|---:|---:|',
)
for (const r of storms)
  out(
    `| ${r.scenario} | ${r.clients} | ${r.recoveryMs} ms | ${r.peakPerSecond} | ${r.preflights} | ${r.lost} | ${r.duplicated} |`,
  )

out(`\n${await fleet(quick ? 200 : 1000)}`)

out(`\n${await rollback(quick ? 200 : 2000)}`)

out(`\n${await devtoolsThroughput(quick ? 2 : 15)}`)

// Sections of benches this run does not include (the soak: npm run soak) are kept as they were.
const results = join(here, 'results.md')
const before = readFileSync(results, 'utf8')
  .split(/\n(?=## )/)
  .slice(1)
const written = `${lines.join('\n')}\n`
writeFileSync(results, written)
for (const section of before)
  if (!written.includes(`\n${section.split('\n', 1)[0]}\n`)) writeSection(results, section.trimEnd())
writeFileSync(join(here, 'results.svg'), chart(sizes, latency, rates))
console.log(`\nwrote bench/results.md and bench/results.svg`)
