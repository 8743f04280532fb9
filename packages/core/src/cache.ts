import type { Hop } from './types'

export type CacheMode = 'memory' | 'local' | false

export interface CachedResolution {
  url: string
  hops: Hop[]
  expires: number
}

// Shared by every connection (and FollowWebSocket) in the page, so a second connect()
// to a moved endpoint goes straight to where the first one found it.
const memory = new Map<string, CachedResolution>()
const PREFIX = 'followsocket:'

// localStorage can be missing (Node), disabled (privacy modes throw on access) or full;
// the cache is an optimisation, so each of those falls back to discovery.
const storage = (): Storage | undefined => {
  try {
    return globalThis.localStorage
  } catch {
    return undefined
  }
}

export const readCache = (mode: CacheMode, key: string): CachedResolution | undefined => {
  let entry: CachedResolution | undefined
  if (mode === 'memory') entry = memory.get(key)
  else if (mode === 'local') {
    try {
      entry = JSON.parse(storage()?.getItem(PREFIX + key) ?? 'null') ?? undefined
    } catch {}
  }
  if (entry && entry.expires > Date.now()) return entry
  if (entry) dropCache(mode, key)
  return undefined
}

export const writeCache = (mode: CacheMode, key: string, url: string, hops: Hop[], ttlMs: number): void => {
  const entry: CachedResolution = { url, hops, expires: Date.now() + ttlMs }
  if (mode === 'memory') memory.set(key, entry)
  else if (mode === 'local') {
    try {
      storage()?.setItem(PREFIX + key, JSON.stringify(entry))
    } catch {}
  }
}

export const dropCache = (mode: CacheMode, key: string): void => {
  memory.delete(key)
  if (mode === 'local') {
    try {
      storage()?.removeItem(PREFIX + key)
    } catch {}
  }
}
