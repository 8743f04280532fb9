import type { DiscoverySettings } from './options'
import { checkHop } from './redirect-policy'
import type { Hop, Resolution } from './types'

interface Entry {
  url: string
  hops: Hop[]
  expires: number
}

type Store = Record<string, string>

// Shared by every connection in the page, so a second connect() to a moved endpoint goes
// straight to where the first one found it. It holds entries as localStorage does, JSON read and
// written as properties (which a Storage object supports too), so both modes are one code path.
const memory: Store = {}

/**
 * Runs `use` on the store of this mode, keyed for `url`. localStorage can be missing (Node),
 * throw on access (privacy modes) or be full: the cache is an optimisation, so any of those
 * means "no entry".
 */
const withStore = <R>(s: DiscoverySettings, url: string, use: (store: Store, key: string) => R): R | undefined => {
  try {
    if (s.cache) return use(s.cache === 'local' ? localStorage : memory, 'followsocket:' + url)
  } catch {}
}

/**
 * The fresh resolution remembered for `url` (ws: form), if any. Connections with different
 * policies share the cache, so it is checked against this caller's policy as one step from `url`
 * to where it leads, as long as its chain: a stricter caller never receives a location only a
 * looser one would accept (it preflights instead, and meets the refusal there). The hops between
 * are not checked again: a socket opens where the chain ended and asks none of them.
 */
export const cached = (
  s: DiscoverySettings,
  url: string,
): (Pick<Resolution, 'url' | 'hops'> & { via: 'cache' }) | undefined => {
  const entry: Entry | null = withStore(s, url, (store, key) => JSON.parse(store[key] ?? 'null'))
  if (!entry) return
  if (entry.expires <= Date.now()) return forget(s, url)
  try {
    checkHop(new URL(url), new URL(entry.url), [], entry.hops.length, s)
    return { url: entry.url, hops: entry.hops, via: 'cache' }
  } catch {}
}

/** Remembers that `from` leads to `url`; that it leads to itself (no redirect, a move home) is no entry. */
export const remember = (s: DiscoverySettings, from: string, url: string, hops: Hop[]): void => {
  if (url === from) return forget(s, from)
  const entry: Entry = { url, hops, expires: Date.now() + s.cacheTtlMs }
  withStore(s, from, (store, key) => (store[key] = JSON.stringify(entry)))
}

export const forget = (s: DiscoverySettings, url: string): undefined => {
  withStore(s, url, (store, key) => delete store[key])
}
