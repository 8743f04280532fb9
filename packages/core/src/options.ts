import type { ReconnectOptions } from './backoff'
import type { CacheMode } from './cache'
import { FollowSocketError } from './errors'
import { compileOrigin, type RedirectPolicy } from './policy'
import type { CloseInfo, ConnectOptions, DiscoveryOptions, HeartbeatOptions, PreflightOptions, SendData, WebSocketConstructor } from './types'
import type { StandardSchemaV1 } from './standard-schema'

/** Discovery options after defaults and validation: what discovery, cache and policy read. */
export interface DiscoverySettings {
  discovery: 'auto' | 'preflight' | 'off'
  policy: RedirectPolicy
  preflight: PreflightOptions
  cache: CacheMode
  cacheTtlMs: number
  fetch?: typeof fetch
  connectTimeoutMs: number
  WebSocket?: WebSocketConstructor
}

export interface Settings extends DiscoverySettings {
  protocols?: string | string[]
  reconnect: ReconnectOptions | false
  shouldReconnect: (close: Omit<CloseInfo, 'willReconnect'>) => boolean
  maxBuffered: number
  heartbeat: Required<HeartbeatOptions> | false
  binaryType: BinaryType
  parse: 'json' | false
  schema?: StandardSchemaV1<unknown, unknown>
}

// Closes that would repeat if retried: protocol error, unsupported data, invalid payload,
// policy violation, message too big, missing extension (RFC 6455 §7.4.1).
const NO_RETRY = [1002, 1003, 1007, 1008, 1009, 1010]

export const DISCOVERY_KEYS = [
  'discovery', 'maxRedirects', 'allowedOrigins', 'allowInsecure', 'preflight', 'cache', 'cacheTtlMs',
  'connectTimeoutMs', 'WebSocket', 'fetch',
]
const CONNECT_KEYS = [
  ...DISCOVERY_KEYS, 'protocols', 'reconnect', 'shouldReconnect', 'buffer', 'heartbeat', 'binaryType', 'parse', 'schema',
]

const fail = (field: string, expected: string): never => {
  throw new FollowSocketError('INVALID_OPTIONS', `Option "${field}" must be ${expected}`)
}
const check = (ok: unknown, field: string, expected: string) => ok || fail(field, expected)
const oneOf = <V>(value: V | undefined, allowed: V[], field: string, fallback: V): V =>
  value === undefined ? fallback : allowed.includes(value) ? value : fail(field, `one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`)
const num = (value: unknown, field: string, fallback: number, min = 0, integer = false): number =>
  value === undefined
    ? fallback
    : typeof value === 'number' && value >= min && (integer ? Number.isInteger(value) || value === Infinity : value < Infinity)
      ? value
      : fail(field, `a${integer ? 'n integer' : ' finite number'} >= ${min}`)
const fn = <F>(value: F | undefined, field: string): F | undefined =>
  value === undefined || typeof value === 'function' ? value : fail(field, 'a function')
const record = <O>(value: O | undefined, field: string): Partial<O> =>
  value === undefined ? {} : value && typeof value === 'object' ? value : fail(field, 'an object')

/** Validates and fills in the discovery-related options; `keys` lists what the caller accepts. */
export const discoverySettings = (o: DiscoveryOptions & { connectTimeoutMs?: number; WebSocket?: WebSocketConstructor } = {}, keys = DISCOVERY_KEYS): DiscoverySettings => {
  check(o && typeof o === 'object', 'options', 'an object')
  for (const key in o) check(keys.includes(key), key, `left out: it is not an option here (known: ${keys.join(', ')})`)
  const preflight = record(o.preflight, 'preflight')
  const origins = o.allowedOrigins
  check(origins === undefined || origins === '*' || Array.isArray(origins), 'allowedOrigins', 'an array of origins or "*"')
  return {
    discovery: oneOf(o.discovery, ['auto', 'preflight', 'off'], 'discovery', 'auto'),
    policy: {
      maxRedirects: num(o.maxRedirects, 'maxRedirects', 10, 0, true),
      allowInsecure: oneOf(o.allowInsecure, [true, false], 'allowInsecure', false),
      origins:
        Array.isArray(origins) && !origins.includes('*')
          ? origins.map((entry) => (typeof entry == 'string' && compileOrigin(entry)) || fail('allowedOrigins', `origins like "https://*.example.com", not ${JSON.stringify(entry)}`))
          : undefined,
    },
    preflight: {
      credentials: oneOf(preflight.credentials, ['omit', 'same-origin', 'include'], 'preflight.credentials', 'same-origin'),
      timeoutMs: num(preflight.timeoutMs, 'preflight.timeoutMs', 5000, 1),
    },
    cache: oneOf(o.cache, ['memory', 'local', false], 'cache', 'memory'),
    cacheTtlMs: num(o.cacheTtlMs, 'cacheTtlMs', 3_600_000),
    connectTimeoutMs: num(o.connectTimeoutMs, 'connectTimeoutMs', 10_000, 1),
    fetch: fn(o.fetch, 'fetch'),
    WebSocket: fn(o.WebSocket, 'WebSocket'),
  }
}

/** Merges defaults into connect() options once, throwing INVALID_OPTIONS naming the first bad field. */
export const settings = (o: ConnectOptions<any> = {}): Settings => {
  const base = discoverySettings(o, CONNECT_KEYS)
  const { protocols, schema } = o
  check(protocols === undefined || typeof protocols == 'string' || (Array.isArray(protocols) && protocols.every((p) => typeof p == 'string')), 'protocols', 'a string or an array of strings')
  check(schema === undefined || typeof schema?.['~standard']?.validate == 'function', 'schema', 'a Standard Schema validator (zod 4, valibot, arktype …)')
  let reconnect: ReconnectOptions | false = false
  if (o.reconnect !== false) {
    const r = record(o.reconnect, 'reconnect')
    const minDelayMs = num(r.minDelayMs, 'reconnect.minDelayMs', 500)
    reconnect = {
      minDelayMs,
      maxDelayMs: num(r.maxDelayMs, 'reconnect.maxDelayMs', Math.max(30_000, minDelayMs), minDelayMs),
      factor: num(r.factor, 'reconnect.factor', 2, 1),
      jitter: oneOf(r.jitter, ['full', 'none'], 'reconnect.jitter', 'full'),
      maxRetries: num(r.maxRetries, 'reconnect.maxRetries', Infinity, 0, true),
    }
  }
  let heartbeat: Required<HeartbeatOptions> | false = false
  if (o.heartbeat) {
    const h = record(o.heartbeat, 'heartbeat')
    heartbeat = {
      intervalMs: num(h.intervalMs ?? 0, 'heartbeat.intervalMs', 0, 1),
      timeoutMs: num(h.timeoutMs ?? 0, 'heartbeat.timeoutMs', 0, 1),
      message: (h.message ?? 'ping') as SendData,
    }
  }
  return {
    ...base,
    protocols,
    reconnect,
    shouldReconnect: fn(o.shouldReconnect, 'shouldReconnect') ?? ((close) => !NO_RETRY.includes(close.code)),
    maxBuffered: o.buffer === false ? 0 : num(record(o.buffer, 'buffer').maxMessages, 'buffer.maxMessages', 1000, 0, true),
    heartbeat,
    binaryType: oneOf(o.binaryType, ['arraybuffer', 'blob'], 'binaryType', 'arraybuffer'),
    parse: oneOf(o.parse, ['json', false], 'parse', false),
    schema,
  }
}
