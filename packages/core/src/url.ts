import { FollowSocketError } from './errors'

const wsOf: Record<string, string> = { 'http:': 'ws:', 'https:': 'wss:', 'ws:': 'ws:', 'wss:': 'wss:' }
const httpOf: Record<string, string> = { 'ws:': 'http:', 'wss:': 'https:', 'http:': 'http:', 'https:': 'https:' }

/** Parses `input` (relative URLs resolve against the page, as `new WebSocket()` does), or returns undefined. */
export const parseUrl = (input: string | URL, base?: string | URL): URL | undefined => {
  try {
    return new URL(input, base ?? (globalThis as { location?: { href: string } }).location?.href)
  } catch {
    return undefined
  }
}

const withScheme = (url: URL, map: Record<string, string>): string => {
  const copy = new URL(url)
  copy.protocol = map[url.protocol]!
  copy.hash = ''
  return copy.href
}

/** The ws:/wss: form a WebSocket opens. */
export const toWs = (url: URL): string => withScheme(url, wsOf)
/** The http:/https: twin that fetch can request. */
export const toHttp = (url: URL): string => withScheme(url, httpOf)

export const isWebUrl = (url: URL): boolean => url.protocol in wsOf
export const isSecure = (url: URL): boolean => /s:$/.test(url.protocol)

/** Validates a user-given endpoint and returns its ws:/wss: form. */
export const normaliseUrl = (input: unknown): string => {
  const url = typeof input === 'string' || input instanceof URL ? parseUrl(input) : undefined
  if (!url || !isWebUrl(url)) throw new FollowSocketError('INVALID_URL', `"${String(input)}" is not a WebSocket URL`)
  return toWs(url)
}
