// Soak: nothing a connection does over and over may leave anything behind (docs/failure-path.md#close).
// Real `ws` servers of the lab on 127.0.0.1 close every connection right after it opened, or move
// it (4308) to a fresh URL; the client reconnects or follows, tens of thousands of times:
// - Node: 20,000 drops and reconnects (a close frame and an abrupt end in turn), and 20,000 moves
//   to /m/1, /m/2, … (reconnect.minUptimeMs 0: each move is the first step since the connection was
//   healthy, so it is followed at once, docs/failure-path.md#pacing). The client runs in a process
//   of its own (node --expose-gc): its heap after GC and its active timers and TCP handles at
//   1,000 cycles, halfway and at the end, and after close() (where the process must exit on its own).
// - Chromium: 5,000 drops and reconnects of the built IIFE; heap after GC through CDP, JS event
//   listeners, pending timers.
// - Chromium: 500 hand-overs of `followsocket/tabs` between two pages of one context.
// Every connection carries one numbered message, sent while the socket was not open (the send
// buffer, docs/connection.md#the-send-buffer), counted at the server: none may be lost or arrive
// twice. `npm run soak` runs it (`--quick` for a short run) and replaces its section of
// bench/results.md; packages/core/test/soak.test.ts runs a short version in CI.
import { spawn, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { cpus, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { startLab, type EndpointOptions, type Lab } from '@followsocket/lab'
import type { connect as Connect } from 'followsocket'
import type { Browser, Page } from '@playwright/test'
// bench/ does not depend on @followsocket/server: its source, as the rollback uses it.
import { moveClients } from '../packages/server/src'

export const SOAK_TITLE = '## Soak'

const SELF = fileURLToPath(import.meta.url)
const ROOT = fileURLToPath(new URL('../', import.meta.url))
// FOLLOWSOCKET_DIST serves another build's dist/, as the browser tests' fixtures do.
const DIST = process.env.FOLLOWSOCKET_DIST ?? fileURLToPath(new URL('../packages/core/dist/', import.meta.url))

export type SoakKind = 'drops' | 'moves'
/** A server-side socket of the lab (a `ws` WebSocket). */
type ServerSocket = Parameters<NonNullable<EndpointOptions['onConnection']>>[0]

/**
 * The client's options per scenario. Drops: a 1 ms back-off (the default minUptimeMs stays, so
 * the attempt counter climbs all the way). Moves: the default back-off, which a move followed at
 * once never waits (a `reconnecting` event would say it did).
 */
const SOAK_OPTIONS = {
  drops: { reconnect: { minDelayMs: 1, maxDelayMs: 1, jitter: 'none' } },
  moves: { reconnect: { minUptimeMs: 0 } },
} as const

/** What a soak client counted, in its own process or page. */
export interface SoakTally {
  opens: number
  /** Numbered messages sent, each while the socket was not open: 1…sent. */
  sent: number
  reconnecting: number
  redirects: number
  errors: Record<string, number>
}

/**
 * The client's side, the same in Node and in a page (where it is passed as source text: it uses
 * nothing but its arguments). Before the first open and at every `close`, it sends the next
 * numbered message, which the send buffer holds until the next socket opens; the message for an
 * open listed in `checkpoints` says `hold:`, and the server keeps that connection open until the
 * client was measured.
 */
const soakClient = (
  connect: typeof Connect,
  url: string,
  options: object,
  checkpoints: number[],
  onCheckpoint: (opens: number) => void = () => {},
) => {
  const connection = connect(url, options)
  const tally: SoakTally = { opens: 0, sent: 0, reconnecting: 0, redirects: 0, errors: {} }
  let closing = false
  const queue = () => {
    tally.sent++
    connection.send(checkpoints.includes(tally.opens + 1) ? `hold:${tally.sent}` : `${tally.sent}`)
  }
  connection.on('open', () => {
    tally.opens++
    if (checkpoints.includes(tally.opens)) onCheckpoint(tally.opens)
  })
  connection.on('close', () => closing || queue())
  connection.on('reconnecting', () => void tally.reconnecting++)
  connection.on('redirect', () => void tally.redirects++)
  connection.on('error', (error) => {
    tally.errors[error.code] = (tally.errors[error.code] ?? 0) + 1
  })
  queue()
  return {
    connection,
    tally,
    close: () => {
      closing = true
      connection.close()
    },
  }
}

interface SoakServer {
  /** Where the client connects first. */
  readonly url: string
  /** Connections accepted so far. */
  readonly connections: number
  /** Server-side sockets not closed yet. */
  readonly open: number
  /** Time spent cycling, holds left out (ms). */
  readonly cyclingMs: number
  /** Resolves once `check()` holds, asked again whenever a connection opens or closes; rejects after `timeoutMs`. */
  when(check: () => boolean, what: string, timeoutMs?: number): Promise<void>
  /** Of the numbered messages 1…sent: how many never arrived, and how many extra copies arrived. */
  tally(sent: number): { lost: number; duplicated: number }
}

/**
 * The server's side, on `lab`: each connection's first message is its numbered one; then the
 * server drops it (drops: a 1001 close frame and `terminate()` in turn) or moves it to the next
 * fresh path with moveClients (moves). For a `hold:` message it first awaits `hold(connection)`,
 * which says whether to go on (false: the connection stays open, the client closes it).
 */
function soakServer(
  lab: Lab,
  kind: SoakKind,
  hold: (connection: number) => Promise<boolean>,
  log: (line: string) => void = () => {},
): SoakServer {
  const arrivals: number[] = []
  const index = new WeakMap<ServerSocket, number>()
  const waiters = new Set<() => void>()
  const changed = () => {
    for (const waiter of [...waiters]) waiter()
  }
  let connections = 0
  let open = 0
  let startedAt = 0
  let heldMs = 0
  let failure: unknown
  const fail = (error: unknown) => {
    failure ??= error
    changed()
  }
  const path = (n: number) => (kind === 'drops' ? '/drops' : `/m/${n}`)
  const next = (ws: ServerSocket, k: number) => {
    if (ws.readyState !== ws.OPEN) return
    if (kind === 'drops') return k % 2 ? ws.close(1001, 'soak') : ws.terminate()
    // Connection k is at /m/(k - 1); it moves to /m/k, a path no connection has seen.
    lab.endpoint(path(k), handlers)
    lab.remove(path(k - 1))
    moveClients([ws], lab.ws(path(k))).catch(fail)
  }
  const handlers: EndpointOptions = {
    echo: false,
    onConnection: (ws) => {
      startedAt ||= performance.now()
      index.set(ws, ++connections)
      open++
      if (connections % 5000 === 0)
        log(`${kind}: ${connections} connections, ${((performance.now() - startedAt) / 1000).toFixed(1)} s`)
      ws.once('close', () => {
        open--
        changed()
      })
      changed()
    },
    onMessage: (ws, data) => {
      const [, held, n] = /^(hold:)?(\d+)$/.exec(data.toString()) ?? []
      if (!n) return
      arrivals[+n] = (arrivals[+n] ?? 0) + 1
      const k = index.get(ws)!
      if (!held) return next(ws, k)
      const heldAt = performance.now()
      hold(k).then((goOn) => {
        heldMs += performance.now() - heldAt
        if (goOn) next(ws, k)
        changed()
      }, fail)
    },
  }
  lab.endpoint(path(0), handlers)
  return {
    url: lab.ws(path(0)),
    get connections() {
      return connections
    },
    get open() {
      return open
    },
    get cyclingMs() {
      return performance.now() - startedAt - heldMs
    },
    when: (check, what, timeoutMs = 60_000) =>
      new Promise<void>((done, reject) => {
        const waiter = () => {
          if (failure) reject(failure)
          else if (!check()) return
          else done()
          waiters.delete(waiter)
          clearTimeout(timer)
        }
        // A deadline only for a failure, so a stuck soak fails instead of hanging.
        const timer = setTimeout(() => {
          waiters.delete(waiter)
          reject(new Error(`soak: timed out waiting for ${what}`))
        }, timeoutMs)
        waiters.add(waiter)
        waiter()
      }),
    tally(sent) {
      let lost = 0
      let arrived = 0
      for (let n = 1; n <= sent; n++) if (!arrivals[n]) lost++
      for (const times of arrivals) arrived += times ?? 0
      // Every arrival past one per number sent is a copy (of a number sent, or of nothing).
      return { lost, duplicated: arrived - (sent - lost) }
    },
  }
}

/** This process's active timers (Timeout, Immediate) and TCP handles, as `process.getActiveResourcesInfo()` lists them. */
const activeResources = () => {
  const all: Record<string, number> = {}
  for (const name of process.getActiveResourcesInfo()) all[name] = (all[name] ?? 0) + 1
  return {
    timers: (all.Timeout ?? 0) + (all.Immediate ?? 0),
    tcp: (all.TCPSocketWrap ?? 0) + (all.TCPServerWrap ?? 0),
    all,
  }
}

type Resources = ReturnType<typeof activeResources>
interface Measure {
  heap: number
  /** Of which V8's compiled code (code space), which grows as the hot paths get optimised. */
  code: number
  /** What the program's own objects take, from a heap snapshot (when asked): V8's code and its bookkeeping left out. */
  objects?: number
  resources: Resources
}

// The node types of a heap snapshot that are the program's values, as against V8's code, maps and
// other bookkeeping ('code', 'hidden', 'object shape'), which the JIT grows as it optimises.
const VALUES = [
  'object',
  'closure',
  'array',
  'string',
  'concatenated string',
  'sliced string',
  'number',
  'regexp',
  'symbol',
  'bigint',
]

/** The bytes the program's own values take in this process, from a heap snapshot. */
const valuesInHeap = async (): Promise<number> => {
  const [{ writeHeapSnapshot }, { readFileSync, rmSync }, { tmpdir }, { join }] = await Promise.all([
    import('node:v8'),
    import('node:fs'),
    import('node:os'),
    import('node:path'),
  ])
  const file = writeHeapSnapshot(join(tmpdir(), `soak-${process.pid}-${Date.now()}.heapsnapshot`))
  try {
    const {
      snapshot,
      nodes,
    }: { snapshot: { meta: { node_fields: string[]; node_types: [string[]] } }; nodes: number[] } = JSON.parse(
      readFileSync(file, 'utf8'),
    )
    const fields = snapshot.meta.node_fields
    const [type, size] = [fields.indexOf('type'), fields.indexOf('self_size')]
    const values = new Set(VALUES.map((name) => snapshot.meta.node_types[0].indexOf(name)))
    let bytes = 0
    for (let i = 0; i < nodes.length; i += fields.length) if (values.has(nodes[i + type]!)) bytes += nodes[i + size]!
    return bytes
  } finally {
    rmSync(file)
  }
}
/** What the client's process is asked to do. */
interface ClientConfig {
  url: string
  kind: SoakKind
  checkpoints: number[]
  /** Also weigh the program's values in a heap snapshot at each checkpoint (a second or so each). */
  snapshots: boolean
}
/** From the client's process to the bench. */
type ChildReport =
  | { t: 'checkpoint'; opens: number; at: Measure }
  | { t: 'closed'; resources: Resources; tally: SoakTally }

/**
 * The client's process: connects to `url`, reports its heap after GC and its active resources at
 * each checkpoint (in a task after `open`, so the queue went out), then at the last one calls
 * close(), reports what is still active once the state is `closed`, and lets go of the bench.
 */
const runNodeClient = async ({ url, kind, checkpoints, snapshots }: ClientConfig) => {
  const { connect } = await import('followsocket')
  // `ws`, as the lab's servers use it.
  const { NodeWebSocket: WebSocket } = await import('@followsocket/lab/testing')
  const { getHeapSpaceStatistics } = await import('node:v8')
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) throw new Error('soak: the client runs with node --expose-gc')
  const say = (report: ChildReport) => new Promise<void>((done) => process.send!(report, () => done()))
  const measure = async (): Promise<Measure> => {
    for (let i = 0; i < 3; i++) gc()
    const [heap, resources] = [process.memoryUsage().heapUsed, activeResources()]
    const code = getHeapSpaceStatistics().find((space) => space.space_name === 'code_space')?.space_used_size ?? 0
    return { heap, code, resources, ...(snapshots ? { objects: await valuesInHeap() } : {}) }
  }
  const last = checkpoints.at(-1)!
  const client = soakClient(connect, url, { WebSocket, ...SOAK_OPTIONS[kind] }, checkpoints, (opens) =>
    // An immediate is not counted while it runs (a timeout is): the counts are the connection's.
    setImmediate(async () => {
      await say({ t: 'checkpoint', opens, at: await measure() })
      if (opens < last) return
      const closed = new Promise<void>((done) => client.connection.on('state', (state) => state === 'closed' && done()))
      client.close()
      await closed
      setImmediate(async () => {
        await say({ t: 'closed', resources: activeResources(), tally: client.tally })
        process.disconnect()
      })
    }),
  )
}

/** One line of the table. */
export interface SoakRow {
  what: string
  runtime: string
  cycles: number
  /** Heap after GC at the first checkpoint and at the end (bytes). */
  heap: [number, number]
  /** Heap after GC halfway. */
  halfway: number
  /** Counts at the first checkpoint, at the end and after close(), e.g. timers and TCP handles. */
  counts: Record<string, [number, number, number]>
  messages: number
  lost: number
  duplicated: number
  /** Cycling time, holds left out (ms). */
  ms: number
  /** What else the run saw (client errors, how the process exited). */
  notes: string[]
  /** The bars this row missed. */
  missed: string[]
}

const GROWTH_BAR = 0.05
const growth = ([first, end]: [number, number]) => (end - first) / first

/** The bars every row is held to: heap, constant counts, nothing lost or twice. */
const bars = (row: Omit<SoakRow, 'missed'>, zeroAfterClose: string[]): string[] => {
  const missed: string[] = []
  if (growth(row.heap) > GROWTH_BAR) missed.push(`heap grew ${(growth(row.heap) * 100).toFixed(1)} %`)
  for (const [name, [first, end, after]] of Object.entries(row.counts)) {
    if (first !== end) missed.push(`${name} ${first} → ${end}`)
    if (zeroAfterClose.includes(name) && after !== 0) missed.push(`${after} ${name} after close()`)
  }
  if (row.lost) missed.push(`${row.lost} lost`)
  if (row.duplicated) missed.push(`${row.duplicated} duplicated`)
  return missed
}

/** Resolves with each IPC message of `child` in turn; rejects once it exits. */
const inbox = <M>(child: ChildProcess) => {
  const queue: M[] = []
  const waiting: { done: (m: M) => void; fail: (e: Error) => void }[] = []
  let exited: Error | undefined
  child.on('message', (m: M) => (waiting.length ? waiting.shift()!.done(m) : queue.push(m)))
  child.once('exit', (code) => {
    exited = new Error(`soak: the client's process exited (${code}) early`)
    for (const w of waiting.splice(0)) w.fail(exited)
  })
  return () =>
    queue.length
      ? Promise.resolve(queue.shift()!)
      : exited
        ? Promise.reject(exited)
        : new Promise<M>((done, fail) => waiting.push({ done, fail }))
}

/** Where a soak of `cycles` cycles is measured: after `first` (the reference), halfway and at the end (the open that follows each). */
const checkpointsOf = (cycles: number, first: number) => [first, Math.round(cycles / 2), cycles].map((n) => n + 1)

/** `cycles` drops or moves of one Node client in a process of its own, measured at `first` cycles, halfway and at the end. */
export async function nodeSoak(
  kind: SoakKind,
  cycles: number,
  first: number,
  { log = () => {}, snapshots = false }: { log?: (line: string) => void; snapshots?: boolean } = {},
): Promise<SoakRow & { tally: SoakTally; exitMs: number; values?: readonly [number, number, number] }> {
  const lab = await startLab()
  let child: ChildProcess | undefined
  try {
    const checkpoints = checkpointsOf(cycles, first)
    const measured: Measure[] = []
    let receive: () => Promise<ChildReport> = () => Promise.reject(new Error('soak: no client yet'))
    const server = soakServer(
      lab,
      kind,
      async () => {
        const report = await receive()
        if (report.t !== 'checkpoint') throw new Error(`soak: expected a checkpoint, got ${report.t}`)
        measured.push(report.at)
        log(
          `${kind}: ${report.opens - 1} cycles, heap ${mb(report.at.heap)}, ${JSON.stringify(report.at.resources.all)}`,
        )
        // After the last one, the client closes the connection itself.
        return measured.length < checkpoints.length
      },
      log,
    )
    child = spawn(process.execPath, ['--expose-gc', '--conditions=@followsocket/source', '--import', 'tsx', SELF], {
      cwd: ROOT,
      env: {
        ...process.env,
        SOAK_CLIENT: JSON.stringify({ url: server.url, kind, checkpoints, snapshots } satisfies ClientConfig),
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    receive = inbox<ChildReport>(child)
    const exit = new Promise<number>((done) => child!.once('exit', () => done(performance.now())))
    await server.when(() => measured.length === checkpoints.length, `${cycles} ${kind}`, cycles * 20 + 60_000)
    const ms = server.cyclingMs
    const closed = await receive()
    if (closed.t !== 'closed') throw new Error(`soak: expected the report after close(), got ${closed.t}`)
    const closedAt = performance.now()
    const exitMs = Math.round(
      (await Promise.race([exit, new Promise<number>((done) => setTimeout(done, 10_000, Infinity).unref())])) -
        closedAt,
    )
    await server.when(() => server.open === 0, 'the server to see every socket closed')
    const { lost, duplicated } = server.tally(closed.tally.sent)
    const [a, half, b] = measured as [Measure, Measure, Measure]
    const errors = Object.entries(closed.tally.errors).map(([code, n]) => `${n} × ${code}`)
    const row: Omit<SoakRow, 'missed'> = {
      what: kind === 'drops' ? 'drop and reconnect' : 'move (4308) to a fresh URL',
      runtime: `Node ${process.version}, ws ${createRequire(new URL('../lab/package.json', import.meta.url))('ws/package.json').version}`,
      cycles,
      heap: [a.heap, b.heap],
      halfway: half.heap,
      counts: {
        timers: [a.resources.timers, b.resources.timers, closed.resources.timers],
        'TCP handles': [a.resources.tcp, b.resources.tcp, closed.resources.tcp],
      },
      messages: closed.tally.sent,
      lost,
      duplicated,
      ms,
      notes: [
        `${int(server.connections)} connections`,
        `heap halfway ${mb(half.heap)}; of the growth from ${int(first)} cycles to the end, V8's compiled code (code space) ${kb(b.code - a.code)} and the rest ${kb(b.heap - b.code - (a.heap - a.code))}`,
        ...(kind === 'moves'
          ? [`${int(closed.tally.redirects)} redirect events, ${closed.tally.reconnecting} back-off waits`]
          : []),
        `client errors: ${errors.join(', ') || 'none'}`,
        Number.isFinite(exitMs)
          ? `the process exited ${exitMs} ms after its report from \`closed\``
          : 'the process did not exit within 10 s of close()',
      ],
    }
    const missed = bars(row, ['timers', 'TCP handles'])
    if (half.resources.timers !== a.resources.timers || half.resources.tcp !== a.resources.tcp)
      missed.push(`halfway: ${JSON.stringify(half.resources.all)}`)
    if (!Number.isFinite(exitMs)) missed.push('the process did not exit after close()')
    if (kind === 'moves' && closed.tally.reconnecting)
      missed.push(`${closed.tally.reconnecting} moves waited a back-off`)
    const values = a.objects && half.objects && b.objects ? ([a.objects, half.objects, b.objects] as const) : undefined
    return { ...row, missed, tally: closed.tally, exitMs, values }
  } finally {
    if (child?.exitCode === null) child.kill()
    await lab.close()
  }
}

// A page's timers, counted: setTimeout and setInterval share one id space, and either clear
// function clears both. Added before the page's scripts, so the library's timers are counted.
// tsx keeps function names with esbuild's `__name` helper, which a function passed to the page
// as source needs too.
const PAGE_INIT = `
globalThis.__name = (f) => f
;(() => {
  const live = new Set()
  const { setTimeout: set, setInterval: every, clearTimeout: clear } = window
  window.setTimeout = (fn, ms, ...args) => {
    const id = set((...a) => (live.delete(id), typeof fn == 'function' ? fn(...a) : 0), ms, ...args)
    live.add(id)
    return id
  }
  window.setInterval = (fn, ms, ...args) => {
    const id = every(fn, ms, ...args)
    live.add(id)
    return id
  }
  window.clearTimeout = window.clearInterval = (id) => (live.delete(id), clear(id))
  window.pendingTimers = () => live.size
})()`

// A plain script, without types: imported by a path the type checker does not follow.
const BROWSER_SCRIPT = '../scripts/browser.mjs'

const launch = async (): Promise<Browser> => {
  const { chromium } = await import('@playwright/test')
  const { chromiumArgs, chromiumPath }: { chromiumArgs: string[]; chromiumPath(): string | undefined } = await import(
    BROWSER_SCRIPT
  )
  const executablePath = chromiumPath()
  return chromium.launch({ args: chromiumArgs, ...(executablePath ? { executablePath } : {}) })
}

/** A lab serving the built package and a page that loads `script` from it. */
const labWithPage = async (script: string) => {
  const lab = await startLab()
  lab.serve('/dist/', DIST)
  lab.route('/', (_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><script src="/dist/${script}"></script>`),
  )
  return lab
}

/** `cycles` drops of one followsocket connection in Chromium (the built IIFE), measured through CDP. */
export async function chromiumSoak(
  cycles: number,
  first: number,
  log: (line: string) => void = () => {},
): Promise<SoakRow> {
  const lab = await labWithPage('followsocket.iife.js')
  const browser = await launch()
  try {
    const page = await browser.newPage()
    const pageErrors: string[] = []
    page.on('pageerror', (error) => pageErrors.push(String(error)))
    await page.addInitScript({ content: PAGE_INIT })
    await page.goto(lab.http('/'))
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Performance.enable')
    const measure = async () => {
      for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage')
      const { usedSize } = await cdp.send('Runtime.getHeapUsage')
      const { metrics } = await cdp.send('Performance.getMetrics')
      return {
        heap: usedSize,
        timers: (await page.evaluate('pendingTimers()')) as number,
        listeners: metrics.find((m) => m.name === 'JSEventListeners')!.value,
      }
    }
    const checkpoints = checkpointsOf(cycles, first)
    const measured: Awaited<ReturnType<typeof measure>>[] = []
    const server = soakServer(
      lab,
      'drops',
      async () => {
        measured.push(await measure())
        log(
          `chromium: ${server.connections - 1} cycles, heap ${mb(measured.at(-1)!.heap)}, ${JSON.stringify(measured.at(-1))}`,
        )
        return measured.length < checkpoints.length
      },
      (line) => log(`chromium ${line}`),
    )
    await page.evaluate(
      `window.soak = (${soakClient})(FollowSocket.connect, ${JSON.stringify(server.url)}, ${JSON.stringify(SOAK_OPTIONS.drops)}, ${JSON.stringify(checkpoints)}); 0`,
    )
    await server.when(() => measured.length === checkpoints.length, `${cycles} drops in Chromium`, cycles * 50 + 60_000)
    const ms = server.cyclingMs
    // Awaited in the page rather than polled, so that nothing of the wait is counted as a listener.
    const tally = (await page.evaluate(
      `new Promise((done) => { soak.connection.on('state', (s) => s === 'closed' && done(soak.tally)); soak.close() })`,
    )) as SoakTally
    await server.when(() => server.open === 0, 'the server to see the socket closed')
    const after = await measure()
    const [a, half, b] = measured as [typeof after, typeof after, typeof after]
    const { lost, duplicated } = server.tally(tally.sent)
    const errors = Object.entries(tally.errors).map(([code, n]) => `${n} × ${code}`)
    const row: Omit<SoakRow, 'missed'> = {
      what: 'drop and reconnect',
      runtime: `Chromium ${browser.version()}`,
      cycles,
      heap: [a.heap, b.heap],
      halfway: half.heap,
      counts: {
        timers: [a.timers, b.timers, after.timers],
        'JS event listeners': [a.listeners, b.listeners, after.listeners],
        'sockets at the server': [1, 1, server.open],
      },
      messages: tally.sent,
      lost,
      duplicated,
      ms,
      notes: [
        `${int(server.connections)} connections`,
        `heap halfway ${mb(half.heap)}`,
        `client errors: ${errors.join(', ') || 'none'}`,
        `page errors: ${pageErrors.length}`,
      ],
    }
    const missed = bars(row, ['timers', 'sockets at the server'])
    if (half.timers !== a.timers || half.listeners !== a.listeners)
      missed.push(`halfway: ${half.timers} timers, ${half.listeners} listeners`)
    if (pageErrors.length) missed.push(`page errors: ${pageErrors.slice(0, 3).join('; ')}`)
    return { ...row, missed }
  } finally {
    await browser.close()
    await lab.close()
  }
}

/** One tab's part, in its page: its connection, and a sender of numbered messages tagged per turn. */
const tabClient = (connect: typeof Connect, url: string) => {
  const conn = connect(url, { share: 'tabs' } as object)
  let timer: ReturnType<typeof setInterval> | undefined
  let tag = ''
  let sent = 0
  return {
    conn,
    get sent() {
      return sent
    },
    /** Sends `${tag}:1`, `${tag}:2`, … every 4 ms. */
    start(next: string) {
      tag = next
      sent = 0
      timer = setInterval(() => conn.send(`${tag}:${++sent}`), 4)
    },
    stop() {
      clearInterval(timer)
      return sent
    },
  }
}

/**
 * `count` hand-overs of a `followsocket/tabs` connection between two pages of one context
 * (docs/sharing.md#across-tabs). The follower sends a numbered message every 4 ms; the leader
 * goes, in turn by close() (its page then joins again as the follower) and by closing its page
 * (a fresh page follows); the follower leads, stops sending, and the new follower starts.
 */
export async function tabsSoak(
  count: number,
  log: (line: string) => void = () => {},
): Promise<SoakRow & { handOverMs: number[] }> {
  const lab = await labWithPage('followsocket-tabs.iife.js')
  const browser = await launch()
  const arrivals = new Map<string, number>()
  const feed = lab.endpoint('/tabs', {
    echo: false,
    onMessage: (_ws, data) => void arrivals.set(data.toString(), (arrivals.get(data.toString()) ?? 0) + 1),
  })
  const pageErrors: string[] = []
  const POLL = { polling: 5, timeout: 10_000 }
  try {
    const context = await browser.newContext()
    const url = lab.ws('/tabs')
    const openTab = async () => {
      const page = await context.newPage()
      page.on('pageerror', (error) => pageErrors.push(String(error)))
      await page.addInitScript({ content: PAGE_INIT })
      await page.goto(lab.http('/'))
      await page.evaluate(`window.tab = (${tabClient})(FollowSocketTabs.connect, ${JSON.stringify(url)}); 0`)
      return page
    }
    // In the pages, `tab` is the tabClient.
    const isOpen = (page: Page) => page.waitForFunction(`tab.conn.state === 'open'`, undefined, POLL)
    const sentBy = new Map<string, number>()
    let turn = 0
    const startSending = async (page: Page) => {
      const tag = `t${++turn}`
      await page.evaluate(`tab.start(${JSON.stringify(tag)})`)
      return tag
    }
    let leader = await openTab()
    await isOpen(leader)
    let follower = await openTab()
    await isOpen(follower)
    let tag = await startSending(follower)
    const handOverMs: number[] = []
    const started = performance.now()
    for (let n = 1; n <= count; n++) {
      // A few messages on their way through the leader when it goes.
      await follower.waitForFunction('tab.sent >= 3', undefined, POLL)
      const next = feed.nextConnection()
      const goneAt = performance.now()
      if (n % 2) await leader.evaluate('tab.conn.close()')
      else await leader.close()
      await next
      handOverMs.push(performance.now() - goneAt)
      await follower.waitForFunction('tab.conn.socket?.readyState === 1', undefined, POLL)
      sentBy.set(tag, (await follower.evaluate('tab.stop()')) as number)
      const newcomer = n % 2 ? leader : await openTab()
      if (n % 2) await newcomer.evaluate('tab.conn.reconnect()')
      await isOpen(newcomer)
      tag = await startSending(newcomer)
      ;[leader, follower] = [follower, newcomer]
      if (n % 100 === 0) log(`tabs: ${n} hand-overs, ${((performance.now() - started) / 1000).toFixed(1)} s`)
    }
    sentBy.set(tag, (await follower.evaluate('tab.stop()')) as number)
    const ms = performance.now() - started
    // Settled: every message acknowledged by the leader (nothing a tab still keeps to send again).
    for (const page of [leader, follower]) await page.waitForFunction('tab.conn.buffered === 0', undefined, POLL)
    const messages = [...sentBy.values()].reduce((a, b) => a + b, 0)
    // Until as many arrived as were sent (a lost one makes this wait the 10 s out).
    await Promise.race([feed.receivedCount(messages), new Promise((done) => setTimeout(done, 10_000).unref())])
    const sent = [...sentBy].flatMap(([tag, count]) => Array.from({ length: count }, (_, i) => `${tag}:${i + 1}`))
    const lost = sent.filter((text) => !arrivals.has(text)).length
    // Extra copies, and anything that was never sent.
    const duplicated = [...arrivals.values()].reduce((a, b) => a + b, 0) - (sent.length - lost)
    const sorted = [...handOverMs].sort((a, b) => a - b)
    const row: Omit<SoakRow, 'missed'> = {
      what: 'tab hand-over (followsocket/tabs, two pages)',
      runtime: `Chromium ${browser.version()}`,
      cycles: count,
      heap: [NaN, NaN],
      halfway: NaN,
      counts: {},
      messages,
      lost,
      duplicated,
      ms,
      notes: [
        `${feed.connections} sockets opened at the server, ${feed.clients.size} open at the end`,
        `hand-over (the leader gone → the next socket at the server): median ${Math.round(sorted[sorted.length >> 1]!)} ms, max ${Math.round(sorted.at(-1)!)} ms`,
        `page errors: ${pageErrors.length}`,
      ],
    }
    const missed = [...(lost ? [`${lost} lost`] : []), ...(duplicated ? [`${duplicated} duplicated`] : [])]
    if (feed.connections !== count + 1) missed.push(`${feed.connections} sockets for ${count} hand-overs`)
    if (pageErrors.length) missed.push(`page errors: ${pageErrors.slice(0, 3).join('; ')}`)
    return { ...row, missed, handOverMs }
  } finally {
    await browser.close()
    await lab.close()
  }
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(2)} MB`
const kb = (bytes: number) => `${bytes >= 0 ? '+' : '−'}${Math.round(Math.abs(bytes) / 1024)} KB`
const int = (n: number) => n.toLocaleString('en-US')

/** The section of bench/results.md, printed line by line as it goes. */
export async function soak(quick = false): Promise<{ section: string; missed: string[] }> {
  const log = (line: string) => console.log(`  ${line}`)
  const size = quick
    ? { node: 1000, chromium: 1000, tabs: 50, first: 100 }
    : { node: 20_000, chromium: 5000, tabs: 500, first: 1000 }
  // Time depends on how busy the machine is: say how busy it was.
  const load = loadavg()[0]!.toFixed(1)
  const started = performance.now()
  /**
   * A Node soak, then the same again weighing the program's values in heap snapshots at the same
   * checkpoints: V8's code and bookkeeping, which the JIT grows as it optimises, left out. A second
   * run, because taking a snapshot can disturb the heap figures of the checkpoints after it.
   */
  const nodeRow = async (kind: SoakKind): Promise<SoakRow> => {
    const row = await nodeSoak(kind, size.node, size.first, { log })
    log(`${kind}: again, with heap snapshots`)
    const again = await nodeSoak(kind, size.node, size.first, { log, snapshots: true })
    const [first, half, end] = again.values!
    return {
      ...row,
      notes: [
        ...row.notes,
        `in a second run, the program's values in a heap snapshot (V8's code and bookkeeping left out): ${mb(first)}, ${mb(half)} halfway, ${mb(end)} at the end (${kb(end - first)})`,
      ],
      missed: [
        ...row.missed,
        ...again.missed.filter((bar) => !bar.startsWith('heap')).map((bar) => `second run: ${bar}`),
      ],
    }
  }
  const rows: SoakRow[] = []
  for (const run of [
    () => nodeRow('drops'),
    () => nodeRow('moves'),
    () => chromiumSoak(size.chromium, size.first, log),
    () => tabsSoak(size.tabs, log),
  ]) {
    const row = await run()
    log(`${row.what} (${row.runtime}): ${row.missed.length ? `✗ ${row.missed.join('; ')}` : '✓'}`)
    rows.push(row)
  }
  const minutes = ((performance.now() - started) / 60_000).toFixed(1)
  const cell = (row: SoakRow) =>
    Object.entries(row.counts)
      .map(([name, [a, b, c]]) => `${name} ${a} / ${b} / ${c}`)
      .join('; ') || '—'
  const heap = (row: SoakRow, i: 0 | 1) => (Number.isNaN(row.heap[i]) ? '—' : mb(row.heap[i]))
  const grew = (row: SoakRow) =>
    Number.isNaN(row.heap[0]) ? '—' : `${growth(row.heap) >= 0 ? '+' : ''}${(growth(row.heap) * 100).toFixed(1)} %`
  const time = (row: SoakRow) => `${(row.ms / 1000).toFixed(1)} s (${Math.round(row.cycles / (row.ms / 1000))}/s)`
  const missed = rows.flatMap((row) => row.missed.map((m) => `${row.what} (${row.runtime}): ${m}`))
  const section = [
    SOAK_TITLE,
    '',
    `${quick ? 'A quick run' : 'The full run'}, ${minutes} min; ${cpus().length} cores, load average ${load} at the start (the time column depends on it; nothing else does). ` +
      `Heap after GC at ${int(size.first)} cycles and at the end; counts at ${int(size.first)} cycles / at the end / after \`close()\`.`,
    '',
    `| what | runtime | cycles | heap at ${int(size.first)} | heap at the end | growth | timers, listeners, handles | messages | lost | duplicated | time |`,
    '|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|',
    ...rows.map(
      (row) =>
        `| ${row.what} | ${row.runtime} | ${int(row.cycles)} | ${heap(row, 0)} | ${heap(row, 1)} | ${grew(row)} | ${cell(row)} | ${int(row.messages)} | ${row.lost} | ${row.duplicated} | ${time(row)} |`,
    ),
    '',
    ...rows.map((row) => `- ${row.what}, ${row.runtime}: ${row.notes.join('; ')}.`),
    '',
    'How it is measured:',
    '',
    '- Servers: a `ws` endpoint of the lab on 127.0.0.1 closes each connection as soon as its first message arrives. Drops alternate a close frame (1001) and `terminate()` ' +
      '(no close frame: 1006 at the client), with a 1 ms back-off; moves close with 4308 and the next fresh URL (/m/1, /m/2, …) through `moveClients`, with ' +
      '`reconnect.minUptimeMs: 0` so that each is the first step since the connection was healthy and is followed at once (docs/failure-path.md#pacing).',
    '- Messages: that first message is numbered and was sent while no socket was open (before the first open, then from the `close` listener), so the send buffer ' +
      'carried it (docs/connection.md#the-send-buffer). The server counts each number: lost is a number that never arrived, duplicated an extra copy.',
    '- Node: the client runs in a process of its own (`node --expose-gc`, the source of packages/core). Heap is `heapUsed` after `gc()` (the notes split its growth into ' +
      "V8's compiled code, which grows as the hot paths get optimised, and the rest, and give the program's own values from heap snapshots taken in a second run of the same " +
      'length, since taking one can disturb the heap figures after it); the counts are what `process.getActiveResourcesInfo()` lists (timers: Timeout and ' +
      'Immediate), taken while the server holds the connection open; after `close()` they are taken once the state is `closed`, and the process must then exit on its own ' +
      '(docs/failure-path.md#close).',
    '- Chromium: the page loads the built IIFE. Heap is `Runtime.getHeapUsage` after `HeapProfiler.collectGarbage` (CDP), listeners are `JSEventListeners` of ' +
      "`Performance.getMetrics`, timers are the page's pending `setTimeout`/`setInterval` (counted by a wrapper added before the page's scripts), sockets are counted at the server.",
    '- Tab hand-overs: two pages of one context share one socket with `followsocket/tabs` (docs/sharing.md#across-tabs). The follower sends a numbered message every 4 ms; ' +
      'the leader goes while some are on their way, in turn by `close()` (its page then joins again as the follower) and by closing its page (a fresh page follows); ' +
      'the follower leads, stops sending, and the new follower starts. Every message is counted at the server.',
    `- Bars: heap growth at most ${GROWTH_BAR * 100} %, the counts the same at the end as at ${int(size.first)} cycles, no timer or socket after \`close()\`, none lost, ` +
      `none duplicated: ${missed.length ? `missed: ${missed.join('; ')}.` : 'all met.'}`,
  ].join('\n')
  return { section, missed }
}

if (process.env.SOAK_CLIENT) await runNodeClient(JSON.parse(process.env.SOAK_CLIENT))
else if (process.argv[1] === SELF) {
  const { section, missed } = await soak(process.argv.includes('--quick'))
  console.log(`\n${section}`)
  const { writeSection } = await import('./fleet')
  writeSection(fileURLToPath(new URL('results.md', import.meta.url)), section)
  console.log('\nwrote bench/results.md')
  if (missed.length) process.exitCode = 1
}
