import type { Connection } from './connection'
import type { ConnectionEvents, ReconnectingInfo } from './types'

// Page-level sharing: one connection and the snapshot its events make, held by the bindings' stores
// that show it. A store holds one of its own, or (share: true, docs/sharing.md#in-the-page) a hold
// on the one the page keeps for its restart key, so that ten components on one feed open one
// socket and all see the same snapshot.

/** A pending reconnect wait: enough for a countdown and a "Retry now" button. */
export type RetryInfo = Pick<ReconnectingInfo, 'attempt' | 'delayMs'> & {
  /** When the wait ends: Date.now() + delayMs as it began (Infinity while offline). */
  at: number
}

/** What a UI shows of one connection, derived from its events. Replaced, never mutated, on every change. */
export interface Snapshot<T = unknown> {
  readonly state: ConnectionEvents<T>['state']
  /** The `data` of the latest `message`: parsed and validated with `parse`/`schema`. */
  readonly lastMessage: ConnectionEvents<T>['message']['data'] | undefined
  /**
   * The latest connection error since the connection last opened. INVALID_MESSAGE is about one
   * frame, not the connection, so it is left to onError: a banner that shows `error` as the
   * reason for a drop must not blame a skipped message.
   */
  readonly error: ConnectionEvents<T>['error'] | undefined
  /** Where the live (or last) socket points. */
  readonly resolvedUrl: ConnectionEvents<T>['open']['url'] | undefined
  /** Set while a reconnect wait is pending, else undefined. */
  readonly retry: RetryInfo | undefined
}

export const IDLE: Snapshot<any> = {
  state: 'idle',
  lastMessage: undefined,
  error: undefined,
  resolvedUrl: undefined,
  retry: undefined,
}

export interface Hold<T> {
  readonly connection: Connection<T>
  readonly snapshot: Snapshot<T>
  /** Calls `watcher` with every new snapshot; returns the function that stops it. */
  watch(watcher: (snapshot: Snapshot<T>) => void): () => void
  /** Gives up one hold on the connection: the last closes it. */
  release(): void
}

// The page's shared connections, by restart key. A closed one is not joined: it is replaced.
const shared = new Map<string, Hold<any> & { holds: number }>()

/**
 * A hold on a connection: the page's shared one for `key` (opened by `open` if there is none,
 * or none that is still usable), or, with no key, a connection of its own.
 */
export const acquire = <T>(key: string | undefined, open: () => Connection<T>): Hold<T> => {
  const found = key === undefined ? undefined : shared.get(key)
  if (found && found.connection.state !== 'closed') {
    found.holds++
    return found
  }
  const connection = open()
  const watchers = new Set<(snapshot: Snapshot<T>) => void>()
  const live = {
    connection,
    snapshot: { ...IDLE, state: connection.state } as Snapshot<T>,
    holds: 1,
    watch(watcher: (snapshot: Snapshot<T>) => void) {
      watchers.add(watcher)
      return () => watchers.delete(watcher)
    },
    release() {
      live.holds--
      if (live.holds) return
      if (shared.get(key!) === live) shared.delete(key!)
      connection.close()
    },
  }
  const update = (patch: Partial<Snapshot<T>>) => {
    live.snapshot = { ...live.snapshot, ...patch }
    for (const watcher of watchers) watcher(live.snapshot)
  }
  connection.on('state', (state) => update(state === 'reconnecting' ? { state } : { state, retry: undefined }))
  connection.on('open', ({ url }) => update({ resolvedUrl: url, error: undefined }))
  connection.on('message', ({ data }) => update({ lastMessage: data }))
  connection.on('reconnecting', ({ attempt, delayMs }) =>
    update({ retry: { attempt, delayMs, at: Date.now() + delayMs } }),
  )
  connection.on('error', (error) => error.code !== 'INVALID_MESSAGE' && update({ error }))
  if (key !== undefined) shared.set(key, live)
  return live
}
