import type { Duplex } from 'node:stream'
import type { RedirectStatus } from './config'

/**
 * The reason phrases of the statuses this package writes raw. Our own, not node:http's
 * STATUS_CODES: the modules a Fetch-API server bundles (a Worker has no Node built-ins without
 * `nodejs_compat`) reach this one through createRedirects(), so it may import nothing from
 * Node at run time. RFC 9110 §15 and RFC 6585 §4 name them.
 */
const REASONS: Record<RedirectStatus | 429 | 503, string> = {
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
}

/**
 * Answers a WebSocket opening handshake with something other than 101 (a redirect, which
 * RFC 6455 §4.1 lets a server send, or a 503 "come back later") and ends the socket. Once the
 * `upgrade` event fires, Node's http server has let go of the socket, so the answer is written
 * raw, as `ws` writes its own refusals. Header values here are always valid: a Location comes
 * from URL.href, which has no CR, LF or non-ASCII byte, and the others are ours.
 */
export const answerUpgrade = (socket: Duplex, status: keyof typeof REASONS, headers: Record<string, string>): void => {
  // The http server no longer listens for errors on a socket it handed over: a reset from the
  // client would otherwise be an uncaught 'error'.
  socket.on('error', () => socket.destroy())
  if (!socket.writable) return void socket.destroy()
  socket.once('finish', () => socket.destroy())
  const fields = Object.entries({ ...headers, 'content-length': '0', connection: 'close' })
  socket.end(
    `HTTP/1.1 ${status} ${REASONS[status]}\r\n${fields.map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`,
  )
}
