// What the devtools cost a busy connection (docs/devtools.md#size): echo throughput in Chromium of
// one followsocket connection, with no devtools and with the panel open, the connection inspected
// and every message logged, interleaved round by round. The bar: at least 0.9 of the throughput
// without. `npx tsx bench/devtools.ts` runs it alone and replaces its section of bench/results.md;
// `npm run bench` runs it with the rest.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { rolldown } from 'rolldown'
import { startBenchPage } from './browser'
import { writeSection } from './fleet'

export const DEVTOOLS_TITLE = '## Devtools: throughput with the panel open'

/** The built devtools as a script the bench page loads (window.FollowSocketDevtools). */
async function devtoolsScript(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'fs-bench-devtools-'))
  try {
    const entry = join(dir, 'entry.js')
    const dist = fileURLToPath(new URL('../packages/devtools/dist/devtools.js', import.meta.url))
    writeFileSync(
      entry,
      `import { mountDevtools, inspect } from ${JSON.stringify(dist)}\nwindow.FollowSocketDevtools = { mountDevtools, inspect }\n`,
    )
    const build = await rolldown({ input: entry, logLevel: 'silent', platform: 'browser' })
    const { output } = await build.generate({ format: 'iife', minify: true })
    return output[0].code
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

// In the page: one connection to the echo endpoint, open for the whole benchmark. Before a
// watched run the panel is mounted, open, and the connection passed to inspect(); after it both go
// away again, so a run without is a page without the devtools. echo() is page.js's echo.
const PAGE_SIDE = `
window.openEcho = function (url) {
  return new Promise(function (done) {
    var c = FollowSocket.connect(url, { cache: false })
    c.waiting = null
    c.on('message', function (event) {
      window.lastData = event.data
      if (c.waiting && --c.waiting.left === 0) c.waiting.done()
    })
    c.on('open', function () {
      window.echoConnection = c
      done()
    })
  })
}
window.echo = function (watched, count, size, binary) {
  var c = window.echoConnection
  var payload = binary ? new Uint8Array(size).fill(7).buffer : 'x'.repeat(size)
  var stop = function () {}
  if (watched) {
    var unmount = FollowSocketDevtools.mountDevtools()
    var unwatch = FollowSocketDevtools.inspect(c, { name: 'echo' })
    document.querySelector('followsocket-devtools').open = true
    stop = function () {
      var root = document.querySelector('followsocket-devtools').shadowRoot
      window.shown = { counts: root.querySelector('[data-field="counts"]').textContent, rows: root.querySelectorAll('[data-field="log"] li').length }
      unwatch()
      unmount()
    }
  }
  return new Promise(function (done) {
    // Two frames: the panel drawn before the clock starts.
    requestAnimationFrame(function () {
      requestAnimationFrame(function () {
        var start = performance.now()
        c.waiting = {
          left: count,
          done: function () {
            var rate = count / ((performance.now() - start) / 1000)
            c.waiting = null
            stop()
            done(rate)
          },
        }
        for (var i = 0; i < count; i++) c.send(payload)
      })
    })
  })
}`

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

export async function devtoolsThroughput(rounds = 15): Promise<string> {
  const load = loadavg()[0]!.toFixed(1)
  const { lab, page, close } = await startBenchPage()
  lab.endpoint('/echo')
  const kinds = [
    ['32 B text', 10_000, 32, false],
    ['64 KiB binary', 1_000, 65_536, true],
  ] as const
  const rates = kinds.map(() => ({ without: [] as number[], watched: [] as number[], ratios: [] as number[] }))
  let shown = { counts: '', rows: 0 }
  try {
    await page.addScriptTag({ content: await devtoolsScript() })
    await page.addScriptTag({ content: PAGE_SIDE })
    await page.evaluate((url) => (window as any).openEcho(url), lab.ws('/echo'))
    for (let round = 0; round < rounds; round++)
      for (const [k, [, count, size, binary]] of kinds.entries()) {
        const rate = { without: 0, watched: 0 }
        // Which runs first alternates, so neither always follows a GC.
        for (const watched of round % 2 ? [true, false] : [false, true])
          rate[watched ? 'watched' : 'without'] = await page.evaluate(
            ([watched, count, size, binary]) => (window as any).echo(watched, count, size, binary),
            [watched, count, size, binary] as const,
          )
        rates[k]!.without.push(rate.without)
        rates[k]!.watched.push(rate.watched)
        rates[k]!.ratios.push(rate.watched / rate.without)
      }
    shown = await page.evaluate(() => (window as any).shown)
  } finally {
    await close()
  }
  const rows = kinds.map(
    ([name, count], k) =>
      `| echo, ${name} (${count} messages a run) | ${Math.round(median(rates[k]!.without))} | ${Math.round(median(rates[k]!.watched))} | ${median(rates[k]!.ratios).toFixed(2)} |`,
  )
  return [
    DEVTOOLS_TITLE,
    '',
    `One followsocket connection in Chromium echoing through the lab's \`ws\` server, open for the whole run; each round runs it once without the devtools and once watched, in alternating order: messages per second, the median of ${rounds} rounds, and the median of the rounds' ratios; ${cpus().length} cores, load average ${load} at the start.`,
    '',
    '| run | without the devtools | watched: panel open, every message logged | × without |',
    '|---|---:|---:|---:|',
    ...rows,
    '',
    `"Watched": \`mountDevtools()\` with the panel open and the connection passed to \`inspect()\`, so every message in and out goes through the recorder (its size and a preview into the log, which keeps 500) and the panel redraws the connection's card and log rows as it does for a person watching (as the last watched run ended, its counts line read "${shown.counts}", a redraw behind, and it showed ${shown.rows} log rows). "Without": the panel unmounted and the connection not inspected, as in a page that never loaded the devtools. The bar is 0.9 (docs/devtools.md#size). The page's main thread is idle about half of an echo run (a CPU profile of it): the server, in the same Node process as the browser's driver, sets the pace, and on a loaded machine two identical connections in one page, neither watched, differed by up to 20 % (an A/A run): read the ratio with that in mind.`,
  ].join('\n')
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const section = await devtoolsThroughput(Number(process.env.ROUNDS ?? 15))
  console.log(section)
  writeSection(fileURLToPath(new URL('results.md', import.meta.url)), section)
  console.log('\nwrote bench/results.md')
}
