// The lines to add, ready to paste: the header lines a failing answer needs, the createRedirects()
// options of @followsocket/server that send them, and the same answers from nginx, HAProxy and
// Caddy, each written as the server README's recipe for that proxy writes it (fixes/*.ts).
import { toHttp, toWs } from '../url'
import type { Cors } from './cors'
import type { Answer, Move } from './fixes/answer'
import * as caddy from './fixes/caddy'
import * as haproxy from './fixes/haproxy'
import * as nginx from './fixes/nginx'

export type { Answer, Move } from './fixes/answer'

export interface Fix {
  /** Header lines the answer needs, exactly as sent. */
  headers?: string[]
  /** For @followsocket/server (createRedirects) or a Node handler. */
  server?: string
  nginx?: string
  haproxy?: string
  caddy?: string
}

const quote = (text: string) => `'${text}'`
const CREDENTIALS = 'Access-Control-Allow-Credentials: true'
const SET_CREDENTIALS = "res.setHeader('Access-Control-Allow-Credentials', 'true')"
const corsHeaders = (sent: string, credentials: boolean) => [
  `Access-Control-Allow-Origin: ${sent}`,
  ...(credentials ? [CREDENTIALS] : []),
  'Vary: Origin',
]

/** `target` without the query the request carried (createRedirects and the proxies append it). */
export const moveOf = (from: string, status: number, to: string): Move => {
  const request = new URL(from)
  const target = new URL(to)
  if (target.search === request.search) target.search = ''
  return { path: request.pathname, status, target }
}

/**
 * Origins a hop must admit: the Origin it was sent, and the page's own as well when that was
 * `null` (a page that connects to this URL directly sends its own origin).
 */
export const originsFor = (sent: string, page: string): string[] =>
  sent === 'null' && page !== 'null' ? [page, 'null'] : [sent]

const proxies = (answer: Answer): Pick<Fix, 'nginx' | 'haproxy' | 'caddy'> => ({
  nginx: nginx.answer(answer),
  haproxy: haproxy.answer(answer),
  caddy: caddy.answer(answer),
})

const rule = (move: Move, origins: string[] | undefined, credentials: boolean) =>
  `createRedirects({ rules: { ${quote(move.path)}: ${quote(toWs(move.target))} }` +
  (move.status !== 308 ? `, status: ${move.status}` : '') +
  (origins ? `, origins: [${origins.map(quote).join(', ')}]` : '') +
  (credentials ? ', credentials: true' : '') +
  ' })'

/** For an endpoint's own GET, which the app answers (createRedirects does not). */
const ownGet = (path: string, origins: string[], credentials: boolean) =>
  [
    `// where your server answers GET ${path} (the 426 or whatever it answers before the upgrade):`,
    `if ([${origins.map(quote).join(', ')}].includes(req.headers.origin)) ` +
      "res.setHeader('Access-Control-Allow-Origin', req.headers.origin)",
    ...(credentials ? [SET_CREDENTIALS] : []),
    "res.setHeader('Vary', 'Origin')",
  ].join('\n')

/** CORS headers for one answer: a redirect (`move`) or the endpoint's own GET (`path`). */
export const corsFix = (cors: Cors, page: string, credentials: boolean, where: { move?: Move; path: string }): Fix => {
  const sent = cors.origin!
  const origins = originsFor(sent, page)
  // The origin is admitted already; only the credentials header is missing.
  if (cors.problem === 'no-credentials')
    return {
      headers: [CREDENTIALS],
      server: where.move ? rule(where.move, origins, true) : SET_CREDENTIALS,
      ...proxies({ ...where, credentials: true, vary: false }),
    }
  return {
    headers: corsHeaders(sent, credentials),
    server: where.move ? rule(where.move, origins, credentials) : ownGet(where.path, origins, credentials),
    ...proxies({ ...where, origins, credentials, vary: true }),
  }
}

/** `Vary: Origin` beside an echoed Access-Control-Allow-Origin. */
export const varyFix = (where: { move?: Move; path: string }): Fix => ({
  headers: ['Vary: Origin'],
  server: where.move
    ? `${rule(where.move, undefined, false)} // sends Vary: Origin on every redirect`
    : "res.setHeader('Vary', 'Origin')",
  ...proxies({ ...where, credentials: false, vary: true }),
})

// How the GET and the upgrade both reach the redirects, for a server that redirects only one.
const WIRE = [
  "server.on('request', (req, res) => redirects.request(req, res) || app(req, res)) // the GET",
  "server.on('upgrade', (req, socket, head) => redirects.upgrade(req, socket, head) || wss.handleUpgrade(…))" +
    ' // the upgrade',
]

/**
 * Answer the GET with this redirect (http(s) Location), with CORS when the request is
 * cross-origin (`cors`: the Origin it carries, the origins to admit): for a GET that is not
 * redirected, or redirected to a ws(s): or insecure URL. `wire`: show how both requests reach it.
 */
export const redirectFix = (
  move: Move,
  cors: { sent: string; origins: string[] } | undefined,
  credentials: boolean,
  wire: boolean,
): Fix => {
  // The proxies' lines carry CORS headers only for a cross-origin request, and credentials only with them.
  const answer = { path: move.path, move, origins: cors?.origins, credentials: !!cors && credentials, vary: !!cors }
  return {
    headers: [`Location: ${toHttp(move.target)}`, ...(cors ? corsHeaders(cors.sent, credentials) : [])],
    server: [`const redirects = ${rule(move, cors?.origins, credentials)}`, ...(wire ? WIRE : [])].join('\n'),
    ...proxies(answer),
  }
}

/** A WebSocket endpoint at `path`, for a final URL that does not answer the handshake with 101. */
export const endpointFix = (path: string): Fix => ({
  server: [
    "const wss = new WebSocketServer({ noServer: true }) // from 'ws'",
    "server.on('upgrade', (req, socket, head) => {",
    '  if (redirects.upgrade(req, socket, head)) return',
    `  if (new URL(req.url, 'http://x').pathname == ${quote(path)}) ` +
      "wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))",
    '})',
  ].join('\n'),
  nginx: nginx.endpoint(path),
  haproxy: haproxy.endpoint(path),
  caddy: caddy.endpoint(path),
})

/**
 * Access-Control-Expose-Headers: Retry-After, without which a page of another origin cannot read
 * how long to wait (`retryAfter`: the value the endpoint sends, seconds or an HTTP date).
 */
export const retryAfterFix = (retryAfter: string, page: string): Fix => ({
  headers: ['Access-Control-Expose-Headers: Retry-After'],
  server:
    `createComeBackLater({ retryAfter: ${/^\d+$/.test(retryAfter) ? retryAfter : `new Date('${retryAfter}')`}, ` +
    `origins: [${quote(page)}] }) // answers the GET and the upgrade alike`,
  nginx: nginx.exposeRetryAfter,
  haproxy: haproxy.exposeRetryAfter,
  caddy: caddy.exposeRetryAfter,
})
