import type { ReconnectOptions } from './backoff'
import type { CacheMode } from './cache'
import { FollowSocketError } from './errors'
import { compileOrigin } from './policy'
import type { StandardSchemaV1 } from './standard-schema'
import type { CloseInfo, HeartbeatOptions, PreflightOptions, WebSocketConstructor } from './types'

/** Discovery options after defaults and validation: what discovery, cache and policy read. */
export interface DiscoverySettings {
  discovery: 'auto' | 'preflight' | 'off'
  maxRedirects: number
  /** Compiled from the allowedOrigins option; undefined admits any origin. */
  allowedOrigins?: RegExp[]
  allowInsecure: boolean
  preflight: PreflightOptions
  cache: CacheMode
  cacheTtlMs: number
  connectTimeoutMs: number
  fetch?: typeof fetch
  WebSocket?: WebSocketConstructor
}

/** connect() options after defaults and validation, merged once. */
export interface Settings extends DiscoverySettings {
  protocols?: string | string[]
  reconnect: ReconnectOptions | false
  shouldReconnect: (close: Omit<CloseInfo, 'willReconnect'>) => boolean
  buffer: { maxMessages: number }
  heartbeat: Required<HeartbeatOptions> | false
  binaryType: BinaryType
  parse: 'json' | false
  schema?: StandardSchemaV1<unknown, unknown>
}

/**
 * Every option with its default, which also says what a value must be: a number >= 0 (below
 * 2^31, where timers overflow, unless the default is Infinity), a boolean, a function, one of
 * a list (whose first entry is the default), or an object of nested options.
 */
const TABLE: Record<string, any> = {
  discovery: ['auto', 'preflight', 'off'],
  maxRedirects: 10,
  allowInsecure: false,
  preflight: { credentials: ['same-origin', 'omit', 'include'], timeoutMs: 5000 },
  cache: ['memory', 'local', false],
  cacheTtlMs: 3_600_000,
  connectTimeoutMs: 10_000,
  reconnect: { minDelayMs: 500, maxDelayMs: 30_000, factor: 2, jitter: ['full', 'none'], maxRetries: Infinity },
  // Closes that would repeat if retried: protocol error, unsupported data, invalid payload,
  // policy violation, message too big, missing extension (RFC 6455 §7.4.1).
  shouldReconnect: (close: CloseInfo) => ![1002, 1003, 1007, 1008, 1009, 1010].includes(close.code),
  buffer: { maxMessages: 1000 },
  binaryType: ['arraybuffer', 'blob'],
  parse: [false, 'json'],
}
// Both required once heartbeat is on (NaN: no default).
const HEARTBEAT = { intervalMs: NaN, timeoutMs: NaN, message: 'ping' }
/** What `false` means for an option that can be switched off. */
const OFF: Record<string, unknown> = { reconnect: false, buffer: { maxMessages: 0 } }

const bad = (name: string, problem: string): never => {
  throw new FollowSocketError('INVALID_OPTIONS', `Option ${name} ${problem}`)
}
const fn = (value: unknown, name: string) => (value === undefined || typeof value == 'function' ? value : bad(name, 'must be a function'))

/** Options whose values the table cannot describe. */
const RULES: Record<string, (value: any, name: string, ...rest: any[]) => unknown> = {
  allowedOrigins: (list, name, all = [list ?? '*'].flat()) =>
    all.includes('*') ? undefined : all.map((entry: unknown) => (typeof entry == 'string' && compileOrigin(entry)) || bad(name, 'must list origins')),
  fetch: fn,
  WebSocket: fn,
  // Checked by the WebSocket constructor itself, whose SyntaxError becomes INVALID_OPTIONS.
  protocols: (p) => p,
  schema: (schema, name) => (schema === undefined || typeof schema['~standard']?.validate == 'function' ? schema : bad(name, 'must be a schema')),
  heartbeat: (h, name) => h && merge(HEARTBEAT, h, name + '.'),
}

/** Checks `input` against the table for `keys`, filling in defaults. */
const merge = (table: Record<string, any>, input: any = {}, path = '', keys = Object.keys(table)): any => {
  if (!input || typeof input != 'object') bad(path || 'options', 'must be an object')
  const out: any = {}
  for (const key of keys) {
    const fallback = table[key]
    const value = input[key]
    const name = path + key
    out[key] = RULES[key]
      ? RULES[key](value, name)
      : value === false && key in OFF
        ? OFF[key]
        : Array.isArray(fallback)
          ? value === undefined
            ? fallback[0]
            : fallback.includes(value)
              ? value
              : bad(name, `must be one of ${fallback}`)
          : typeof fallback == 'object'
            ? merge(fallback, value, name + '.')
            : value === undefined && fallback === fallback
              ? fallback
              : typeof value != typeof fallback || value !== value || value < 0 || (value >= 2 ** 31 && value !== fallback)
                ? bad(name, `must be a ${typeof fallback == 'number' ? 'number >= 0' : typeof fallback}`)
                : value
  }
  return out
}

export const DISCOVERY_KEYS = ['discovery', 'maxRedirects', 'allowedOrigins', 'allowInsecure', 'preflight', 'cache', 'cacheTtlMs', 'connectTimeoutMs', 'fetch', 'WebSocket']

/** Validates discovery options (resolve(), FollowWebSocket) and fills in defaults. */
export const discoverySettings = (options: object = {}, keys = DISCOVERY_KEYS): DiscoverySettings => {
  // Here (resolve(), FollowWebSocket) an option of connect() is a mistake worth naming.
  for (const key in options) if (!keys.includes(key)) bad(key, 'is unknown here')
  return merge(TABLE, options, '', keys)
}

/** Validates connect() options and fills in defaults, throwing INVALID_OPTIONS naming the first bad field. */
export const settings = (options?: object): Settings => merge(TABLE, options, '', [...Object.keys(TABLE), ...Object.keys(RULES)])
