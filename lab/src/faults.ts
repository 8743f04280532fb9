// A real TCP proxy between a client and a server that misbehaves on command: the network faults
// a WebSocket client meets in the wild (a NAT that silently drops a connection, a slow link, a
// reset in the middle of a frame, a server that accepts and never speaks), on 127.0.0.1.
import { connect as tcpConnect, createServer, type Server, type Socket } from 'node:net'

/** What the proxy does to the bytes of every connection through it, from now on. */
export type Fault =
  /** Passes everything through. */
  | { kind: 'none' }
  /** Half-open: bytes vanish both ways while TCP stays up, as behind a NAT that forgot the flow. */
  | { kind: 'blackhole' }
  /** Every chunk is delayed by `ms`, both ways. */
  | { kind: 'latency'; ms: number }
  /** At most `bytesPerSecond`, both ways. */
  | { kind: 'bandwidth'; bytesPerSecond: number }
  /** Every open connection is reset (RST) now, mid-frame or not; new ones are reset once they send a byte. */
  | { kind: 'reset' }
  /** The server's first bytes on each new connection (its handshake answer) wait `ms`. */
  | { kind: 'slow-handshake'; ms: number }
  /** New connections are accepted and never answered: no server behind them at all. */
  | { kind: 'silent' }

export interface FaultProxy {
  readonly port: number
  /** The proxy's address for a path of the server behind it. */
  ws(path: string): string
  http(path: string): string
  /** Sets the fault for every connection through the proxy, open ones included. */
  set(fault: Fault): void
  /** TCP connections open through the proxy right now (client side). */
  readonly open: number
  /** TCP connections accepted so far. */
  readonly accepted: number
  /** Resolves once `open` is `count`. */
  settled(count: number): Promise<void>
  close(): Promise<void>
}

interface Link {
  client: Socket
  upstream?: Socket
  /** Whether the server has spoken on this connection yet (for slow-handshake). */
  answered: boolean
}

/** Starts a proxy on a free port of 127.0.0.1 in front of `target` (host:port). */
export async function startFaultProxy(target: { host?: string; port: number }): Promise<FaultProxy> {
  let fault: Fault = { kind: 'none' }
  let accepted = 0
  const links = new Set<Link>()
  const waiters: (() => void)[] = []
  const changed = () => waiters.splice(0).forEach((wake) => wake())

  /** Sends `chunk` from one side to the other as the fault in force says. */
  const relay = (link: Link, chunk: Buffer, to: Socket | undefined, fromServer: boolean) => {
    if (!to || to.destroyed) return
    const now = fault
    switch (now.kind) {
      case 'blackhole':
        return
      case 'latency':
        return void setTimeout(() => to.destroyed || to.write(chunk), now.ms)
      case 'bandwidth':
        // Paused for as long as the chunk takes at that rate, so the sender's buffer fills.
        link.client.pause()
        link.upstream?.pause()
        to.write(chunk)
        return void setTimeout(
          () => {
            link.client.resume()
            link.upstream?.resume()
          },
          (chunk.length / now.bytesPerSecond) * 1000,
        )
      case 'slow-handshake':
        if (fromServer && !link.answered) {
          link.answered = true
          return void setTimeout(() => to.destroyed || to.write(chunk), now.ms)
        }
    }
    if (fromServer) link.answered = true
    to.write(chunk)
  }

  const server: Server = createServer((client) => {
    accepted++
    const link: Link = { client, answered: false }
    links.add(link)
    changed()
    const end = () => {
      if (!links.delete(link)) return
      client.destroy()
      link.upstream?.destroy()
      changed()
    }
    client.on('close', end)
    client.on('error', end)
    if (fault.kind === 'silent') return
    const upstream = tcpConnect(target.port, target.host ?? '127.0.0.1')
    link.upstream = upstream
    upstream.on('close', end)
    upstream.on('error', end)
    client.on('data', (chunk) =>
      fault.kind === 'reset' ? client.resetAndDestroy() : relay(link, chunk, upstream, false),
    )
    upstream.on('data', (chunk) => relay(link, chunk, client, true))
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as { port: number }

  return {
    port,
    ws: (path) => `ws://127.0.0.1:${port}${path}`,
    http: (path) => `http://127.0.0.1:${port}${path}`,
    set(next) {
      fault = next
      if (next.kind === 'reset') for (const link of links) link.client.resetAndDestroy()
    },
    get open() {
      return links.size
    },
    get accepted() {
      return accepted
    },
    settled(count) {
      return new Promise((done) => {
        const check = () => (links.size === count ? done() : waiters.push(check))
        check()
      })
    },
    close() {
      for (const link of links) link.client.destroy()
      return new Promise((done) => server.close(() => done()))
    },
  }
}
