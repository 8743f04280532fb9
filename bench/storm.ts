// Reconnect storm in Node: many followsocket clients (with `ws`) on one lab server that
// (a) restarts, (b) moves every client with close code 4308, and (c) starts answering 308.
// Reports time to full recovery, the peak rate of new connections the server sees, and
// messages lost or duplicated (buffering on: each client keeps sending through the outage).
import { startLab, type Endpoint, type Lab } from '@followsocket/lab'
import { connect, type Connection, type WebSocketConstructor } from 'followsocket'
import WebSocket from 'ws'

const NodeWebSocket = WebSocket as unknown as WebSocketConstructor

export interface StormResult {
  scenario: string
  clients: number
  /** From the disruption until every client is open again. */
  recoveryMs: number
  /** Most new connections the server accepted within any 100 ms window, scaled to per second. */
  peakPerSecond: number
  preflights: number
  lost: number
  duplicated: number
}

/** Samples an endpoint's accepted-connection count every 20 ms; the peak over 100 ms windows. */
const rateMeter = (endpoints: Endpoint[]) => {
  const samples: number[] = []
  const total = () => endpoints.reduce((sum, e) => sum + e.connections, 0)
  const timer = setInterval(() => samples.push(total()), 20)
  return {
    stop() {
      clearInterval(timer)
      let peak = 0
      for (let i = 5; i < samples.length; i++) peak = Math.max(peak, samples[i]! - samples[i - 5]!)
      return peak * 10
    },
  }
}

const until = (test: () => boolean, timeoutMs = 60_000, what = test.toString()) =>
  new Promise<void>((done, fail) => {
    const started = Date.now()
    const timer = setInterval(() => {
      if (test()) {
        clearInterval(timer)
        done()
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(timer)
        fail(new Error(`storm: timed out waiting for ${what}`))
      }
    }, 10)
  })

/** Counts, per client, the numbered messages the server received: lost and duplicated. */
const tally = (received: string[], clients: number, perClient: number) => {
  const seen = new Map<string, number>()
  for (const text of received) if (text.startsWith('m:')) seen.set(text, (seen.get(text) ?? 0) + 1)
  let lost = 0
  let duplicated = 0
  for (let c = 0; c < clients; c++)
    for (let n = 0; n < perClient; n++) {
      const times = seen.get(`m:${c}:${n}`) ?? 0
      if (times === 0) lost++
      if (times > 1) duplicated += times - 1
    }
  return { lost, duplicated }
}

interface Fleet {
  connections: Connection[]
  allOpen: () => boolean
  close: () => void
}

const fleet = (count: number, url: string, jitter: 'full' | 'none'): Fleet => {
  const connections = Array.from({ length: count }, () =>
    connect(url, {
      WebSocket: NodeWebSocket,
      reconnect: { minDelayMs: 250, maxDelayMs: 2000, jitter },
      connectTimeoutMs: 20_000,
      preflight: { timeoutMs: 20_000 },
    }),
  )
  return {
    connections,
    allOpen: () => connections.every((c) => c.state === 'open'),
    close: () => connections.forEach((c) => c.close()),
  }
}

/** Each client sends `perClient` numbered messages: half before the disruption, half during it. */
const sendHalf = (f: Fleet, from: number, to: number) =>
  f.connections.forEach((c, i) => {
    for (let n = from; n < to; n++) c.send(`m:${i}:${n}`)
  })

async function restart(lab: Lab, count: number, jitter: 'full' | 'none'): Promise<StormResult> {
  const live = lab.endpoint('/restart')
  const f = fleet(count, lab.ws('/restart'), jitter)
  await until(f.allOpen)
  sendHalf(f, 0, 5)
  await live.receivedCount(count * 5)
  await lab.down()
  await until(() => f.connections.every((c) => c.state !== 'open'))
  sendHalf(f, 5, 10)
  const meter = rateMeter([live])
  const started = Date.now()
  await lab.resume()
  await until(f.allOpen)
  const recoveryMs = Date.now() - started
  await live.receivedCount(count * 10)
  const peakPerSecond = meter.stop()
  f.close()
  return {
    scenario: `restart, jitter ${jitter}`,
    clients: count,
    recoveryMs,
    peakPerSecond,
    preflights: lab.count('/restart', 'get'),
    ...tally(live.received, count, 10),
  }
}

async function move(lab: Lab, count: number, spreadMs: number): Promise<StormResult> {
  const from = lab.endpoint('/move-from')
  const to = lab.endpoint('/move-to')
  const f = fleet(count, lab.ws('/move-from'), 'full')
  await until(f.allOpen)
  sendHalf(f, 0, 5)
  await from.receivedCount(count * 5)
  const meter = rateMeter([to])
  const started = Date.now()
  // Each client is closed with 4308 and the new URL, spread uniformly over spreadMs
  // (what @followsocket/server's moveClients does).
  const clients = [...from.clients]
  clients.forEach((client, i) =>
    setTimeout(() => client.close(4308, lab.ws('/move-to')), (spreadMs * i) / clients.length),
  )
  sendHalf(f, 5, 10)
  await until(() => to.connections >= count && f.allOpen())
  const recoveryMs = Date.now() - started
  await until(() => from.received.length + to.received.length >= count * 10)
  const peakPerSecond = meter.stop()
  f.close()
  return {
    scenario: `4308 move, spread ${spreadMs} ms`,
    clients: count,
    recoveryMs,
    peakPerSecond,
    preflights: lab.count('/move-from', 'get'),
    ...tally([...from.received, ...to.received], count, 10),
  }
}

async function redirect(lab: Lab, count: number): Promise<StormResult> {
  const old = lab.endpoint('/old')
  const next = lab.endpoint('/new')
  const f = fleet(count, lab.ws('/old'), 'full')
  await until(f.allOpen)
  sendHalf(f, 0, 5)
  await old.receivedCount(count * 5)
  // The endpoint moves: from now on /old answers 308 (GET and upgrade); open clients are
  // dropped as a restart would drop them.
  lab.redirect('/old', lab.ws('/new'))
  for (const client of old.clients) client.terminate()
  // Sent once every client knows its socket is gone: a frame written to a socket the client
  // still believes open is lost in the network, not by the client (no acks at this layer).
  await until(() => f.connections.every((c) => c.state !== 'open'))
  sendHalf(f, 5, 10)
  const meter = rateMeter([next])
  const started = Date.now()
  await until(() => next.connections >= count && f.allOpen())
  const recoveryMs = Date.now() - started
  await until(() => old.received.length + next.received.length >= count * 10)
  const peakPerSecond = meter.stop()
  f.close()
  return {
    scenario: 'endpoint starts answering 308',
    clients: count,
    recoveryMs,
    peakPerSecond,
    preflights: lab.count('/old', 'get'),
    ...tally([...old.received, ...next.received], count, 10),
  }
}

export async function storm(count = 2000): Promise<StormResult[]> {
  const results: StormResult[] = []
  for (const run of [
    (lab: Lab) => restart(lab, count, 'none'),
    (lab: Lab) => restart(lab, count, 'full'),
    (lab: Lab) => move(lab, count, 0),
    (lab: Lab) => move(lab, count, 2000),
    (lab: Lab) => redirect(lab, count),
  ]) {
    const lab = await startLab()
    try {
      results.push(await run(lab))
    } finally {
      await lab.close()
    }
  }
  return results
}
