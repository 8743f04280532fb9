// A real node:http server on 127.0.0.1 at a runtime port, wired the way the README tells users
// to wire @followsocket/server: the redirects answer first, the app (WebSocket endpoints, a 404)
// gets the rest. It records every request so tests can count preflights and read the Origin
// each hop saw. Shared by the Node tests and the Chromium tests.
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http'
import { connect as netConnect } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import type { Redirects } from '../src'

export interface Seen {
  kind: 'get' | 'upgrade' | 'other'
  method: string
  path: string
  /** The Origin header, when there was one ('null' included). */
  origin?: string
}

export interface Endpoint {
  /** Server-side sockets, in the order they connected. */
  readonly sockets: WebSocket[]
  readonly wss: WebSocketServer
  /** Resolves with the next connection the endpoint accepts. */
  nextConnection(): Promise<WebSocket>
}

export interface TestServer {
  readonly origin: string
  readonly port: number
  http(path: string): string
  ws(path: string): string
  readonly seen: Seen[]
  count(path: string, kind?: Seen['kind']): number
  /** The redirects that answer before the app; replaceable while the server runs. */
  redirects?: Redirects
  /** A WebSocket endpoint; its plain GET answers 426 with Access-Control-Allow-Origin per `cors` (default '*'). */
  endpoint(path: string, options?: { cors?: string[] | '*' }): Endpoint
  /** Handles requests no redirect answered, before the endpoints; return true when handled. */
  app?: (req: IncomingMessage, res: ServerResponse) => boolean
  close(): Promise<void>
}

const pathOf = (req: IncomingMessage) => new URL(req.url ?? '/', 'http://x').pathname

export async function startServer(redirects?: Redirects): Promise<TestServer> {
  const endpoints = new Map<string, { wss: WebSocketServer; cors: string[] | '*' }>()
  const sockets = new Set<Duplex>()
  const seen: Seen[] = []
  const record = (req: IncomingMessage, kind: Seen['kind']) => {
    const origin = req.headers.origin
    seen.push({ kind, method: req.method ?? '', path: pathOf(req), ...(origin !== undefined ? { origin } : {}) })
  }

  const server = createServer((req, res) => {
    record(req, req.method === 'GET' ? 'get' : 'other')
    if (self.redirects?.request(req, res)) return
    if (self.app?.(req, res)) return
    const endpoint = endpoints.get(pathOf(req))
    if (!endpoint) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('app: not found')
    const origin = req.headers.origin
    const allow = endpoint.cors === '*' ? '*' : origin && endpoint.cors.includes(origin) ? origin : undefined
    res.writeHead(426, {
      upgrade: 'websocket',
      vary: 'Origin',
      ...(allow ? { 'access-control-allow-origin': allow } : {}),
    })
    res.end('upgrade required')
  })
  server.on('upgrade', (req, socket, head) => {
    record(req, 'upgrade')
    if (self.redirects?.upgrade(req, socket, head)) return
    const endpoint = endpoints.get(pathOf(req))
    if (!endpoint) return void socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')
    endpoint.wss.handleUpgrade(req, socket, head, (ws) => endpoint.wss.emit('connection', ws, req))
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const port = (server.address() as { port: number }).port

  const self: TestServer = {
    origin: `http://127.0.0.1:${port}`,
    port,
    http: (path) => `http://127.0.0.1:${port}${path}`,
    ws: (path) => `ws://127.0.0.1:${port}${path}`,
    seen,
    count: (path, kind) => seen.filter((r) => r.path === path && (kind === undefined || r.kind === kind)).length,
    redirects,
    endpoint(path, options = {}) {
      const wss = new WebSocketServer({ noServer: true })
      const connected: WebSocket[] = []
      let waiters: ((ws: WebSocket) => void)[] = []
      wss.on('connection', (ws) => {
        connected.push(ws)
        for (const waiter of waiters.splice(0)) waiter(ws)
      })
      endpoints.set(path, { wss, cors: options.cors ?? '*' })
      return { sockets: connected, wss, nextConnection: () => new Promise((done) => waiters.push(done)) }
    },
    close: () =>
      new Promise<void>((done) => {
        for (const { wss } of endpoints.values()) for (const ws of wss.clients) ws.terminate()
        for (const socket of sockets) socket.destroy()
        server.close(() => done())
      }),
  }
  return self
}

export interface Answer {
  status: number
  headers: IncomingHttpHeaders
}

/** One plain request (GET by default) with `headers`, as a preflight sends it; the body is dropped. */
export const get = (url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> =>
  new Promise((done, fail) => {
    httpRequest(url, { method, headers, agent: false }, (res) => {
      res.resume()
      res.on('end', () => done({ status: res.statusCode!, headers: res.headers }))
    })
      .on('error', fail)
      .end()
  })

/**
 * A WebSocket opening handshake (RFC 6455 §4.1) written on a raw TCP socket; resolves with the
 * status and headers of the answer once the server has ended the connection, so a server that
 * answered but left the socket open fails the test by timing out. With `untilEnd: false` it
 * resolves as soon as the head of the answer is in (a server that keeps connections alive).
 */
export const upgrade = (
  url: string,
  headers: Record<string, string> = {},
  { untilEnd = true } = {},
): Promise<Answer & { raw: string }> =>
  new Promise((done, fail) => {
    const { hostname, port, pathname, search } = new URL(url)
    const socket = netConnect(Number(port), hostname)
    let raw = ''
    socket.setEncoding('latin1')
    socket.on('data', (chunk) => {
      raw += chunk
      if (!untilEnd && raw.includes('\r\n\r\n')) answer()
    })
    socket.on('error', fail)
    socket.on('end', () => answer())
    const answer = () => {
      const [head = ''] = raw.split('\r\n\r\n')
      const [statusLine = '', ...lines] = head.split('\r\n')
      const fields: IncomingHttpHeaders = {}
      for (const line of lines) {
        const colon = line.indexOf(':')
        fields[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
      }
      done({ status: Number(statusLine.split(' ')[1]), headers: fields, raw })
      socket.destroy()
    }
    const extra = Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('')
    socket.write(
      `GET ${pathname}${search} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`,
    )
  })
