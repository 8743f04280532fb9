// The lines to add, ready to paste: the header lines a failing answer needs, the createRedirects()
// options of @followsocket/server that send them, and the nginx directives (the README recipe's).
import type { Cors } from './cors'

export interface Fix {
  /** Header lines the answer needs, exactly as sent. */
  headers?: string[]
  /** For @followsocket/server (createRedirects) or a Node handler. */
  server?: string
  nginx?: string
}

/** A redirect, as a rule of createRedirects() or an nginx `return` needs it. */
export interface Move {
  /** The path of the URL that answers (no query). */
  path: string
  status: number
  /** The target; the request's own query is left out, since both helpers carry it over. */
  target: URL
}

const quote = (text: string) => `'${text}'`
const ws = (url: URL) => url.href.replace(/^http/, 'ws')
const http = (url: URL) => url.href.replace(/^ws/, 'http')

/** `target` without the query the request carried (createRedirects and `$is_args$args` append it). */
export const moveOf = (from: string, status: number, to: string): Move => {
  const request = new URL(from)
  const target = new URL(to)
  if (target.search == request.search) target.search = ''
  return { path: request.pathname, status, target }
}

/**
 * Origins a hop must admit: the Origin it was sent, and the page's own as well when that was
 * `null` (a page that connects to this URL directly sends its own origin).
 */
export const originsFor = (sent: string, page: string): string[] => (sent == 'null' && page != 'null' ? [page, 'null'] : [sent])

const rule = (move: Move, origins: string[] | undefined, credentials: boolean) =>
  `createRedirects({ rules: { ${quote(move.path)}: ${quote(ws(move.target))} }` +
  (move.status != 308 ? `, status: ${move.status}` : '') +
  (origins ? `, origins: [${origins.map(quote).join(', ')}]` : '') +
  (credentials ? ', credentials: true' : '') +
  ' })'

/** nginx: a map from the Origin to the value to echo (README recipe), when more than one origin is admitted. */
const nginxMap = (origins: string[]) =>
  [
    '# in http { }:',
    'map $http_origin $followsocket_cors {',
    '    default "";',
    ...origins.map((origin) => `    "${origin}" ${origin == 'null' ? '"null"' : '$http_origin'};`),
    '}',
    '# in server { }:',
  ].join('\n')

const nginxCors = (origins: string[], credentials: boolean) => [
  `    add_header Access-Control-Allow-Origin ${origins.length > 1 ? '$followsocket_cors' : `"${origins[0]}"`} always;`,
  ...(credentials ? ['    add_header Access-Control-Allow-Credentials true always;'] : []),
  '    add_header Vary Origin always;',
]

const nginxLocation = (path: string, body: string[]) => [`location = ${path} {`, ...body, '}'].join('\n')
const nginxReturn = (move: Move) => `    return ${move.status} ${http(move.target)}$is_args$args;`
// The endpoint's own location keeps whatever proxies it today; only the headers are new.
const nginxKeep = '    # … the proxy_pass and proxy_set_header lines it has today'

/** CORS headers for one answer: a redirect (`move`) or the endpoint's own GET (`path`). */
export const corsFix = (cors: Cors, page: string, credentials: boolean, where: { move?: Move; path: string }): Fix => {
  const sent = cors.origin!
  if (cors.problem == 'no-credentials')
    return {
      headers: ['Access-Control-Allow-Credentials: true'],
      server: where.move ? `${rule(where.move, originsFor(sent, page), true)}` : `res.setHeader('Access-Control-Allow-Credentials', 'true')`,
      nginx: nginxLocation(where.path, ['    add_header Access-Control-Allow-Credentials true always;', where.move ? nginxReturn(where.move) : nginxKeep]),
    }
  const origins = originsFor(sent, page)
  const headers = [`Access-Control-Allow-Origin: ${sent}`, ...(credentials ? ['Access-Control-Allow-Credentials: true'] : []), 'Vary: Origin']
  const server = where.move
    ? rule(where.move, origins, credentials)
    : [
        `// where your server answers GET ${where.path} (the 426 or whatever it answers before the upgrade):`,
        `if ([${origins.map(quote).join(', ')}].includes(req.headers.origin)) res.setHeader('Access-Control-Allow-Origin', req.headers.origin)`,
        ...(credentials ? [`res.setHeader('Access-Control-Allow-Credentials', 'true')`] : []),
        `res.setHeader('Vary', 'Origin')`,
      ].join('\n')
  const location = nginxLocation(where.path, [...nginxCors(origins, credentials), where.move ? nginxReturn(where.move) : nginxKeep])
  return { headers, server, nginx: origins.length > 1 ? `${nginxMap(origins)}\n${location}` : location }
}

/** `Vary: Origin` beside an echoed Access-Control-Allow-Origin. */
export const varyFix = (where: { move?: Move; path: string }): Fix => ({
  headers: ['Vary: Origin'],
  server: where.move ? `${rule(where.move, undefined, false)} // sends Vary: Origin on every redirect` : `res.setHeader('Vary', 'Origin')`,
  nginx: nginxLocation(where.path, ['    add_header Vary Origin always;', where.move ? nginxReturn(where.move) : nginxKeep]),
})

/**
 * Answer the GET with this redirect (http(s) Location), with CORS when the request is
 * cross-origin (`cors`: the Origin it carries, the origins to admit): for a GET that is not
 * redirected, or redirected to a ws(s): or insecure URL. `wire`: show how both requests reach it.
 */
export const redirectFix = (move: Move, cors: { sent: string; origins: string[] } | undefined, credentials: boolean, wire: boolean): Fix => ({
  headers: [
    `Location: ${http(move.target)}`,
    ...(cors ? [`Access-Control-Allow-Origin: ${cors.sent}`, ...(credentials ? ['Access-Control-Allow-Credentials: true'] : []), 'Vary: Origin'] : []),
  ],
  server: [
    `const redirects = ${rule(move, cors?.origins, credentials)}`,
    ...(wire
      ? [
          "server.on('request', (req, res) => redirects.request(req, res) || app(req, res)) // the GET",
          "server.on('upgrade', (req, socket, head) => redirects.upgrade(req, socket, head) || wss.handleUpgrade(…)) // the upgrade",
        ]
      : []),
  ].join('\n'),
  nginx:
    (cors && cors.origins.length > 1 ? `${nginxMap(cors.origins)}\n` : '') +
    nginxLocation(move.path, [...(cors ? nginxCors(cors.origins, credentials) : []), nginxReturn(move)]),
})

/** A WebSocket endpoint at `path`, for a final URL that does not answer the handshake with 101. */
export const endpointFix = (path: string): Fix => ({
  server: [
    "const wss = new WebSocketServer({ noServer: true }) // from 'ws'",
    "server.on('upgrade', (req, socket, head) => {",
    '  if (redirects.upgrade(req, socket, head)) return',
    `  if (new URL(req.url, 'http://x').pathname == ${quote(path)}) wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))`,
    '})',
  ].join('\n'),
  nginx: nginxLocation(path, [
    '    proxy_pass http://your_websocket_backend;',
    '    proxy_http_version 1.1;',
    '    proxy_set_header Upgrade $http_upgrade;',
    '    proxy_set_header Connection "upgrade";',
  ]),
})
