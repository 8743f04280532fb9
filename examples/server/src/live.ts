// The live feed behind the demo: a chat with a tick every second, served at two addresses on
// two origins, as a real deployment that moves an endpoint would have them:
//   A  ws://host:portA/v1/live   the address the apps were given
//   B  ws://host:portB/v2/live   where the feed moves to
// Everything the control panel can do to it is a method here.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import { createComeBackLater, createRedirects, moveClients, type ComeBackLater } from '@followsocket/server'

/**
 * The origins of apps on a development server on this machine, whatever port it took: an app made
 * by `npm create followsocket` runs on Vite's http://localhost:<port>, the next port free beside
 * the demo, or on http://127.0.0.1:<port>.
 */
export const DEV_ORIGIN = /^http:\/\/(localhost|127\.0\.0\.1):\d{1,5}$/

export interface LiveOptions {
  host: string
  /** Port of the old address (A); the new one (B) is the next port. */
  port: number
  /**
   * Origin of the pages that connect (the demo's own origin). A's answers admit it and any
   * DEV_ORIGIN, so that an app on a dev server beside the demo can read them too.
   */
  appOrigin: string
}

export interface LiveState {
  moved: boolean
  cors: boolean
  downUntil: number | null
  /** A answers 401 to its GET and its upgrade: the feed wants a sign-in this app does not have. */
  signIn: boolean
  /** While A answers 503 + Retry-After: until when (ms since the epoch). */
  maintenanceUntil: number | null
  /** Each 503 A gave during the last maintenance, to a GET or an upgrade, and when (ms since the epoch). */
  answeredLater: { kind: 'get' | 'upgrade'; at: number }[]
  /** When the last WebSocket connection was accepted (ms since the epoch). */
  lastConnectionAt: number | null
  clients: { v1: number; v2: number }
  /** WebSocket connections accepted since start, on both addresses (a reconnect adds one). */
  connections: number
  v1: string
  v2: string
}

export interface Live {
  readonly v1: string
  readonly v2: string
  state(): LiveState
  /** The chat messages received so far, one entry per message id, with how often that id arrived. */
  chats(): { id: string; text: string; count: number }[]
  /** From now on A answers 308 to B for both the preflight GET and the upgrade (or stops). */
  setMoved(moved: boolean): void
  /** CORS on B's answers: off shows what a browser does when discovery is not allowed. */
  setCors(cors: boolean): void
  /** Closes every client on A with 4308 and B's URL, spread over `spreadMs`. */
  moveClients(spreadMs: number): Promise<{ moved: number }>
  /** Closes every client with 1012 (service restart), as a redeploy would. */
  restart(): void
  /** Stops both addresses for `seconds`, then brings them back. */
  down(seconds: number): void
  /**
   * For `seconds`, A answers its GET and its upgrade with 503 and Retry-After
   * (docs/diagnosis.md#retry-after), and its clients are closed with 1012 so that they meet it:
   * they wait as asked before coming back.
   */
  maintenance(seconds: number): void
  /** On: A answers 401 to its GET and its upgrade, and its clients are closed with 1012 to meet it. */
  setSignIn(on: boolean): void
  /** Sends every client a frame that is not JSON and one that breaks the message schema. */
  malformed(): void
  close(): Promise<void>
}

type Message = { type: 'tick'; n: number; at: string } | { type: 'chat'; id: string; text: string; at: string }

export async function startLive(options: LiveOptions): Promise<Live> {
  const { host, port, appOrigin } = options
  const admits = (origin: string) => origin === appOrigin || DEV_ORIGIN.test(origin)
  // What A's own answers (the 426, the 401) allow: the page's origin when admitted.
  const allowed = (req: IncomingMessage) => {
    const origin = req.headers.origin
    return origin !== undefined && admits(origin) ? origin : null
  }
  const v1 = `ws://${host}:${port}/v1/live`
  const v2 = `ws://${host}:${port + 1}/v2/live`
  let moved = false
  let cors = true
  let downUntil: number | null = null
  let maintenanceUntil: number | null = null
  let signIn = false
  let later: ComeBackLater | undefined
  const answeredLater: LiveState['answeredLater'] = []
  let lastConnectionAt: number | null = null
  let connections = 0
  // Read-only inspection: a message delivered exactly once has count 1 (the e2e suite checks it).
  const chats = new Map<string, { id: string; text: string; count: number }>()

  const wssA = new WebSocketServer({ noServer: true })
  const wssB = new WebSocketServer({ noServer: true })
  const everyone = () => [...wssA.clients, ...wssB.clients]
  const broadcast = (message: Message | string) => {
    const text = typeof message === 'string' ? message : JSON.stringify(message)
    for (const client of everyone()) if (client.readyState === 1) client.send(text)
  }
  const onConnection = (ws: WebSocket) => {
    connections++
    lastConnectionAt = Date.now()
    ws.on('message', (data) => {
      let chat: { text?: unknown; id?: unknown }
      try {
        chat = JSON.parse(String(data))
      } catch {
        return
      }
      if (typeof chat.text !== 'string' || typeof chat.id !== 'string') return
      const seen = chats.get(chat.id) ?? { id: chat.id, text: chat.text, count: 0 }
      seen.count++
      chats.set(chat.id, seen)
      if (chats.size > 1000) chats.delete(chats.keys().next().value!) // a long-running demo keeps the latest
      broadcast({ type: 'chat', id: chat.id, text: chat.text.slice(0, 500), at: new Date().toISOString() })
    })
  }
  wssA.on('connection', onConnection)
  wssB.on('connection', onConnection)

  // A: while moved, one rule answers both the preflight GET and the upgrade with 308 → B.
  // B's answers reach the page through a cross-origin chain, so it admits `null` too
  // (docs/discovery.md#what-browsers-can-and-cannot-see).
  const redirects = createRedirects({
    rules: (req) => (moved && new URL(req.url ?? '/', 'http://x').pathname === '/v1/live' ? v2 : undefined),
    origins: admits,
  })
  const twin = (res: ServerResponse, allow: string | null) =>
    res
      .writeHead(426, {
        'content-type': 'text/plain',
        vary: 'Origin',
        ...(allow ? { 'access-control-allow-origin': allow } : {}),
      })
      .end('WebSocket endpoint: upgrade required')

  const serverA = createServer((req, res) => {
    // Readable by the app's origin, so its client can tell a refused sign-in from an outage.
    if (signIn && req.url?.startsWith('/v1/live'))
      return void res
        .writeHead(401, {
          ...(allowed(req) ? { 'access-control-allow-origin': allowed(req)! } : {}),
          vary: 'Origin',
          'content-length': '0',
        })
        .end()
    if (later && req.url?.startsWith('/v1/live')) {
      answeredLater.push({ kind: 'get', at: Date.now() })
      return later.request(req, res)
    }
    if (redirects.request(req, res)) return
    if (req.url?.startsWith('/v1/live')) return twin(res, allowed(req))
    res.writeHead(404).end()
  })
  serverA.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (signIn && req.url?.startsWith('/v1/live'))
      return void socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')
    if (later && req.url?.startsWith('/v1/live')) {
      answeredLater.push({ kind: 'upgrade', at: Date.now() })
      return later.upgrade(req, socket)
    }
    if (redirects.upgrade(req, socket, head)) return
    if (!req.url?.startsWith('/v1/live')) return socket.destroy()
    wssA.handleUpgrade(req, socket, head, (ws) => wssA.emit('connection', ws, req))
  })
  const serverB = createServer((req, res) => {
    if (req.url?.startsWith('/v2/live')) return twin(res, cors ? '*' : null)
    res.writeHead(404).end()
  })
  serverB.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!req.url?.startsWith('/v2/live')) return socket.destroy()
    wssB.handleUpgrade(req, socket, head, (ws) => wssB.emit('connection', ws, req))
  })

  const sockets = new Set<Duplex>()
  for (const server of [serverA, serverB])
    server.on('connection', (socket) => {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
    })
  const listen = (server: Server, at: number) =>
    new Promise<void>((done, fail) => {
      server.once('error', fail)
      server.listen(at, host, () => {
        server.off('error', fail)
        done()
      })
    })
  const stop = (server: Server) => new Promise<void>((done) => server.close(() => done()))
  const stopAll = async () => {
    for (const client of everyone()) client.terminate()
    for (const socket of sockets) socket.destroy()
    await Promise.all([stop(serverA), stop(serverB)])
  }
  await listen(serverA, port)
  // A taken port must not leave the other address listening (the e2e fixture retries elsewhere).
  await listen(serverB, port + 1).catch(async (error) => {
    await stop(serverA)
    throw error
  })

  let n = 0
  const ticker = setInterval(() => broadcast({ type: 'tick', n: ++n, at: new Date().toISOString() }), 1000)
  ticker.unref()
  let revive: ReturnType<typeof setTimeout> | undefined
  let reopen: ReturnType<typeof setTimeout> | undefined
  let closed = false

  return {
    v1,
    v2,
    state: () => ({
      moved,
      cors,
      downUntil,
      signIn,
      maintenanceUntil,
      answeredLater: [...answeredLater],
      lastConnectionAt,
      clients: { v1: wssA.clients.size, v2: wssB.clients.size },
      connections,
      v1,
      v2,
    }),
    chats: () => [...chats.values()].map((chat) => ({ ...chat })),
    setMoved: (value) => {
      moved = value
    },
    setCors: (value) => {
      cors = value
    },
    moveClients: (spreadMs) => moveClients(wssA.clients, v2, { spreadMs }),
    restart() {
      for (const client of everyone()) client.close(1012, 'service restart')
    },
    down(seconds) {
      if (downUntil) return
      downUntil = Date.now() + seconds * 1000
      void stopAll().then(() => {
        if (closed) return
        revive = setTimeout(async () => {
          await Promise.all([listen(serverA, port), listen(serverB, port + 1)])
          downUntil = null
        }, seconds * 1000)
      })
    },
    maintenance(seconds) {
      if (later) return
      maintenanceUntil = Date.now() + seconds * 1000
      answeredLater.length = 0 // this maintenance's answers only: a long-running demo keeps no history
      later = createComeBackLater({ retryAfter: seconds, origins: admits })
      for (const client of wssA.clients) client.close(1012, 'maintenance')
      reopen = setTimeout(() => {
        later = undefined
        maintenanceUntil = null
      }, seconds * 1000)
    },
    setSignIn(on) {
      signIn = on
      if (on) for (const client of wssA.clients) client.close(1012, 'sign in again')
    },
    malformed() {
      broadcast('this is not JSON {')
      broadcast(JSON.stringify({ type: 'tick', n: 'seven', at: 'yesterday' }))
    },
    async close() {
      closed = true
      clearInterval(ticker)
      clearTimeout(revive)
      clearTimeout(reopen)
      if (!downUntil) await stopAll()
    },
  }
}
