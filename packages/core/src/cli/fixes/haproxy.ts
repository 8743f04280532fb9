// The doctor's fixes for HAProxy, as the server README's "### HAProxy" recipe writes them (tested
// there on a real HAProxy 2.6): rules for the frontend, where an acl names the path, the GET gets
// the http(s) Location and the upgrade the ws(s) one, and headers are set by http-after-response.
// Response rules no longer see the request, so what they need is kept in txn variables.
import { toHttp, toWs } from '../../url'
import type { Answer, Move } from './answer'

const FRONTEND = '# in the frontend:'
const inSection = (lines: string[]) => lines.map((line) => `    ${line}`)

/**
 * A Location as written, then the request's query from "?" on. `%` starts a sample in HAProxy's
 * log-format strings, so a percent-encoded URL's own `%` is doubled.
 */
const location = (url: string) => `"${url.replaceAll('%', '%%')}%[url,regsub(^[^?]*,)]"`

/** The upgrade gets the ws(s) Location, the GET the http(s) one (fetch follows no other scheme). */
const redirects = (move: Move, acl: string) => [
  `http-request redirect code ${move.status} location ${location(toWs(move.target))} if ${acl} followsocket_upgrade`,
  `http-request redirect code ${move.status} location ${location(toHttp(move.target))} if ${acl}`,
]

const setVar = (name: string, value: string, condition: string) =>
  `http-request set-var(txn.${name}) ${value} if ${condition}`
// http-after-response, not http-response: only it reaches the answers HAProxy makes itself.
const setHeader = (name: string, value: string, condition?: string) =>
  `http-after-response set-header ${name} ${value}${condition ? ` if ${condition}` : ''}`

export const answer = (a: Answer): string => {
  // Named for what answers there: the moved path, or the endpoint's own GET.
  const acl = a.move ? 'followsocket_moved' : 'followsocket_endpoint'
  const marked = `{ var(txn.${acl}) -m bool }`
  const admitted = '{ var(txn.followsocket_origin) -m found }'
  // Credentials without CORS lines: the origin is admitted already, by whatever admits it today.
  const alone = a.credentials && !a.origins
  const lines = [
    `acl ${acl} path ${a.path}`,
    ...(a.move ? ['acl followsocket_upgrade hdr(upgrade) -i websocket'] : []),
    ...(a.origins ? [`acl followsocket_admitted req.hdr(origin) -m str ${a.origins.join(' ')}`] : []),
    ...(a.vary || alone ? [setVar(acl, 'bool(true)', acl)] : []),
    ...(a.origins ? [setVar('followsocket_origin', 'req.hdr(origin)', `${acl} followsocket_admitted`)] : []),
    ...(a.move ? redirects(a.move, acl) : []),
    ...(a.origins ? [setHeader('Access-Control-Allow-Origin', '"%[var(txn.followsocket_origin)]"', admitted)] : []),
    ...(a.credentials ? [setHeader('Access-Control-Allow-Credentials', 'true', alone ? marked : admitted)] : []),
    ...(a.vary ? [setHeader('Vary', 'Origin', marked)] : []),
  ]
  return [FRONTEND, ...inSection(lines)].join('\n')
}

/** WebSockets pass through HAProxy's HTTP mode as a tunnel, to a backend of their own. */
export const endpoint = (path: string): string =>
  [
    FRONTEND,
    ...inSection([`use_backend followsocket_ws if { path ${path} }`]),
    '# beside it:',
    'backend followsocket_ws',
    ...inSection([
      '# An open WebSocket is a tunnel: it may stay idle this long (heartbeats keep it well below).',
      'timeout tunnel 1h',
      '# The address of your WebSocket app:',
      'server app1 127.0.0.1:9001',
    ]),
  ].join('\n')

export const exposeRetryAfter = [
  FRONTEND,
  ...inSection([setHeader('Access-Control-Expose-Headers', 'Retry-After')]),
].join('\n')
