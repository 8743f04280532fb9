// `followsocket` command line (packages/core/README.md#is-my-server-ready): `followsocket doctor
// <url> …`. Parses arguments, runs the doctor, prints the report and exits 0 when a browser page
// will connect, 1 when it will not, 2 for bad usage. Node only: no browser entry imports anything
// under src/cli.
import { parseArgs } from 'node:util'
import { isFollowSocketError } from '../errors'
import { version } from '../index'
import { doctor } from './doctor'
import { loadCa } from './http'
import { render, wantsColor } from './report'

const USAGE =
  'usage: followsocket doctor <url> [--origin <page origin>] [--credentials] [--json] [--insecure | --ca <file>]'

const HELP = `${USAGE}

Checks whether browsers using followsocket can follow the redirects of a WebSocket endpoint:
walks <url> as a page's preflight GET and as a WebSocket upgrade, hop by hop, and says what a
page will do, with the lines to change when it fails.

  <url>                  the endpoint as pages connect to it (ws:, wss:, http: or https:)
  --origin <origin>      the page's origin, e.g. https://app.example.com (default: the endpoint's own)
  --credentials          the page sets preflight: { credentials: 'include' }
  --json                 print the report as one JSON document
  --insecure             accept any TLS certificate (a throw-away self-signed one)
  --ca <file>            trust the PEM certificate(s) in <file> besides the system's
  -h, --help             this help
  -v, --version          followsocket's version

Exit status: 0 a browser page will connect, 1 it will not, 2 bad usage.
`

class Usage extends Error {}

/** A page origin as browsers send it: scheme://host[:port], or null (an opaque origin). */
const pageOrigin = (value: string): string => {
  if (value === 'null') return value
  const url = URL.canParse(value) ? new URL(value) : undefined
  if (!url || !/^https?:$/.test(url.protocol))
    throw new Usage(`--origin ${value} is not an origin: write scheme://host[:port], e.g. https://app.example.com`)
  return url.origin
}

const run = async (argv: string[]): Promise<number> => {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        origin: { type: 'string' },
        credentials: { type: 'boolean' },
        json: { type: 'boolean' },
        insecure: { type: 'boolean' },
        ca: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    })
  } catch (error) {
    throw new Usage((error as Error).message)
  }
  const { values, positionals } = parsed
  if (values.help) {
    process.stdout.write(HELP)
    return 0
  }
  if (values.version) {
    process.stdout.write(`${version}\n`)
    return 0
  }
  const [command, url, ...extra] = positionals
  if (command === undefined) throw new Usage('a command is missing')
  if (command !== 'doctor') throw new Usage(`unknown command ${command}`)
  if (url === undefined) throw new Usage('doctor needs the endpoint URL')
  if (extra.length) throw new Usage(`unexpected argument ${extra[0]}`)
  let ca: string | undefined
  if (values.ca !== undefined)
    try {
      ca = loadCa(values.ca)
    } catch (error) {
      throw new Usage(`--ca ${values.ca}: ${(error as Error).message}`)
    }
  let report
  try {
    report = await doctor({
      url,
      ...(values.origin !== undefined && { origin: pageOrigin(values.origin) }),
      credentials: values.credentials === true,
      tls: { insecure: values.insecure === true, ...(ca !== undefined && { ca }) },
    })
  } catch (error) {
    // A URL that is not one is a usage mistake; anything else is a bug worth its stack.
    if (isFollowSocketError(error) && error.code === 'INVALID_URL')
      throw new Usage(`${url} is not a ws(s): or http(s): URL`)
    throw error
  }
  process.stdout.write(
    values.json ? `${JSON.stringify(report, null, 2)}\n` : render(report, wantsColor(process.stdout, process.env)),
  )
  return report.verdict.connects ? 0 : 1
}

process.exitCode = await run(process.argv.slice(2)).catch((error) => {
  if (!(error instanceof Usage)) throw error
  process.stderr.write(`followsocket: ${error.message}\n${USAGE}\n`)
  return 2
})
