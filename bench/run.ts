// `npm run bench`: every benchmark in one run, printed side by side with the peers and written
// to bench/results.md and bench/results.svg (which the README shows).
import { writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { measureSizes } from './size.mjs'
import { openLatency, throughput } from './browser'
import { storm } from './storm'
import { chart } from './chart'

const here = dirname(fileURLToPath(import.meta.url))
const quick = process.argv.includes('--quick')
const kb = (bytes: number) => `${(bytes / 1024).toFixed(2)} KB`
const ms = (x: number) => `${x.toFixed(1)} ms`
const lines: string[] = []
const out = (line = '') => {
  console.log(line)
  lines.push(line)
}

out('# followsocket benchmarks')
out()
out(`${new Date().toISOString().slice(0, 10)} · Node ${process.version} · ${cpus().length} × ${cpus()[0]?.model.trim()} · all servers on 127.0.0.1${quick ? ' · quick run' : ''}`)

out('\n## Size (one bundler: rolldown; minified; comments stripped; gzip -9)\n')
const sizes = await measureSizes()
out('| import | minified | min+gzip | × followsocket connect |\n|---|---:|---:|---:|')
for (const r of sizes) out(`| ${r.name} | ${kb(r.minified)} | ${kb(r.gzip)} | ${(r.gzip / sizes[0]!.gzip).toFixed(2)} |`)

out('\n## Open latency in Chromium (median and p90 over interleaved opens)\n')
const latency = await openLatency(quick ? 30 : 150)
const raw = latency[0]!.medianMs
out('| open | median | p90 | × raw | preflight GETs / upgrades per open |\n|---|---:|---:|---:|---:|')
for (const r of latency) out(`| ${r.name} | ${ms(r.medianMs)} | ${ms(r.p90Ms)} | ${(r.medianMs / raw).toFixed(2)} | ${r.perOpen.get} / ${r.perOpen.upgrade} |`)
out('\nA preflight with `redirect: \'follow\'` requests each URL of the chain once: the moved URL and the final one (2 GETs for one 308).')

out('\n## Echo throughput in Chromium (messages per second, median of rounds)\n')
const rates = await throughput(quick ? 2 : 5)
const rawRate = rates[0]!
out('| client | 32 B text | × raw | 64 KiB binary | × raw |\n|---|---:|---:|---:|---:|')
for (const r of rates)
  out(`| ${r.name} | ${Math.round(r.small)} | ${(r.small / rawRate.small).toFixed(2)} | ${Math.round(r.large)} | ${(r.large / rawRate.large).toFixed(2)} |`)

out('\n## Reconnect storm in Node (clients and server in one process on this machine)\n')
const storms = await storm(quick ? 300 : 1000)
out('| scenario | clients | recovery | peak new connections/s | preflight GETs | lost | duplicated |\n|---|---:|---:|---:|---:|---:|---:|')
for (const r of storms) out(`| ${r.scenario} | ${r.clients} | ${r.recoveryMs} ms | ${r.peakPerSecond} | ${r.preflights} | ${r.lost} | ${r.duplicated} |`)

writeFileSync(join(here, 'results.md'), lines.join('\n') + '\n')
writeFileSync(join(here, 'results.svg'), chart(sizes, latency, rates))
console.log(`\nwrote bench/results.md and bench/results.svg`)
