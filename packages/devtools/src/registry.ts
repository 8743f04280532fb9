import type { Connection } from 'followsocket'
import { record, type Recording, type RecorderOptions } from './recorder'

// How connections reach the devtools without the connect path paying for it
// (docs/devtools.md#registration). followsocket/store and followsocket/tabs keep the connections
// they hold in a Set on the global object, under Symbol.for('followsocket.inspectable'): an entry
// is added when a store starts (or a tab joins) and deleted when it stops, so the set holds only
// what is live, costs a Set operation per connection and nothing per message, and exists whether
// or not the devtools ever load. connect() itself adds nothing: inspect() adds its connection here.
//
// Once loaded, the devtools put a set of their own in its place, holding the same entries, whose
// add and delete also tell them. So connections made before the devtools loaded show up too.

const KEY = Symbol.for('followsocket.inspectable')

/** One registration of a connection. Which fields it has says who made it. */
export interface Entry {
  connection: Connection<any>
  /** followsocket/store (a component's hook): its `share` option. */
  share?: boolean | 'tabs'
  /** followsocket/tabs: the Web Lock the tabs share, and whether this tab holds it. */
  lock?: string
  leads?: () => boolean
  /** inspect(). */
  name?: string
  inspected?: true
}

export const fromStore = (entry: Entry) => 'share' in entry
export const fromTabs = (entry: Entry) => 'lock' in entry

export interface Registry {
  /** Every connection watched now, in the order they came. */
  recordings(): Recording[]
  /** Calls `listener` when a connection comes, goes, or changes. */
  subscribe(listener: () => void): () => void
  /** The entries that hold `recording`'s connection: components, a tab, inspect(). */
  entries(recording: Recording): Entry[]
  /** The name shown for it: inspect()'s, else host and path of its URL. */
  name(recording: Recording): string
  /** When the last entry went (the component unmounted, the tab closed it), else undefined. */
  ended(recording: Recording): number | undefined
  add(entry: Entry): () => void
  /** The options new recordings take (set by mountDevtools()). */
  options: RecorderOptions
}

/** How many connections are kept after every entry holding them went (the last ones, for what happened). */
const ENDED_KEPT = 5

type Watched = Set<Entry> & { registry: Registry }

/** The page's registry: installs the devtools' set on first use, or finds another copy's. */
export function registry(): Registry {
  const current = (globalThis as any)[KEY] as Set<Entry> | Watched | undefined
  if (current && 'registry' in current) return current.registry

  const watched = new Map<
    Connection<any>,
    { recording: Recording; entries: Set<Entry>; ended?: number; name?: string }
  >()
  const listeners = new Set<() => void>()
  const notify = () => {
    for (const listener of listeners) listener()
  }
  const item = (recording: Recording) => watched.get(recording.connection)!

  const added = (entry: Entry) => {
    let it = watched.get(entry.connection)
    if (!it) {
      const recording = record(entry.connection, reg.options)
      recording.subscribe(notify)
      it = { recording, entries: new Set() }
      watched.set(entry.connection, it)
    }
    it.entries.add(entry)
    it.ended = undefined
    if (entry.name) it.name = entry.name
    notify()
  }

  const removed = (entry: Entry) => {
    const it = watched.get(entry.connection)
    if (!it || !it.entries.delete(entry) || it.entries.size) return notify()
    // inspect()'s unregister: the app is done with it here. A component or a tab letting go: kept a
    // while, so what happened to it can still be read.
    if (entry.inspected) forget(it.recording)
    else it.ended = Date.now()
    const ended = [...watched.values()].filter((x) => x.ended !== undefined).sort((a, b) => b.ended! - a.ended!)
    for (const old of ended.slice(ENDED_KEPT)) forget(old.recording)
    notify()
  }

  const forget = (recording: Recording) => {
    recording.dispose()
    watched.delete(recording.connection)
  }

  const set = new Set<Entry>() as Watched
  set.add = (entry) => {
    if (!Set.prototype.has.call(set, entry)) {
      Set.prototype.add.call(set, entry)
      added(entry)
    }
    return set
  }
  set.delete = (entry) => {
    const had = Set.prototype.delete.call(set, entry)
    if (had) removed(entry)
    return had
  }

  const reg: Registry = {
    options: {},
    recordings: () => [...watched.values()].map((x) => x.recording),
    subscribe(listener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    entries: (recording) => [...(item(recording)?.entries ?? [])],
    name(recording) {
      const named = item(recording)?.name
      if (named) return named
      try {
        const url = new URL(recording.connection.url)
        return url.host + url.pathname
      } catch {
        return recording.connection.url || 'a URL function'
      }
    },
    ended: (recording) => item(recording)?.ended,
    add(entry) {
      set.add(entry)
      return () => void set.delete(entry)
    },
  }
  set.registry = reg
  for (const entry of current ?? []) set.add(entry)
  ;(globalThis as any)[KEY] = set
  installWakeListeners(reg)
  return reg
}

/**
 * The page-lifecycle events that cut a reconnect wait short (docs/failure-path.md#waiting-offline-and-the-page-lifecycle),
 * marked on the timeline of every connection that is waiting when they happen.
 */
function installWakeListeners(reg: Registry) {
  if (typeof addEventListener !== 'function') return
  const wake = (label: string) => () => {
    for (const recording of reg.recordings()) recording.wake(label)
  }
  addEventListener('online', wake('Back online'))
  addEventListener(
    'pageshow',
    (event) => (event as PageTransitionEvent).persisted && wake('Restored from the back/forward cache')(),
  )
  if (typeof document !== 'undefined')
    document.addEventListener(
      'visibilitychange',
      () => document.visibilityState === 'visible' && wake('Page visible again')(),
    )
}

export interface InspectOptions {
  /** The name the panel shows; by default the host and path of the connection's URL. */
  name?: string
}

/**
 * Shows `connection` in the devtools, with everything it does from now on. Connections of the
 * React and Vue bindings and of followsocket/tabs show up by themselves; connect()'s need this.
 * Returns the function that stops watching it (and puts its `send` back).
 */
export function inspect(connection: Connection<any>, options: InspectOptions = {}): () => void {
  return registry().add({ connection, inspected: true, ...(options.name ? { name: options.name } : {}) })
}
