import type { DiscoverySettings } from './options'
import { checkHop } from './policy'
import type { Hop, Resolution } from './types'

export type CacheMode = 'memory' | 'local' | false

type CacheSettings = Pick<DiscoverySettings, 'cache' | 'cacheTtlMs'>

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

/**
 * The fresh resolution remembered for `key` (a ws: URL), if any. The cache is shared by
 * callers with different policies, so an entry this caller's policy refuses is not handed
 * out: discovery then runs and reports the refusal.
 */
export const cached = (s: DiscoverySettings, key: string): Resolution | undefined => {
  const entry: Entry | undefined =
    s.cache == 'memory' ? memory.get(key) : local(s.cache, (store) => JSON.parse(store.getItem(PREFIX + key)!))
  if (entry?.expires! <= Date.now()) forget(s, key)
  else if (entry) try {
    checkHop(new URL(key), new URL(entry.url), new Set(), 1, s)
    return { url: entry.url, redirected: true, hops: entry.hops.slice(), via: 'cache' }
  } catch {}
}

export const remember = (s: CacheSettings, key: string, url: string, hops: Hop[]): void => {
  const entry: Entry = { url, hops, expires: Date.now() + s.cacheTtlMs }
  if (s.cache == 'memory') memory.set(key, entry)
  local(s.cache, (store) => store.setItem(PREFIX + key, JSON.stringify(entry)))
}

export const forget = (s: CacheSettings, key: string): void => {
  memory.delete(key)
  local(s.cache, (store) => store.removeItem(PREFIX + key))
}
