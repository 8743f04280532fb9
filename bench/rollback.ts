// An operator's rollback at fleet size (docs/failure-path.md#pacing): 2,000 followsocket clients in their own
// process on two plain `ws` servers, A and B. Every client is moved A → B with moveClients (4308,
// spread over 1 s); 2 s after that move began, the move is rolled back, B → A, spread over 1 s.
// The move back goes to a URL each connection left since it was last healthy: a further step,
// so it waits one back-off and is followed, never refused ("a rollback loses nobody"). Before
// that rule every client ended `closed` with REDIRECT_LOOP. Everything is counted at the servers.
// `npm run rollback` runs it alone and replaces its section of bench/results.md; `npm run bench`
// runs it with the rest.
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { cpus, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { connect, type Connection, type WebSocketConstructor } from 'followsocket'
import WebSocket, { WebSocketServer } from 'ws'
// bench/ does not depend on @followsocket/server: its source, as the fleet's backends use it.
import { moveClients } from '../packages/server/src'
import { until } from '../packages/server/test/fleet/roll'
import { writeSection } from './fleet'

export const ROLLBACK_TITLE = '## Rollback (A → B → A)'

const SPREAD_MS = 1000
// The scenario's gap: the rollback starts this long after the move to B began.
const GAP_MS = 2000
// The library's default: a connection open this long counts as healthy (docs/failure-path.md#pacing).
const MIN_UPTIME_MS = 5000
const ROOT = fileURLToPath(new URL('../', import.meta.url))
const SELF = fileURLToPath(import.meta.url)
// Both processes stamp events on the wall clock, so the clients' reports line up with the servers'.
const now = () => performance.timeOrigin + performance.now()

/** To the clients' process. */
type ClientsCommand = { t: 'stop' }
/** What the clients' process saw, handed over when it stops. */
interface Tally {
  /** Open connections by where they point (resolvedUrl). */
  openAt: Record<string, number>
  /** Every connection's state, counted. */
  states: Record<string, number>
  errors: { code: string; at: number }[]
  reconnecting: { attempt: number; delayMs: number; at: number }[]
}
/** From the clients' process. */
type ClientsReport =
  /** Every client is open and has been for MIN_UPTIME_MS: healthy. */
  | { t: 'settled' }
  /** A connection ended `closed` without being asked to (it will not come back). */
  | { t: 'closed' }
  | { t: 'error'; code: string }
  | ({ t: 'tally' } & Tally)

/** One `ws` server, counting what a user of it would: handshakes (when), open clients, plain GETs. */
interface Endpoint {
  url: string
  wss: WebSocketServer
  http: Server
  handshakes: number[]
  preflights: number
}

const listen = (changed: () => void): Promise<Endpoint> => {
  const http = createServer((_, res) => {
    // A preflight would end here: counted, so the run can say none happened.
    endpoint.preflights++
    res.writeHead(426, { upgrade: 'websocket' }).end()
  })
  const wss = new WebSocketServer({ server: http })
  const endpoint: Endpoint = { url: '', wss, http, handshakes: [], preflights: 0 }
  wss.on('connection', (ws) => {
    endpoint.handshakes.push(now())
    // `ws` drops the client from wss.clients before this runs: the counts are current.
    ws.on('close', changed)
    changed()
  })
  // A backlog as deep as the fleet, so its first connects are not dropped SYNs and retries.
  return new Promise((done) =>
    http.listen(0, '127.0.0.1', 4096, () =>
      done(Object.assign(endpoint, { url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}/live` })),
    ),
  )
}

/** The machine's CPU time so far, all cores: idle and in all. */
const cpuTimes = () =>
  cpus().reduce(
    (t, { times }) => ({
      idle: t.idle + times.idle,
      total: t.total + times.user + times.nice + times.sys + times.idle + times.irq,
    }),
    { idle: 0, total: 0 },
  )

export interface StepResult {
  step: string
  /** Clients moveClients sent a close frame. */
  moved: number
  /** Clients open at the target once the step ended. */
  arrived: number
  /** From the step's start to the last handshake at its target. */
  lastOpenMs: number
  /** The most handshakes the target accepted in one 100 ms slot from the step's start. */
  peakPer100ms: number
  /** Handshakes at the target over lastOpenMs, per second. */
  perSecond: number
}

export interface RollbackResult {
  clients: number
  steps: StepResult[]
  /** Handshakes each server accepted: to connect, in the move, in the rollback. */
  handshakes: { A: number[]; B: number[] }
  tally: Tally
  preflights: number
  /** The share of the machine's CPU time busy from the move's start to the last client back (this run and anything else). */
  busy: number
  /** Clients of B still on their way there when the rollback began (none expected). */
  notAtBWhenRolledBack: number
}

export async function measureRollback(count: number, log: (line: string) => void = () => {}): Promise<RollbackResult> {
  // Conditions on the servers' counts, asked again on every change (no polling).
  const waiters = new Set<() => void>()
  const changed = () => {
    for (const waiter of waiters) waiter()
  }
  const when = (check: () => boolean, what: string, timeoutMs = 60_000) =>
    new Promise<void>((done, fail) => {
      const waiter = () => {
        if (!check()) return
        waiters.delete(waiter)
        clearTimeout(timer)
        done()
      }
      // A deadline only for a failure, so a missing client fails the run instead of hanging it.
      const timer = setTimeout(() => {
        waiters.delete(waiter)
        fail(new Error(`rollback: timed out waiting for ${what}`))
      }, timeoutMs)
      waiters.add(waiter)
      waiter()
    })

  const [a, b] = await Promise.all([listen(changed), listen(changed)])
  let clients: ChildProcess | undefined
  try {
    let closed = 0
    const errors = new Map<string, number>()
    clients = spawn(process.execPath, ['--conditions=@followsocket/source', '--import', 'tsx', SELF], {
      cwd: ROOT,
      env: { ...process.env, ROLLBACK_URL: a.url, ROLLBACK_CLIENTS: String(count) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    clients.on('message', (m: ClientsReport) => {
      if (m.t === 'closed') closed++
      if (m.t === 'error') errors.set(m.code, (errors.get(m.code) ?? 0) + 1)
      changed()
    })
    const settled = until<ClientsReport>(clients, (m) => m.t === 'settled', 'every client to open and settle')
    await when(() => a.wss.clients.size === count, `${count} clients open at A`)
    log(`${count} clients open at A; waiting until they are healthy (${MIN_UPTIME_MS} ms open)`)
    await settled

    const cpu0 = cpuTimes()
    const t0 = now()
    const toB = moveClients(a.wss.clients, b.url, { spreadMs: SPREAD_MS })
    // The one fixed wait: the scenario's gap between the move and its rollback.
    await new Promise((done) => setTimeout(done, t0 + GAP_MS - now()))
    const t1 = now()
    const atB = b.wss.clients.size
    const back = moveClients(b.wss.clients, a.url, { spreadMs: SPREAD_MS })
    const { moved: movedToB } = await toB
    log(`move A → B: ${movedToB} moved, ${atB} open at B when the rollback began ${Math.round(t1 - t0)} ms after it`)
    const { moved: movedBack } = await back
    // Every client moved back open at A, or given up (closed: it will not come); and every client
    // somewhere: one still on its way to B when the rollback began was not moved back, and stays.
    const backAtA = () => a.handshakes.filter((at) => at >= t1).length
    await when(
      () => backAtA() + closed >= movedBack && a.wss.clients.size + b.wss.clients.size + closed >= count,
      'every client back at A',
    )
    const cpu1 = cpuTimes()
    log(
      `rollback B → A: ${movedBack} moved, ${a.wss.clients.size} open at A, ${b.wss.clients.size} at B, ${closed} closed, errors ${JSON.stringify(Object.fromEntries(errors))}`,
    )

    const step = (
      name: string,
      to: Endpoint,
      start: number,
      end: number,
      moved: number,
      arrived: number,
    ): StepResult => {
      const opens = to.handshakes.filter((at) => at >= start && at < end)
      const slots = new Map<number, number>()
      for (const at of opens)
        slots.set(Math.floor((at - start) / 100), (slots.get(Math.floor((at - start) / 100)) ?? 0) + 1)
      const lastOpenMs = Math.max(0, ...opens.map((at) => at - start))
      return {
        step: name,
        moved,
        arrived,
        lastOpenMs,
        peakPer100ms: Math.max(0, ...slots.values()),
        perSecond: lastOpenMs ? (opens.length / lastOpenMs) * 1000 : 0,
      }
    }
    const steps = [
      step('move A → B', b, t0, t1, movedToB, atB),
      step('rollback B → A', a, t1, Infinity, movedBack, a.wss.clients.size),
    ]
    const phases = (e: Endpoint) => [
      e.handshakes.filter((at) => at < t0).length,
      e.handshakes.filter((at) => at >= t0 && at < t1).length,
      e.handshakes.filter((at) => at >= t1).length,
    ]

    const stopped = until<ClientsReport & { t: 'tally' }>(clients, (m) => m.t === 'tally', 'the clients to stop')
    const exited = new Promise((done) => clients!.once('exit', done))
    clients.send({ t: 'stop' } satisfies ClientsCommand)
    const { t: _, ...tally } = await stopped
    await exited
    // Where the clients' sockets point, said as the servers' names.
    const name = (url: string) => (url === a.url ? 'A' : url === b.url ? 'B' : url)
    tally.openAt = Object.fromEntries(Object.entries(tally.openAt).map(([url, n]) => [name(url), n]))
    return {
      clients: count,
      steps,
      handshakes: { A: phases(a), B: phases(b) },
      tally,
      preflights: a.preflights + b.preflights,
      notAtBWhenRolledBack: movedToB - atB,
      busy: 1 - (cpu1.idle - cpu0.idle) / (cpu1.total - cpu0.total),
    }
  } finally {
    if (clients?.exitCode === null) clients.kill()
    for (const e of [a, b]) {
      e.wss.close()
      e.http.closeAllConnections()
      e.http.close()
    }
  }
}

const sum = (xs: number[]) => xs.reduce((total, x) => total + x, 0)
const tallied = (codes: string[]) => {
  const by = new Map<string, number>()
  for (const code of codes) by.set(code, (by.get(code) ?? 0) + 1)
  return by.size ? [...by].map(([code, n]) => `${n} × ${code}`).join(', ') : 'none'
}

/** The section of bench/results.md, printed line by line as it goes. */
export async function rollback(clients: number): Promise<string> {
  // Timings depend on how busy the machine is: say how busy it was.
  const load = loadavg()[0]!.toFixed(1)
  const r = await measureRollback(clients, (line) => console.log(`  ${line}`))
  const { tally } = r
  const ideal = (clients / (SPREAD_MS / 100)).toFixed(1)
  const delays = tally.reconnecting.map((x) => x.delayMs)
  const row = (s: StepResult) =>
    `| ${s.step} | ${s.moved} | ${s.arrived} | ${Math.round(s.lastOpenMs)} ms | ${s.peakPer100ms} (${ideal}) | ${Math.round(s.perSecond)} |`
  const server = (name: 'A' | 'B') => `| ${name} | ${sum(r.handshakes[name])} | ${r.handshakes[name].join(' | ')} |`
  const where =
    Object.entries(tally.openAt)
      .map(([at, n]) => `${n} at ${at}`)
      .join(', ') || 'none anywhere'
  return [
    ROLLBACK_TITLE,
    '',
    `${clients} followsocket clients in Node, two \`ws\` servers A and B; every client moved A → B and, ${GAP_MS} ms after that move began, rolled back B → A, each move spread over ${SPREAD_MS} ms; ${cpus().length} cores, load average ${load} at the start, the CPU ${Math.round(r.busy * 100)} % busy during the moves (this run and anything else on the machine).`,
    '',
    '| step | clients moved | open at the target after | last open | peak handshakes / 100 ms at the target (ideal) | handshakes/s at the target, overall |',
    '|---|---:|---:|---:|---:|---:|',
    ...r.steps.map(row),
    '',
    '| server | handshakes in all | to connect | in the move A → B | in the rollback B → A |',
    '|---|---:|---:|---:|---:|',
    server('A'),
    server('B'),
    '',
    `Every client connects to A and stays open ${MIN_UPTIME_MS} ms (healthy, docs/failure-path.md#pacing); \`moveClients\` then closes each with 4308 and B's URL. ` +
      "The move to B is each connection's first step since it was healthy, so it is followed at once; the move back goes to a URL the connection left since, " +
      "so it waits one back-off (0–500 ms with the defaults) and is followed. The clients run in their own process, with the library's defaults; everything is counted at the servers. " +
      "Last open: from the step's first close to the last handshake at its target. Peak: the most handshakes the target accepted in one 100 ms slot from the step's start; " +
      "ideal: clients / the spread in 100 ms slots; overall: the step's handshakes over its last open. " +
      `At the end: ${where} (of ${clients}); ${tally.states.closed ?? 0} \`closed\`; client errors: ${tallied(tally.errors.map((e) => e.code))}; ` +
      `\`reconnecting\` events: ${tally.reconnecting.length}${delays.length ? ` (waits ${Math.round(Math.min(...delays))}–${Math.round(Math.max(...delays))} ms)` : ''}; ` +
      `still on the way to B when the rollback began (so not moved back): ${r.notAtBWhenRolledBack}; preflight GETs: ${r.preflights}.`,
  ].join('\n')
}

/**
 * The clients' side, in a process of its own (one event loop must not serve both sides, or the
 * servers' counts would carry the clients' CPU): `count` connections to A with the library's
 * defaults, reporting what only they can see.
 */
const runClients = (url: string, count: number) => {
  const say = (message: ClientsReport, then: () => void = () => {}) => process.send!(message, then)
  let stopping = false
  let openNow = 0
  const openedAt: number[] = new Array(count).fill(Infinity)
  const errors: Tally['errors'] = []
  const reconnecting: Tally['reconnecting'] = []
  let settled = false
  let settleTimer: ReturnType<typeof setTimeout> | undefined
  // Once every client is open and the last one opened MIN_UPTIME_MS ago; asked again on each open.
  const settle = () => {
    if (settled || openNow < count) return
    clearTimeout(settleTimer)
    const left = Math.max(...openedAt) + MIN_UPTIME_MS - now()
    if (left > 0) settleTimer = setTimeout(settle, left)
    else {
      settled = true
      say({ t: 'settled' })
    }
  }
  const connections: Connection[] = Array.from({ length: count }, (_, i) => {
    const c = connect(url, { WebSocket: WebSocket as unknown as WebSocketConstructor })
    c.on('open', () => {
      openNow++
      openedAt[i] = now()
      settle()
    })
    c.on('close', () => void openNow--)
    c.on('reconnecting', ({ attempt, delayMs }) => void reconnecting.push({ attempt, delayMs, at: now() }))
    c.on('error', (error) => {
      errors.push({ code: error.code, at: now() })
      say({ t: 'error', code: error.code })
    })
    c.on('state', (state) => {
      if (state === 'closed' && !stopping) say({ t: 'closed' })
    })
    return c
  })
  process.on('message', (command: ClientsCommand) => {
    if (command.t !== 'stop') return
    stopping = true
    clearTimeout(settleTimer)
    const openAt: Record<string, number> = {}
    const states: Record<string, number> = {}
    for (const c of connections) {
      states[c.state] = (states[c.state] ?? 0) + 1
      if (c.state === 'open') openAt[c.resolvedUrl!] = (openAt[c.resolvedUrl!] ?? 0) + 1
    }
    // close() is final and prompt (docs/failure-path.md#close): the process exits once the sockets are gone.
    for (const c of connections) c.close()
    say({ t: 'tally', openAt, states, errors, reconnecting }, () => process.disconnect())
  })
}

if (process.argv[1] === SELF) {
  if (process.env.ROLLBACK_URL) runClients(process.env.ROLLBACK_URL, Number(process.env.ROLLBACK_CLIENTS))
  else {
    const section = await rollback(process.argv.includes('--quick') ? 200 : 2000)
    console.log(`\n${section}`)
    writeSection(fileURLToPath(new URL('results.md', import.meta.url)), section)
    console.log('\nwrote bench/results.md')
  }
}
