// The doctor's fixes for Caddy, as the server README's "### Caddy" recipe writes them (tested
// there on a real Caddy 2.6): lines for the site block, with named matchers for the path, its
// upgrade and the admitted origins. Caddy runs `header` before `redir` whatever their order in
// the block, so the redirects carry the headers.
import { toHttp, toWs } from '../../url'
import type { Answer, Move } from './answer'

const SITE = '# in the site block:'
const inBlock = (lines: string[]) => lines.map((line) => `\t${line}`)

/** `@name path <path>`, or a block when more conditions narrow it (each field's values are ORed). */
const matcher = (name: string, path: string, conditions: string[] = []) =>
  conditions.length ? [`@${name} {`, ...inBlock([`path ${path}`, ...conditions]), '}'] : [`@${name} path ${path}`]

// Caddy 2.6 has no {?query} placeholder (newer ones do): the map makes it.
const query = [
  '# The query string, with its "?", or nothing: Locations keep it.',
  'map {query} {followsocket_query} {',
  ...inBlock(['""      ""', 'default ?{query}']),
  '}',
]

/** The upgrade gets the ws(s) Location, the GET the http(s) one (fetch follows no other scheme). */
const redirects = (move: Move) => [
  `redir @moved_upgrade ${toWs(move.target)}{followsocket_query} ${move.status}`,
  `redir @moved ${toHttp(move.target)}{followsocket_query} ${move.status}`,
]

export const answer = (a: Answer): string => {
  // Named for what answers there: the moved path, or the endpoint's own GET.
  const name = a.move ? 'moved' : 'endpoint'
  // Credentials without CORS lines: the origin is admitted already, by whatever admits it today.
  const alone = a.credentials && !a.origins
  const lines = [
    ...(a.move ? query : []),
    ...(a.move || a.vary || alone ? matcher(name, a.path) : []),
    ...(a.move ? matcher('moved_upgrade', a.path, ['header Connection *Upgrade*', 'header Upgrade websocket']) : []),
    ...(a.origins
      ? matcher(
          'admitted',
          a.path,
          a.origins.map((origin) => `header Origin ${origin}`),
        )
      : []),
    ...(a.vary ? [`header @${name} Vary Origin`] : []),
    ...(a.origins ? ['header @admitted Access-Control-Allow-Origin {http.request.header.Origin}'] : []),
    ...(a.credentials ? [`header @${alone ? name : 'admitted'} Access-Control-Allow-Credentials true`] : []),
    ...(a.move ? redirects(a.move) : []),
  ]
  return [SITE, ...inBlock(lines)].join('\n')
}

/** reverse_proxy passes WebSockets through as they are. */
export const endpoint = (path: string): string =>
  [SITE, ...inBlock(['# The address of your WebSocket app:', `reverse_proxy ${path} 127.0.0.1:9001`])].join('\n')

export const exposeRetryAfter = [SITE, ...inBlock(['header Access-Control-Expose-Headers Retry-After'])].join('\n')
