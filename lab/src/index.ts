import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { readFile } from 'node:fs/promises'
import { createServer as createNetServer } from 'node:net'
import { extname, join, normalize } from 'node:path'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'

/** One request as the lab saw it: preflight GETs and upgrades are told apart. */
export interface LabRequest {
  kind: 'get' | 'upgrade' | 'other'
  method: string
  path: string
  origin?: string
}

/** Who may read a response cross-origin: an origin list, '*', or false for no CORS headers. */
export type Cors = string[] | '*' | false

export interface RedirectRoute {
  status?: number
  /** CORS on the GET's redirect response. Default '*'. */
  cors?: Cors
  credentials?: boolean
  /** Answer the plain GET with the redirect (default true); false answers it 404. */
  get?: boolean
  /** Answer the upgrade with the redirect (default true). */
  upgrade?: boolean
}

export interface Endpoint {
  readonly clients: Set<WebSocket>
  /** Text of every message received, in order. */
  readonly received: string[]
  /** Connections accepted so far. */
  readonly connections: number
  /** Resolves with the next connection the endpoint accepts. */
  nextConnection(): Promise<WebSocket>
  /** Resolves once `count` messages in total have been received. */
  receivedCount(count: number): Promise<string[]>
}

export interface EndpointOptions {
  /** Echo every message back (default true). */
  echo?: boolean
  /** CORS on the GET twin (426 Upgrade Required). Default '*'. */
  cors?: Cors
  /** Accept these subprotocols, first match wins. */
  protocols?: string[]
  /** Called with every message received (after echoing it, if echo is on). */
  onMessage?: (ws: WebSocket, data: Buffer, isBinary: boolean) => void
  /** Called with every connection accepted (a misbehaving server closes it here, say). */
  onConnection?: (ws: WebSocket) => void
}

export interface Lab {
  readonly port: number
  /** http(s)://127.0.0.1:port */
  readonly origin: string
  http(path: string): string
  ws(path: string): string
  readonly requests: LabRequest[]
  count(path: string, kind?: LabRequest['kind']): number
  redirect(path: string, target: string, route?: RedirectRoute): void
  endpoint(path: string, options?: EndpointOptions): Endpoint
  route(path: string, handler: (req: IncomingMessage, res: ServerResponse) => void): void
  /**
   * Answers both the GET and the upgrade at `path` with `status` and `headers` (a server that
   * refuses, is gone or asks to come back later). CORS on the GET: `cors` (default '*'), exposing
   * the given headers to the page.
   */
  status(path: string, status: number, options?: { headers?: Record<string, string>; cors?: Cors }): void
  /** Serves files under `dir` at `prefix` (e.g. '/dist/'). */
  serve(prefix: string, dir: string): void
  /** Forgets the route at `path`: its requests get 404. */
  remove(path: string): void
  /** Stops listening and drops every connection, keeping the port and routes for resume(). */
  down(): Promise<void>
  resume(): Promise<void>
  close(): Promise<void>
}

export interface LabOptions {
  port?: number
  host?: string
  /** Serve https/wss with this key pair. */
  tls?: { key: string; cert: string }
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
}

const corsHeaders = (cors: Cors, origin: string | undefined, credentials = false): Record<string, string> => {
  if (cors === false) return {}
  if (cors === '*' && !credentials) return { 'access-control-allow-origin': '*' }
  const allowed = cors === '*' || (origin !== undefined && cors.includes(origin))
  if (!allowed || origin === undefined) return { vary: 'Origin' }
  return {
    'access-control-allow-origin': origin,
    vary: 'Origin',
    ...(credentials ? { 'access-control-allow-credentials': 'true' } : {}),
  }
}

const pathOf = (req: IncomingMessage) => new URL(req.url ?? '/', 'http://lab').pathname
const queryOf = (req: IncomingMessage) => new URL(req.url ?? '/', 'http://lab').search

/** Starts a lab server on 127.0.0.1 at a free port (or `options.port`). */
export async function startLab(options: LabOptions = {}): Promise<Lab> {
  const host = options.host ?? '127.0.0.1'
  const scheme = options.tls ? 'https' : 'http'
  const requests: LabRequest[] = []
  type Handler = {
    get: (req: IncomingMessage, res: ServerResponse) => void
    upgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void
  }
  const routes = new Map<string, Handler>()
  const statics = new Map<string, string>()
  const servers: WebSocketServer[] = []

  const notFound = (res: ServerResponse) => {
    res.writeHead(404, { 'content-type': 'text/plain', 'access-control-allow-origin': '*' }).end('not found')
  }

  const onRequest = async (req: IncomingMessage, res: ServerResponse) => {
    const path = pathOf(req)
    const origin = req.headers.origin
    requests.push({
      kind: req.method === 'GET' ? 'get' : 'other',
      method: req.method ?? 'GET',
      path,
      ...(origin ? { origin } : {}),
    })
    const route = routes.get(path)
    if (route) return route.get(req, res)
    for (const [prefix, dir] of statics) {
      if (!path.startsWith(prefix)) continue
      const file = normalize(join(dir, path.slice(prefix.length) || 'index.html'))
      if (!file.startsWith(normalize(dir))) return notFound(res)
      try {
        const body = await readFile(file)
        res.writeHead(200, {
          'content-type': MIME[extname(file)] ?? 'application/octet-stream',
          'cache-control': 'no-store',
        })
        return res.end(body)
      } catch {
        return notFound(res)
      }
    }
    notFound(res)
  }

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = pathOf(req)
    const origin = req.headers.origin
    requests.push({ kind: 'upgrade', method: 'GET', path, ...(origin ? { origin } : {}) })
    const route = routes.get(path)
    if (route) return route.upgrade(req, socket, head)
    socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')
  }

  const server: Server = options.tls
    ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, onRequest)
    : createHttpServer(onRequest)
  server.on('upgrade', onUpgrade)
  const sockets = new Set<Duplex>()
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  server.on('secureConnection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })

  let port = options.port ?? 0
  const listen = () =>
    new Promise<void>((done, fail) => {
      server.once('error', fail)
      server.listen(port, host, () => {
        server.off('error', fail)
        port = (server.address() as { port: number }).port
        done()
      })
    })
  await listen()

  const stop = () =>
    new Promise<void>((done) => {
      for (const wss of servers) for (const client of wss.clients) client.terminate()
      for (const socket of sockets) socket.destroy()
      server.close(() => done())
    })

  const lab: Lab = {
    get port() {
      return port
    },
    get origin() {
      return `${scheme}://${host}:${port}`
    },
    http: (path) => `${scheme}://${host}:${port}${path}`,
    ws: (path) => `${scheme === 'https' ? 'wss' : 'ws'}://${host}:${port}${path}`,
    requests,
    count: (path, kind) => requests.filter((r) => r.path === path && (kind === undefined || r.kind === kind)).length,

    redirect(path, target, route = {}) {
      const status = route.status ?? 308
      const located = (req: IncomingMessage, http: boolean) => {
        const url = new URL(target)
        if (http) url.protocol = url.protocol.replace(/^ws/, 'http')
        const query = queryOf(req)
        if (query && !url.search) url.search = query
        return url.href
      }
      routes.set(path, {
        get(req, res) {
          if (route.get === false) return notFound(res)
          res.writeHead(status, {
            location: located(req, true),
            ...corsHeaders(route.cors ?? '*', req.headers.origin, route.credentials),
          })
          res.end()
        },
        upgrade(req, socket) {
          if (route.upgrade === false) return socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n')
          socket.end(
            `HTTP/1.1 ${status} Moved\r\nLocation: ${located(req, false)}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
          )
        },
      })
    },

    endpoint(path, opts = {}) {
      const wss = new WebSocketServer({
        noServer: true,
        ...(opts.protocols
          ? { handleProtocols: (offered: Set<string>) => opts.protocols!.find((p) => offered.has(p)) ?? false }
          : {}),
      })
      servers.push(wss)
      const received: string[] = []
      let connections = 0
      let connectionWaiters: ((ws: WebSocket) => void)[] = []
      let countWaiters: { count: number; done: (all: string[]) => void }[] = []
      wss.on('connection', (ws) => {
        connections++
        for (const waiter of connectionWaiters.splice(0)) waiter(ws)
        opts.onConnection?.(ws)
        ws.on('message', (data, isBinary) => {
          received.push(isBinary ? `<binary ${(data as Buffer).length}>` : data.toString())
          countWaiters = countWaiters.filter((w) => {
            if (received.length < w.count) return true
            w.done(received.slice())
            return false
          })
          if (opts.echo !== false) ws.send(data, { binary: isBinary })
          opts.onMessage?.(ws, data as Buffer, isBinary)
        })
      })
      routes.set(path, {
        get(req, res) {
          res.writeHead(426, {
            upgrade: 'websocket',
            'content-type': 'text/plain',
            ...corsHeaders(opts.cors ?? '*', req.headers.origin),
          })
          res.end('upgrade required')
        },
        upgrade(req, socket, head) {
          wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
        },
      })
      return {
        clients: wss.clients,
        received,
        get connections() {
          return connections
        },
        nextConnection: () => new Promise((done) => connectionWaiters.push(done)),
        receivedCount: (count) =>
          received.length >= count
            ? Promise.resolve(received.slice())
            : new Promise((done) => countWaiters.push({ count, done })),
      }
    },

    route(path, handler) {
      routes.set(path, {
        get: handler,
        upgrade: (_req, socket) => socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'),
      })
    },
    status(path, status, { headers = {}, cors = '*' } = {}) {
      const exposed = Object.keys(headers).join(', ')
      routes.set(path, {
        get(req, res) {
          const allow = corsHeaders(cors, req.headers.origin)
          res.writeHead(status, {
            ...headers,
            ...allow,
            ...(exposed && allow['access-control-allow-origin'] ? { 'access-control-expose-headers': exposed } : {}),
            'content-length': '0',
          })
          res.end()
        },
        upgrade(_req, socket) {
          const lines = Object.entries(headers)
            .map(([name, value]) => `${name}: ${value}\r\n`)
            .join('')
          socket.end(`HTTP/1.1 ${status} Refused\r\n${lines}Content-Length: 0\r\nConnection: close\r\n\r\n`)
        },
      })
    },
    serve(prefix, dir) {
      statics.set(prefix, dir)
    },
    remove(path) {
      routes.delete(path)
    },
    down: stop,
    resume: listen,
    close: stop,
  }
  return lab
}

/** A port of 127.0.0.1 nothing listens on right now, for a server the test starts elsewhere (nginx, a child process). */
export const freePort = () =>
  new Promise<number>((done) => {
    const probe = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => done(port))
    })
  })
