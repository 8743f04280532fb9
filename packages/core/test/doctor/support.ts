// What the doctor tests share: the BUILT command, run as a user runs it (a child process of
// dist/cli.js), and real servers on 127.0.0.1 at runtime ports: node:http(s) sites where
// @followsocket/server's createRedirects, `ws` endpoints or hand-written handlers answer, a raw
// node:net server for broken handshakes, and a throw-away self-signed certificate from openssl.
import { execFile, execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Duplex } from 'node:stream'
import { fileURLToPath } from 'node:url'
import type { Redirects } from '@followsocket/server'
import { afterEach } from 'vitest'
import { WebSocketServer } from 'ws'

const core = fileURLToPath(new URL('../../', import.meta.url))
export const CLI = join(core, 'dist/cli.js')

// Users run the build, so the tests do; a build older than the code it comes from would test
// yesterday's doctor, which is worse than failing.
// src/cli is read with its subfolders (cli/fixes/).
const sources = [
  ...readdirSync(join(core, 'src/cli'), { recursive: true }).map((f) => join(core, 'src/cli', String(f))),
  ...['redirect-policy.ts', 'url.ts', 'errors.ts', 'options.ts'].map((f) => join(core, 'src', f)),
]
if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build core first (cd packages/core && npm run build)`)
const stale = sources.find((file) => statSync(file).mtimeMs > statSync(CLI).mtimeMs)
if (stale) throw new Error(`${CLI} is older than ${stale}: rebuild core (cd packages/core && npm run build)`)

export interface Run {
  code: number
  stdout: string
  stderr: string
}

/** `node dist/cli.js …args`, resolved when it exits. stdout is a pipe, so no colours. */
export const doctor = (...args: string[]): Promise<Run> =>
  new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], (error, stdout, stderr) =>
      done({ code: error ? Number(error.code) : 0, stdout, stderr }),
    )
  })

/** A fix's lines for `form` (nginx, HAProxy, Caddy…) as the text report prints them, heading included. */
export const printed = (form: string, lines: string[]): string =>
  [`  with ${form}:`, ...lines.map((line) => `    ${line}`)].join('\n')

/** The line of `text` that contains `needle` (for asserting the ✓/✗ of one hop). */
export const lineWith = (text: string, needle: string): string =>
  text.split('\n').find((line) => line.includes(needle)) ?? `(no line with ${needle})`

export interface Seen {
  kind: 'get' | 'upgrade'
  path: string
  origin?: string
}

export interface Site {
  readonly port: number
  readonly origin: string
  http(path: string): string
  ws(path: string): string
  /** Every request, in order, with the Origin it carried. */
  readonly seen: Seen[]
  /** Answers first, GET and upgrade alike. */
  redirects?: Redirects
  /** Hand-written answers to GETs (true: answered), after the redirects. */
  get?: (req: IncomingMessage, res: ServerResponse) => boolean | void
  /** Hand-written answers to upgrades (true: answered), after the redirects. */
  upgrade?: (req: IncomingMessage, socket: Duplex) => boolean | void
  /** A WebSocket endpoint (`ws`); its GET answers 426 with Access-Control-Allow-Origin per `cors`. */
  endpoint(path: string, cors?: string[] | '*'): void
  close(): Promise<void>
}

const pathOf = (req: IncomingMessage) => new URL(req.url ?? '/', 'http://x').pathname

/** A node:http (or https, with `tls`) server on 127.0.0.1 at a runtime port; anything unanswered is a 404. */
export async function site(tls?: { key: string; cert: string }): Promise<Site> {
  const endpoints = new Map<string, string[] | '*'>()
  const wss = new WebSocketServer({ noServer: true })
  const sockets = new Set<Duplex>()
  const seen: Seen[] = []
  const record = (req: IncomingMessage, kind: Seen['kind']) =>
    seen.push({ kind, path: pathOf(req), ...(req.headers.origin !== undefined && { origin: req.headers.origin }) })
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    record(req, 'get')
    if (self.redirects?.request(req, res) || self.get?.(req, res)) return
    const cors = endpoints.get(pathOf(req))
    if (!cors) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
    const origin = req.headers.origin
    const allow = cors === '*' ? '*' : origin !== undefined && cors.includes(origin) ? origin : undefined
    res
      .writeHead(426, { upgrade: 'websocket', vary: 'Origin', ...(allow && { 'access-control-allow-origin': allow }) })
      .end('upgrade required')
  }
  const server = tls ? createHttpsServer(tls, onRequest) : createHttpServer(onRequest)
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    record(req, 'upgrade')
    if (self.redirects?.upgrade(req, socket, head) || self.upgrade?.(req, socket)) return
    if (!endpoints.has(pathOf(req)))
      return void socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')
    wss.handleUpgrade(req, socket, head, (ws) => ws.on('error', () => {}))
  })
  server.on(tls ? 'secureConnection' : 'connection', (socket: Duplex) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const port = (server.address() as { port: number }).port
  const scheme = tls ? 'https' : 'http'
  const self: Site = {
    port,
    origin: `${scheme}://127.0.0.1:${port}`,
    http: (path) => `${scheme}://127.0.0.1:${port}${path}`,
    ws: (path) => `${tls ? 'wss' : 'ws'}://127.0.0.1:${port}${path}`,
    seen,
    endpoint: (path, cors = '*') => void endpoints.set(path, cors),
    close: () =>
      new Promise<void>((done) => {
        for (const ws of wss.clients) ws.terminate()
        for (const socket of sockets) socket.destroy()
        server.close(() => done())
      }),
  }
  return self
}

/**
 * A raw TCP server that answers each request head with `answer(head)`, for what a real HTTP
 * server would never send (a 101 with a wrong Sec-WebSocket-Accept).
 */
export async function rawSite(
  answer: (head: string) => string,
): Promise<{ port: number; url(path: string): string; close(): Promise<void> }> {
  const sockets = new Set<Socket>()
  const server: NetServer = createNetServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => socket.destroy())
    let head = ''
    socket.setEncoding('latin1')
    socket.on('data', (chunk) => {
      head += chunk
      if (head.includes('\r\n\r\n')) socket.end(answer(head))
    })
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const port = (server.address() as { port: number }).port
  return {
    port,
    url: (path) => `ws://127.0.0.1:${port}${path}`,
    close: () =>
      new Promise<void>((done) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => done())
      }),
  }
}

/** A port nothing listens on: bound, read, released. */
export const closedPort = async (): Promise<number> => {
  const probe = createNetServer()
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done))
  const { port } = probe.address() as { port: number }
  await new Promise((done) => probe.close(done))
  return port
}

/** A self-signed certificate for 127.0.0.1, made by openssl in a temporary directory. */
export const selfSigned = (): { key: string; cert: string; certFile: string; dispose(): void } => {
  const dir = mkdtempSync(join(tmpdir(), 'followsocket-doctor-tls-'))
  const keyFile = join(dir, 'key.pem')
  const certFile = join(dir, 'cert.pem')
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' },
  )
  return {
    key: readFileSync(keyFile, 'utf8'),
    cert: readFileSync(certFile, 'utf8'),
    certFile,
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  }
}

/** Opens sites for this test file's tests: every site a test opens is closed after it. */
export const sitesPerTest = () => {
  const sites: Site[] = []
  afterEach(async () => {
    await Promise.all(sites.splice(0).map((s) => s.close()))
  })
  return async (): Promise<Site> => {
    const s = await site()
    sites.push(s)
    return s
  }
}
