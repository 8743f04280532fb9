import type { StandardSchemaV1 } from './standard-schema'
import type { ReconnectOptions } from './backoff'
import type { FollowSocketError } from './errors'

export type UrlSource = string | URL | (() => string | URL | Promise<string | URL>)
export type SendData = string | ArrayBufferLike | ArrayBufferView | Blob

export type ConnectionState = 'idle' | 'resolving' | 'connecting' | 'open' | 'reconnecting' | 'closing' | 'closed'

/** One redirect step; `status` where the runtime shows it (Node), absent in browsers. */
export interface Hop {
  from: string
  to: string
  status?: number
}

export interface Resolution {
  /** Where the endpoint is now, as a ws:/wss: URL. */
  url: string
  redirected: boolean
  hops: Hop[]
  via: 'preflight' | 'cache'
  /** The final response's status, where the preflight could read it (not from the cache). */
  status?: number
}

export interface CloseInfo {
  code: number
  reason: string
  wasClean: boolean
  willReconnect: boolean
}

export interface RedirectInfo {
  from: string
  to: string
  hops: Hop[]
  via: 'preflight' | 'cache' | 'close-frame'
}

export interface ReconnectingInfo {
  attempt: number
  delayMs: number
  error?: FollowSocketError
}

/** Every event a Connection emits, with its payload: the one map `on`/`off` and the bindings derive from. */
export type ConnectionEvents<T = unknown> = {
  state: ConnectionState
  open: { url: string }
  message: { data: T; raw: unknown }
  close: CloseInfo
  redirect: RedirectInfo
  reconnecting: ReconnectingInfo
  error: FollowSocketError
}

// The DOM's names for these, declared here so that a project without the "dom" lib (Node only)
// type-checks the package's declarations too.
export type BinaryType = 'arraybuffer' | 'blob'
export type RequestCredentials = 'omit' | 'same-origin' | 'include'

export interface PreflightOptions {
  credentials: RequestCredentials
  timeoutMs: number
}

export interface HeartbeatOptions {
  intervalMs: number
  timeoutMs: number
  /** Sent every intervalMs; default 'ping'. */
  message?: string
  /** The server's answer: counts as traffic and is never delivered as a message; default 'pong'. */
  reply?: string
}

/**
 * What the WebSocket option needs: the browser's WebSocket, or `ws` in Node, whose instances are
 * close enough to the WHATWG interface for everything followsocket uses.
 */
export interface WebSocketLike {
  readonly readyState: number
  readonly protocol: string
  readonly extensions: string
  readonly bufferedAmount: number
  binaryType: string
  send(data: any): void
  close(code?: number, reason?: string): void
  onopen: ((event: any) => void) | null
  onmessage: ((event: any) => void) | null
  onerror: ((event: any) => void) | null
  onclose: ((event: any) => void) | null
}

export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike

/**
 * The options that govern finding an endpoint and opening its socket: what resolve() and
 * FollowWebSocket take, and connect() with the connection's own (options.ts ties both lists to
 * their defaults and validators).
 */
/** Where resolutions are remembered: in memory for the page, in localStorage across loads, or not at all. */
export type CacheMode = 'memory' | 'local' | false

export interface DiscoveryOptions {
  discovery?: 'auto' | 'preflight' | 'off'
  maxRedirects?: number
  /** Origins a redirect may go to; `*` wildcards in the host; ws:/wss: and http:/https: forms are equivalent. */
  allowedOrigins?: string[] | '*'
  allowInsecure?: boolean
  preflight?: Partial<PreflightOptions>
  cache?: CacheMode
  cacheTtlMs?: number
  connectTimeoutMs?: number
  fetch?: typeof fetch
  WebSocket?: WebSocketConstructor
}

export interface ConnectOptions<T = unknown> extends DiscoveryOptions {
  protocols?: string | string[]
  reconnect?: Partial<ReconnectOptions> | false
  shouldReconnect?: (close: Omit<CloseInfo, 'willReconnect'>) => boolean
  buffer?: { maxMessages?: number } | false
  heartbeat?: HeartbeatOptions | false
  binaryType?: BinaryType
  parse?: 'json' | false
  schema?: StandardSchemaV1<unknown, T>
}

export type ResolveOptions = DiscoveryOptions
