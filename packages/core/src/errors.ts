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

/**
 * A failure with a stable `code`. Its `message` says what happened and what to do, written for
 * the person reading a console or a banner (each code is raised in one place, which words it).
 */
export class FollowSocketError extends Error {
  declare readonly code: ErrorCode
  declare readonly url: string | undefined
  declare readonly cause: unknown
  /**
   * The HTTP status discovery saw at the endpoint, when that explains the failure
   * (docs/diagnosis.md#the-table).
   */
  declare readonly status: number | undefined
  /** How long the server asked to be left alone (its Retry-After), capped at an hour. */
  declare readonly retryAfterMs: number | undefined

  constructor(code: ErrorCode, message: string, url?: string, cause?: unknown, status?: number, retryAfterMs?: number) {
    super(message)
    this.name = 'FollowSocketError'
    this.code = code
    this.url = url
    this.cause = cause
    this.status = status
    this.retryAfterMs = retryAfterMs
  }
}

/** Recognises errors from any copy of the library (another bundle, an iframe) by name and code, not instanceof. */
export const isFollowSocketError = (value: unknown): value is FollowSocketError =>
  (value as Error | null)?.name === 'FollowSocketError' && typeof (value as FollowSocketError).code === 'string'

// Policy refusals repeat on every attempt (retrying would meet the same redirect), and so do bad
// options: these end the connection instead of retrying.
const FINAL: ErrorCode[] = [
  'REDIRECT_LOOP',
  'TOO_MANY_REDIRECTS',
  'INSECURE_REDIRECT',
  'REDIRECT_NOT_ALLOWED',
  'INVALID_OPTIONS',
]

export const isFinal = (error: FollowSocketError): boolean => FINAL.includes(error.code)
