export type ErrorCode =
  | 'INVALID_URL'
  | 'INVALID_OPTIONS'
  | 'REDIRECT_LOOP'
  | 'TOO_MANY_REDIRECTS'
  | 'INSECURE_REDIRECT'
  | 'REDIRECT_NOT_ALLOWED'
  | 'DISCOVERY_BLOCKED'
  | 'DISCOVERY_TIMEOUT'
  | 'HANDSHAKE_FAILED'
  | 'CONNECT_TIMEOUT'
  | 'HEARTBEAT_TIMEOUT'
  | 'RETRIES_EXHAUSTED'
  | 'SEND_BUFFER_FULL'
  | 'CLOSED'
  | 'INVALID_MESSAGE'

// One table of advice, written for the person reading a console or a banner: what to do next.
// The caller supplies what happened (with the URL or field), this table the remedy.
const advice: Record<ErrorCode, string> = {
  INVALID_URL: 'Pass an absolute ws:, wss:, http: or https: URL.',
  INVALID_OPTIONS: 'Fix the option named above; see the followsocket README for allowed values.',
  REDIRECT_LOOP: 'The server redirects in a circle; point the redirect at the final endpoint.',
  TOO_MANY_REDIRECTS: 'Shorten the redirect chain on the server, or raise maxRedirects.',
  INSECURE_REDIRECT: 'Redirect to a wss:/https: URL, or set allowInsecure: true if you accept a downgrade.',
  REDIRECT_NOT_ALLOWED: 'Only redirects to http(s)/ws(s) URLs without user-info, on allowedOrigins, are followed.',
  DISCOVERY_BLOCKED:
    'The server may be down, or the redirect is not readable by this page: redirect the plain GET as well as the upgrade, and send Access-Control-Allow-Origin (with Vary: Origin) on every hop and on the final response.',
  DISCOVERY_TIMEOUT: 'The server did not answer the preflight GET in time; check it is up or raise preflight.timeoutMs.',
  HANDSHAKE_FAILED: 'The WebSocket handshake failed and no redirect was found; check the endpoint is up and accepts WebSocket upgrades.',
  CONNECT_TIMEOUT: 'The handshake did not complete in time; check the server or raise connectTimeoutMs.',
  HEARTBEAT_TIMEOUT: 'No reply to the heartbeat; the connection was presumed dead and is being replaced.',
  RETRIES_EXHAUSTED: 'Gave up reconnecting; call reconnect() to try again.',
  SEND_BUFFER_FULL: 'Nothing was queued; wait for the open event or raise buffer.maxMessages.',
  CLOSED: 'Call reconnect() or connect() again before sending.',
  INVALID_MESSAGE: 'The frame was not delivered; check what the server sends against your parse/schema options.',
}

/** A failure with a stable `code`; `message` says what happened and what to do. */
export class FollowSocketError extends Error {
  declare readonly code: ErrorCode
  declare readonly url?: string
  declare readonly cause?: unknown
  /** Brand checked by isFollowSocketError, so errors from another copy of the library are recognised. */
  declare readonly followsocket: true

  constructor(code: ErrorCode, what: string, url?: string, cause?: unknown) {
    super(`${what}. ${advice[code]}`)
    this.name = 'FollowSocketError'
    this.followsocket = true
    this.code = code
    if (url !== undefined) this.url = url
    if (cause !== undefined) this.cause = cause
  }
}

export const isFollowSocketError = (value: unknown): value is FollowSocketError =>
  (value as FollowSocketError | null)?.followsocket === true

/** Policy refusals repeat on every attempt, so they end the connection instead of retrying. */
export const isFinal = (error: FollowSocketError): boolean =>
  /REDIRECT/.test(error.code)
