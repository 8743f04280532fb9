import type { ReconnectOptions } from './backoff'
import { FollowSocketError } from './errors'
import { compileOrigin } from './redirect-policy'
import type { StandardSchemaV1 } from './standard-schema'
import type {
  BinaryType,
  CacheMode,
  CloseInfo,
  ConnectOptions,
  DiscoveryOptions,
  HeartbeatOptions,
  PreflightOptions,
  WebSocketConstructor,
} from './types'

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

type OptionName = keyof ConnectOptions
type Rule = (value: any, name: string) => unknown

/** Compiles only when `Missing` is never: it names what is missing otherwise. */
type NoneMissing<Missing extends never> = Missing

/**
 * Every option with its default, which also says what a value must be: a number >= 0 (Infinity
 * included: timers cap what they are given, see timerDelay), a boolean, a function, one of a
 * list (whose first entry is the default), or an object of nested options.
 */
const TABLE = {
  discovery: ['auto', 'preflight', 'off'],
  maxRedirects: 10,
  allowInsecure: false,
  preflight: { credentials: ['same-origin', 'omit', 'include'], timeoutMs: 5000 },
  cache: ['memory', 'local', false],
  cacheTtlMs: 3_600_000,
  connectTimeoutMs: 10_000,
  reconnect: {
    minDelayMs: 500,
    maxDelayMs: 30_000,
    factor: 2,
    jitter: ['full', 'none'],
    maxRetries: Infinity,
    minUptimeMs: 5000,
  },
  // Closes that would repeat if retried: protocol error, unsupported data, invalid payload,
  // policy violation, message too big, missing extension (RFC 6455 §7.4.1).
  shouldReconnect: (close: CloseInfo) => ![1002, 1003, 1007, 1008, 1009, 1010].includes(close.code),
  buffer: { maxMessages: 1000 },
  binaryType: ['arraybuffer', 'blob'],
  parse: [false, 'json'],
} satisfies { [K in OptionName]?: unknown }
// Both numbers are required once heartbeat is on (NaN: no default).
const HEARTBEAT = { intervalMs: NaN, timeoutMs: NaN, message: 'ping', reply: 'pong' }
/** Options of other entries, and where they live: told instead of "unknown" (docs/sharing.md#across-tabs). */
const ELSEWHERE: Record<string, string> = {
  share: 'is for followsocket/tabs and the bindings',
}
/** What `false` means for an option that can be switched off (`true` means its defaults). */
const OFF: Record<string, unknown> = { reconnect: false, buffer: { maxMessages: 0 } }

const bad = (name: string, problem: string): never => {
  throw new FollowSocketError('INVALID_OPTIONS', `Option ${name} ${problem}`)
}
const fn = (value: unknown, name: string) =>
  value === undefined || typeof value === 'function' ? value : bad(name, 'must be a function')

// A subprotocol is an HTTP token (RFC 6455 §4.1, RFC 7230 §3.2.6).
const TOKEN = /^[!#$%&'*+\-.^_`|~\w]+$/

/** What new WebSocket() accepts as protocols: one token, or a list of distinct ones. */
export const validProtocols = (protocols: unknown): boolean => {
  const all: unknown[] = [protocols].flat()
  return all.every((p) => typeof p === 'string' && TOKEN.test(p)) && new Set(all).size === all.length
}

/** Options whose values the table cannot describe. */
const RULES = {
  allowedOrigins: (list, name) => {
    const all = [list ?? '*'].flat()
    if (all.includes('*')) return undefined
    return all.map(
      (entry: unknown) => (typeof entry === 'string' && compileOrigin(entry)) || bad(name, 'must list origins'),
    )
  },
  fetch: fn,
  WebSocket: fn,
  // Checked here as new WebSocket() would, so a mistake throws at connect() instead of failing
  // every attempt.
  protocols: (protocols, name) =>
    protocols === undefined || validProtocols(protocols) ? protocols : bad(name, 'must be distinct subprotocol tokens'),
  schema: (schema, name) =>
    schema === undefined || typeof schema?.['~standard']?.validate === 'function'
      ? schema
      : bad(name, 'must be a Standard Schema (zod…)'),
  heartbeat: (heartbeat, name) => heartbeat && merge(HEARTBEAT, heartbeat, name),
} satisfies { [K in OptionName]?: Rule }

/** One value checked against its table entry `fallback` (see TABLE), or the default when unset. */
const check = (key: string, fallback: any, value: any, name: string): unknown => {
  if (key in OFF && typeof value === 'boolean') return value ? merge(fallback, {}, name) : OFF[key]
  if (Array.isArray(fallback)) {
    if (value === undefined) return fallback[0]
    return fallback.includes(value) ? value : bad(name, `must be one of ${fallback.join(', ')}`)
  }
  if (typeof fallback === 'object') return merge(fallback, value, name)
  // NaN marks a required number.
  if (value === undefined && !Number.isNaN(fallback)) return fallback
  if (typeof fallback === 'number')
    return typeof value === 'number' && value >= 0 ? value : bad(name, 'must be a number >= 0')
  return typeof value === typeof fallback ? value : bad(name, `must be a ${typeof fallback}`)
}

/**
 * Checks `input` against `table` for `keys`, filling in defaults. `name` is the option that
 * holds `input` ('' at the top), and names the field in every message.
 */
const merge = (
  table: Record<string, any>,
  input: any = {},
  name = '',
  keys: readonly string[] = Object.keys(table),
): any => {
  if (!input || typeof input !== 'object') bad(name || 'options', 'must be an object')
  const prefix = name && name + '.'
  // A typo (`reconect`) would otherwise be ignored silently.
  for (const key in input) if (!keys.includes(key)) bad(prefix + key, ELSEWHERE[key] ?? 'is unknown here')
  const out: any = {}
  // Indexed by any name: `satisfies` above checks the names, the lookup takes what it is given.
  const rules = RULES as Record<string, Rule | undefined>
  for (const key of keys)
    out[key] = rules[key] ? rules[key](input[key], prefix + key) : check(key, table[key], input[key], prefix + key)
  return out
}

export const DISCOVERY_KEYS = [
  'discovery',
  'maxRedirects',
  'allowedOrigins',
  'allowInsecure',
  'preflight',
  'cache',
  'cacheTtlMs',
  'connectTimeoutMs',
  'fetch',
  'WebSocket',
] as const satisfies readonly (keyof DiscoveryOptions)[]

// Adding an option is a compile error until it is in ConnectOptions (types.ts), in TABLE or in
// RULES here, and in Settings; a discovery option also in DiscoveryOptions, DISCOVERY_KEYS and
// DiscoverySettings (FollowWebSocket and resolve() take exactly those).
export type EveryOptionDescribed = NoneMissing<Exclude<OptionName, keyof typeof TABLE | keyof typeof RULES>>
export type EveryOptionSettled = NoneMissing<Exclude<OptionName, keyof Settings> | Exclude<keyof Settings, OptionName>>
export type EveryDiscoveryOptionListed = NoneMissing<Exclude<keyof DiscoveryOptions, (typeof DISCOVERY_KEYS)[number]>>
export type EveryDiscoveryOptionSettled = NoneMissing<
  Exclude<keyof DiscoveryOptions, keyof DiscoverySettings> | Exclude<keyof DiscoverySettings, keyof DiscoveryOptions>
>

/** Validates discovery options (resolve(), FollowWebSocket) and fills in defaults. */
export const discoverySettings = (options?: object, keys: readonly string[] = DISCOVERY_KEYS): DiscoverySettings =>
  merge(TABLE, options, '', keys)

/** Validates connect() options and fills in defaults, throwing INVALID_OPTIONS naming the first bad field. */
export const settings = (options?: object): Settings =>
  merge(TABLE, options, '', [...Object.keys(TABLE), ...Object.keys(RULES)])
