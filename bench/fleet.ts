// The rolling deploy behind a real HAProxy (packages/server's README recipe) at fleet size:
// 1,000 followsocket clients in their own process, three backends, each restarted in turn.
// `npm run fleet` runs it alone and replaces its section of bench/results.md; `npm run bench`
// runs it with the rest.
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { HAPROXY } from '@followsocket/lab/haproxy'
import { rollingDeploy, rollTable } from '../packages/server/test/fleet/roll'

export const FLEET_TITLE = '## Rolling deploy behind HAProxy'

/** The section of bench/results.md, printed line by line as it goes. */
export async function fleet(clients: number, windowMs = 2000): Promise<string> {
  if (!HAPROXY) return `${FLEET_TITLE}\n\nNot measured: haproxy is not installed (.ci/run installs it on Debian).`
  const version = execFileSync(HAPROXY, ['-v'], { encoding: 'utf8' })
    .split('\n')[0]!
    .replace(/ - https.*/, '')
  // The peaks depend on how busy the machine is (a late timer closes a batch at once, a busy
  // backend accepts a batch at once): say how busy it was.
  const load = loadavg()[0]!.toFixed(1)
  const result = await rollingDeploy({ clients, windowMs, log: (line) => console.log(`  ${line}`) })
  return [
    FLEET_TITLE,
    '',
    `${clients} followsocket clients in Node, 3 backends, each drained over ${windowMs} ms in turn; ${cpus().length} cores, load average ${load} at the start.`,
    '',
    rollTable(result),
    '',
    `${version}, \`balance leastconn\`, the server README's configuration. Each backend is drained through the runtime API, then sent SIGTERM: ` +
      `\`drainClients\` closes its clients with 1012 spread over ${windowMs} ms and it exits once every closing handshake is done; it starts again and goes back into rotation. ` +
      'The clients run in their own process; everything is counted at the backends. Recovery: from the first close to the last moved client open on another backend ' +
      "(the window plus the clients' first back-off wait, 0–500 ms). Peak: the most new connections the other backends accepted in one 100 ms slot; ideal: clients moved / window in 100 ms slots. " +
      `Lost and duplicated: of the 3 numbered messages each client sent during each step, spread over the window. Client errors: ${result.errors.length}.`,
  ].join('\n')
}

/**
 * Replaces (or appends) a section of results.md: the one whose heading is `section`'s first line.
 * Shared by the benches that run alone (npm run fleet, rollback, soak) and replace only their own.
 */
export const writeSection = (file: string, section: string) => {
  const text = readFileSync(file, 'utf8')
  const start = text.indexOf(`${section.split('\n', 1)[0]}\n`)
  const end = start < 0 ? -1 : text.indexOf('\n## ', start + 1)
  const next =
    start < 0
      ? `${text.trimEnd()}\n\n${section}\n`
      : `${text.slice(0, start)}${section}\n${end < 0 ? '' : text.slice(end)}`
  writeFileSync(file, next)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const section = await fleet(process.argv.includes('--quick') ? 200 : 1000)
  console.log(`\n${section}`)
  writeSection(fileURLToPath(new URL('results.md', import.meta.url)), section)
  console.log('\nwrote bench/results.md')
}
