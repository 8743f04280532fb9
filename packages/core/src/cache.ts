import type { DiscoverySettings } from './options'
import { checkChain } from './policy'
import type { Hop, Resolution } from './types'

export type CacheMode = 'memory' | 'local' | false

interface Entry {
  url: string
  hops: Hop[]
  expires: number
}

// Shared by every connection in the page, so a second connect() to a moved endpoint goes
// straight to where the first one found it.
const memory = new Map<string, Entry>()
const PREFIX = 'followsocket:'

/**
 * Runs `use` on localStorage for mode 'local'. It can be missing (Node), throw on access
 * (privacy modes) or be full: the cache is an optimisation, so any of those means "no entry".
 */
const local = <R>(mode: CacheMode, use: (storage: Storage) => R): R | undefined => {
  try {
    if (mode == 'local') return use(localStorage)
  } catch {}
}

const keyOf = (url: string) => PREFIX + url

/**
 * The fresh resolution remembered for `url` (ws: form), if any. Connections with different
 * policies share the cache, so its hops are checked against this caller's policy: a stricter
 * caller never receives a location only a looser one would accept (it preflights instead, and
 * meets the refusal there).
 */
export const cached = (s: DiscoverySettings, url: string): Resolution | undefined => {
  const key = keyOf(url)
  const entry: Entry | undefined = s.cache == 'memory' ? memory.get(key) : local(s.cache, (store) => JSON.parse(store.getItem(key)!))
  if (!entry) return
  if (entry.expires <= Date.now()) {
    forget(s, url)
    return
  }
  try {
    checkChain(entry.hops, s)
  } catch {
    return
  }
  return { url: entry.url, redirected: true, hops: entry.hops, via: 'cache' }
}

export const remember = (s: DiscoverySettings, from: string, url: string, hops: Hop[]): void => {
  const key = keyOf(from)
  const entry: Entry = { url, hops, expires: Date.now() + s.cacheTtlMs }
  if (s.cache == 'memory') memory.set(key, entry)
  local(s.cache, (store) => store.setItem(key, JSON.stringify(entry)))
}

export const forget = (s: DiscoverySettings, url: string): void => {
  const key = keyOf(url)
  memory.delete(key)
  local(s.cache, (store) => store.removeItem(key))
}
