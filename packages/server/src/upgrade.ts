import type { Duplex } from 'node:stream'
import type { RedirectStatus } from './config'

const REASONS: Record<RedirectStatus, string> = {
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
}

/**
 * Answers a WebSocket opening handshake with a redirect (RFC 6455 §4.1 lets a server do so) and
 * ends the socket. Once the `upgrade` event fires, Node's http server has let go of the socket,
 * so the answer is written raw, as `ws` writes its own refusals. A `Location` is always a
 * valid header value here: it comes from URL.href, which has no CR, LF or non-ASCII byte.
 */
export const answerUpgrade = (socket: Duplex, status: RedirectStatus, location: string): void => {
  // The http server no longer listens for errors on a socket it handed over: a reset from the
  // client would otherwise be an uncaught 'error'.
  socket.on('error', () => socket.destroy())
  if (!socket.writable) return void socket.destroy()
  socket.once('finish', () => socket.destroy())
  socket.end(
    `HTTP/1.1 ${status} ${REASONS[status]}\r\n` +
      `Location: ${location}\r\n` +
      'Content-Length: 0\r\n' +
      'Connection: close\r\n' +
      '\r\n',
  )
}
