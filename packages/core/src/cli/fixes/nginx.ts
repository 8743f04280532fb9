// The doctor's fixes for nginx, as the server README's "### nginx" recipe writes them (tested
// there on a real nginx): a `location = <path>` block whose add_header lines and `return` answer
// the GET and the upgrade alike, and a map in http { } when more than one origin is admitted.
import { toHttp } from '../../url'
import type { Answer, Move } from './answer'

const location = (path: string, body: string[]) => [`location = ${path} {`, ...body, '}'].join('\n')

/** From the Origin to the value to echo; `add_header` with an empty value adds nothing. */
const originMap = (origins: string[]) =>
  [
    '# in http { }:',
    'map $http_origin $followsocket_cors {',
    '    default "";',
    ...origins.map((origin) => `    "${origin}" ${origin === 'null' ? '"null"' : '$http_origin'};`),
    '}',
    '# in server { }:',
  ].join('\n')

// The http(s) Location for both requests: followsocket treats http(s) and ws(s) Locations alike.
const redirect = (move: Move) => `    return ${move.status} ${toHttp(move.target)}$is_args$args;`
// Without a redirect, the location keeps whatever proxies it today; only the headers are new.
const keep = '    # … the proxy_pass and proxy_set_header lines it has today'

// `always`: without it nginx adds a header to 200, 201, 204, 206, 301–304, 307 and 308 only, not to
// the 426 or 503 an endpoint's GET may get.
const header = (name: string, value: string) => `    add_header ${name} ${value} always;`

export const answer = (a: Answer): string => {
  const mapped = a.origins !== undefined && a.origins.length > 1
  const body = [
    ...(a.origins ? [header('Access-Control-Allow-Origin', mapped ? '$followsocket_cors' : `"${a.origins[0]}"`)] : []),
    ...(a.credentials ? [header('Access-Control-Allow-Credentials', 'true')] : []),
    ...(a.vary ? [header('Vary', 'Origin')] : []),
    a.move ? redirect(a.move) : keep,
  ]
  const block = location(a.path, body)
  return mapped ? `${originMap(a.origins!)}\n${block}` : block
}

/** The WebSocket handshake passed to the app: HTTP/1.1 and the hop-by-hop Upgrade headers. */
export const endpoint = (path: string): string =>
  location(path, [
    '    proxy_pass http://your_websocket_backend;',
    '    proxy_http_version 1.1;',
    '    proxy_set_header Upgrade $http_upgrade;',
    '    proxy_set_header Connection "upgrade";',
  ])

export const exposeRetryAfter = 'add_header Access-Control-Expose-Headers Retry-After always;'
