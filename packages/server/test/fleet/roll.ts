// A rolling deploy behind a real HAProxy (docs/moves.md#draining-a-backend), run and measured:
// three backends (backend.ts, each its own process), HAProxy in front with the README's
// configuration, and `clients` followsocket clients in one more process (clients.ts). Each
// backend in turn is drained in HAProxy through the runtime API, sent SIGTERM (its hook hands
// its clients to the others over `windowMs` with drainClients and exits), started again and
// put back. Every count is taken at the backends. Shared by the CI test (a small fleet) and
// `npm run fleet` (1,000 clients).
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { freePort } from '@followsocket/lab'
import { startHaproxy, type Haproxy } from '@followsocket/lab/haproxy'
import { messageNumber, type BackendReport, type ClientsCommand, type ClientsReport } from './reports'

const README = new URL('../../README.md', import.meta.url)
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url))
const NAMES = ['b1', 'b2', 'b3'] as const

/** The README's rolling-deploy configuration: its second ```haproxy block. */
export const fleetConfig = (): string => {
  const blocks = [...readFileSync(README, 'utf8').matchAll(/```haproxy\n([\s\S]*?)```/g)].map((m) => m[1]!)
  const config = blocks.find((block) => block.includes('balance leastconn'))
  if (!config)
    throw new Error('the server README has no rolling-deploy HAProxy block (balance leastconn): update this harness')
  return config
}

export interface StepResult {
  backend: string
  /** Clients the backend had open when it began to drain. */
  clients: number
  /** From the backend's first close to the last of its clients opening elsewhere. */
  recoveryMs: number
  /** The most new connections the other backends accepted in one 100 ms slot, from the first close on. */
  peakPer100ms: number
  /** Clients moved / (window in 100 ms slots): a perfectly even hand-over. */
  idealPer100ms: number
  /** Moved clients that did not open again elsewhere. */
  notReconnected: number
  lost: number
  duplicated: number
  /** GETs that reached a backend's /live (a preflight): none should. */
  preflights: number
}

export interface RollResult {
  clients: number
  windowMs: number
  steps: StepResult[]
  /** FollowSocketError codes the clients saw (none expected). */
  errors: string[]
}

/** A child process running a TypeScript entry of this folder (through tsx, on the packages' sources). */
const child = (entry: string, env: Record<string, string>): ChildProcess =>
  spawn(
    process.execPath,
    ['--conditions=@followsocket/source', '--import', 'tsx', fileURLToPath(new URL(entry, import.meta.url))],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  )

/** Resolves with the first IPC message from `proc` that passes `test`; rejects if it exits first. */
export const until = <M>(proc: ChildProcess, test: (message: M) => boolean, what: string): Promise<M> =>
  new Promise((done, fail) => {
    const onMessage = (message: M) => {
      if (!test(message)) return
      proc.off('message', onMessage)
      proc.off('exit', onExit)
      done(message)
    }
    const onExit = (code: number | null) => fail(new Error(`${what}: the process exited (${code}) first`))
    proc.on('message', onMessage)
    proc.once('exit', onExit)
  })

/** Resolves once `check` is true, asking again after each of `events`' reports (no timer). */
const when = (events: ChildProcess[], check: () => boolean, what: string, timeoutMs: number): Promise<void> =>
  new Promise((done, fail) => {
    const cleanup = () => {
      clearTimeout(timer)
      for (const e of events) e.off('message', onMessage)
    }
    const onMessage = () => {
      if (check()) {
        cleanup()
        done()
      }
    }
    // A deadline only for a failure, so a missing client fails the run instead of hanging it.
    const timer = setTimeout(() => {
      cleanup()
      fail(new Error(`timed out waiting for ${what}`))
    }, timeoutMs)
    for (const e of events) e.on('message', onMessage)
    onMessage()
  })

/** HAProxy's status of server `name` in backend `live` (UP, DOWN, DRAIN, MAINT, …). */
const serverStatus = async (haproxy: Haproxy, name: string): Promise<string> => {
  const [header, ...rows] = (await haproxy.command('show stat')).trim().split('\n')
  const columns = header!.replace(/^# /, '').split(',')
  const row = rows.map((r) => r.split(',')).find((r) => r[0] === 'live' && r[1] === name)
  return row?.[columns.indexOf('status')] ?? 'missing'
}

/** Asks HAProxy again until server `name` reports `status` (its checks run every 500 ms). */
const serverBecomes = async (haproxy: Haproxy, name: string, status: string, timeoutMs = 20000) => {
  const deadline = performance.now() + timeoutMs
  while ((await serverStatus(haproxy, name)) !== status) {
    if (performance.now() > deadline) throw new Error(`HAProxy never reported ${name} ${status}`)
    // One runtime-API round trip per check interval's fraction: a condition, asked again.
    await new Promise((done) => setTimeout(done, 50))
  }
}

export async function rollingDeploy({
  clients: count,
  windowMs,
  log = () => {},
}: {
  clients: number
  windowMs: number
  log?: (line: string) => void
}): Promise<RollResult> {
  const ports = await Promise.all(NAMES.map(() => freePort()))
  // What the backends counted, across restarts.
  const open = new Map<string, Set<number>>(NAMES.map((n) => [n, new Set()]))
  const opens: { backend: string; client: number; at: number }[] = []
  const received = new Map<string, number>() // `${client}:${n}` → times received
  let preflights = 0
  const backends = new Map<string, ChildProcess>()

  const startBackend = async (name: string) => {
    const proc = child('./backend.ts', {
      FLEET_PORT: String(ports[NAMES.indexOf(name as never)]),
      FLEET_SPREAD_MS: String(windowMs),
    })
    proc.on('message', (m: BackendReport) => {
      if (m.t === 'open') {
        open.get(name)!.add(m.client)
        opens.push({ backend: name, client: m.client, at: m.at })
      } else if (m.t === 'close') open.get(name)!.delete(m.client)
      else if (m.t === 'message') received.set(`${m.client}:${m.n}`, (received.get(`${m.client}:${m.n}`) ?? 0) + 1)
      else if (m.t === 'get') preflights++
    })
    backends.set(name, proc)
    await until<BackendReport>(proc, (m) => m.t === 'listening', `backend ${name} to listen`)
  }

  let haproxy: Haproxy | undefined
  let clients: ChildProcess | undefined
  try {
    await Promise.all(NAMES.map(startBackend))
    const config = fleetConfig()
    haproxy = await startHaproxy((port, socket) =>
      NAMES.reduce(
        (text, _, i) => text.replace(`127.0.0.1:900${i + 1}`, `127.0.0.1:${ports[i]}`),
        config.replace('bind :8080', `bind 127.0.0.1:${port}`).replace('/run/haproxy/admin.sock', socket),
      ),
    )
    const proxy = haproxy
    for (const name of NAMES) await serverBecomes(proxy, name, 'UP')
    clients = child('./clients.ts', { FLEET_URL: `ws://127.0.0.1:${proxy.port}/live`, FLEET_CLIENTS: String(count) })
    const tell = (command: ClientsCommand) => clients!.send(command)
    await until<ClientsReport>(clients, (m) => m.t === 'open', 'every client to open')
    log(`${count} clients open: ${NAMES.map((n) => `${n} ${open.get(n)!.size}`).join(', ')}`)

    const steps: StepResult[] = []
    for (const [step, name] of NAMES.entries()) {
      tell({ t: 'settle' })
      await until<ClientsReport>(clients, (m) => m.t === 'settled', 'the clients to settle')
      const backend = backends.get(name)!
      const others = NAMES.filter((n) => n !== name)
      const preflightsBefore = preflights
      // The deploy, as an operator's script does it: take the server out of HAProxy's rotation,
      // then stop the process (its SIGTERM hook drains), start the new one, put it back.
      const sent = until<ClientsReport>(clients, (m) => m.t === 'sent' && m.step === step, 'the clients to send')
      tell({ t: 'send', step, windowMs })
      await proxy.command(`set server live/${name} state drain`)
      const draining = until<BackendReport & { t: 'draining' }>(backend, (m) => m.t === 'draining', `${name} to drain`)
      const exited = new Promise((done) => backend.once('exit', done))
      backend.kill('SIGTERM')
      const { at: t0, open: moved } = await draining
      const movedClients = new Set(open.get(name))
      await exited
      open.get(name)!.clear()
      // Every client of the stopped backend opens again on the others; every message of the step arrives.
      await when(
        [...others.map((n) => backends.get(n)!), clients],
        () => others.reduce((sum, n) => sum + open.get(n)!.size, 0) >= count,
        'every client to reconnect',
        60000,
      )
      await sent
      const expected = [...Array(count).keys()].flatMap((c) => [0, 1, 2].map((j) => `${c}:${messageNumber(step, j)}`))
      // Lost messages are what this measures: past the deadline they are counted, not thrown.
      await when(
        others.map((n) => backends.get(n)!),
        () => expected.every((key) => received.has(key)),
        `every message of step ${step + 1}`,
        30000,
      ).catch(() => {})

      const reopened = new Map<number, number>()
      for (const o of opens)
        if (o.at >= t0 && others.includes(o.backend as never) && movedClients.has(o.client) && !reopened.has(o.client))
          reopened.set(o.client, o.at)
      const slots = new Map<number, number>()
      for (const o of opens)
        if (o.at >= t0 && others.includes(o.backend as never))
          slots.set(Math.floor((o.at - t0) / 100), (slots.get(Math.floor((o.at - t0) / 100)) ?? 0) + 1)
      steps.push({
        backend: name,
        clients: moved,
        recoveryMs: Math.round(Math.max(t0, ...reopened.values()) - t0),
        peakPer100ms: Math.max(0, ...slots.values()),
        idealPer100ms: moved / (windowMs / 100),
        notReconnected: [...movedClients].filter((c) => !reopened.has(c)).length,
        lost: expected.filter((key) => !received.has(key)).length,
        duplicated: expected.reduce((sum, key) => sum + Math.max(0, (received.get(key) ?? 0) - 1), 0),
        preflights: preflights - preflightsBefore,
      })
      log(`step ${step + 1}: ${name} handed ${moved} clients over; ${JSON.stringify(steps.at(-1))}`)

      // The new version starts, and goes back into rotation once it answers HAProxy's checks.
      await startBackend(name)
      await proxy.command(`set server live/${name} state ready`)
      await serverBecomes(proxy, name, 'UP')
    }
    tell({ t: 'stop' })
    const { codes } = await until<ClientsReport & { t: 'errors' }>(
      clients,
      (m) => m.t === 'errors',
      'the clients to stop',
    )
    return { clients: count, windowMs, steps, errors: codes }
  } finally {
    clients?.kill()
    for (const b of backends.values()) b.kill('SIGKILL')
    await haproxy?.stop()
  }
}

/** The results as a Markdown table. */
export const rollTable = ({ steps }: RollResult): string =>
  [
    '| step | backend | clients moved | recovery | peak new connections / 100 ms (ideal) | not reconnected | lost | duplicated | preflight GETs |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|',
    ...steps.map(
      (s, i) =>
        `| ${i + 1} | ${s.backend} | ${s.clients} | ${s.recoveryMs} ms | ${s.peakPer100ms} (${s.idealPer100ms.toFixed(1)}) | ${s.notReconnected} | ${s.lost} | ${s.duplicated} | ${s.preflights} |`,
    ),
  ].join('\n')
