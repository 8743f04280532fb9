import { FollowSocketError } from './errors'

/**
 * Parses `input` (relative URLs resolve against the page, as `new WebSocket()` does) without its
 * fragment, which a WebSocket URL may not have; undefined when it is not a URL.
 */
export const parseUrl = (input: string | URL, base?: string | URL): URL | undefined => {
  try {
    const url = new URL(input, base ?? globalThis.location?.href)
    url.hash = ''
    return url
  } catch {}
}

export const isWebUrl = (url: URL): boolean => /^(http|ws)s?:$/.test(url.protocol)
export const isSecure = (url: URL): boolean => /^(https|wss):$/.test(url.protocol)

/** The ws:/wss: form a WebSocket opens (http → ws, https → wss). */
export const toWs = (url: URL): string => url.href.replace(/^http/, 'ws')
/** The http:/https: twin that fetch can request. */
export const toHttp = (url: URL): string => url.href.replace(/^ws/, 'http')

/** Validates a user-given endpoint and returns its ws:/wss: form. */
export const normaliseUrl = (input: unknown): string => {
  const url = typeof input === 'string' || input instanceof URL ? parseUrl(input) : undefined
  if (!url || !isWebUrl(url))
    throw new FollowSocketError('INVALID_URL', `${input} is not a ws(s): or http(s): URL`, undefined, input)
  return toWs(url)
}
