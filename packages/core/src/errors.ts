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
  INVALID_URL: 'Use a ws(s): or http(s): URL',
  INVALID_OPTIONS: 'See the README',
  REDIRECT_LOOP: 'Fix the redirect chain',
  TOO_MANY_REDIRECTS: 'Shorten the chain or raise maxRedirects',
  INSECURE_REDIRECT: 'Redirect to wss: or set allowInsecure',
  REDIRECT_NOT_ALLOWED: 'Check the target and allowedOrigins',
  DISCOVERY_BLOCKED: 'Is the server up? It must redirect the plain GET too, with Access-Control-Allow-Origin on every hop',
  DISCOVERY_TIMEOUT: 'Is the server up? Or raise preflight.timeoutMs',
  HANDSHAKE_FAILED: 'Is the endpoint up?',
  CONNECT_TIMEOUT: 'Is the server up? Or raise connectTimeoutMs',
  HEARTBEAT_TIMEOUT: 'Reconnecting',
  RETRIES_EXHAUSTED: 'Call reconnect() to retry',
  SEND_BUFFER_FULL: 'Wait for open',
  CLOSED: 'Call reconnect() first',
  INVALID_MESSAGE: 'Check parse/schema',
}

/** A failure with a stable `code`; `message` says what happened and what to do. */
export class FollowSocketError extends Error {
  declare readonly code: ErrorCode
  declare readonly url: string | undefined
  declare readonly cause: unknown
  /** Brand checked by isFollowSocketError, so errors from another copy of the library are recognised. */
  declare readonly followsocket: true

  constructor(code: ErrorCode, what: string, url?: string, cause?: unknown) {
    super(`${what}. ${advice[code]}`)
    this.name = 'FollowSocketError'
    this.followsocket = true
    this.code = code
    this.url = url
    this.cause = cause
  }
}

export const isFollowSocketError = (value: unknown): value is FollowSocketError =>
  (value as FollowSocketError | null)?.followsocket === true

/** Policy refusals repeat on every attempt, so they end the connection instead of retrying. */
export const isFinal = (error: FollowSocketError): boolean =>
  /REDIRECT/.test(error.code)
