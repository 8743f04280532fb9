import { connect, type Connection } from './connection'
import { FollowSocketError, isFollowSocketError } from './errors'
import { CONNECTION_EVENTS } from './events'
import { acquire, IDLE, type Hold, type Snapshot } from './page-sharing'
import { settings } from './options'
import { HANDLER, restartKey } from './restart-key'
import type { ConnectionEvents, ConnectOptions, SendData, UrlSource } from './types'
import { inspectable } from './inspectable'

// `followsocket/store`: what every framework binding needs, kept here so that @followsocket/react
// and @followsocket/vue only subscribe and render (TanStack Query keeps its rules in query-core
// the same way). Not part of the main entry: `connect` alone stays within its size budget.

export type { RetryInfo, Snapshot } from './page-sharing'
export { restartKey }

export type SnapshotField = keyof Snapshot

/** One optional callback per connection event: onState, onOpen, onMessage, onClose, onRedirect, onReconnecting, onError. */
export type EventHandlers<T = unknown> = {
  [K in keyof ConnectionEvents<T> as `on${Capitalize<K>}`]?: (payload: ConnectionEvents<T>[K]) => void
}

/**
 * A binding's options: connect()'s, plus a callback per event (every message reaches onMessage,
 * even when renders are batched), plus `share`.
 */
export type StoreOptions<T = unknown> = ConnectOptions<T> &
  EventHandlers<T> & {
    /**
     * true: every store in the page with the same URL and options (the restart key) uses one
     * connection, opened by the first and closed when the last stops (docs/sharing.md#in-the-page).
     * 'tabs': that connection is also shared with the other tabs of this origin (followsocket/tabs,
     * docs/sharing.md#across-tabs).
     */
    share?: boolean | 'tabs'
  }

/** What to connect to; `url` null or undefined: nothing. */
export interface StoreInput<T = unknown> {
  url: UrlSource | null | undefined
  options?: StoreOptions<T> | undefined
}

export interface ConnectionStore<T = unknown> {
  getSnapshot(): Snapshot<T>
  /**
   * Calls `listener` after every change of the snapshot or, given `fields`, only after a change
   * to one of those (read at each change, so a field tracked later counts from then on).
   */
  subscribe(listener: () => void, fields?: ReadonlySet<SnapshotField>): () => void
  /**
   * Connects to the URL and with the options `input()` gives now; returns the function that
   * closes that connection (for an effect's cleanup). A URL or option that connect() refuses
   * becomes the snapshot's `error`, with state 'closed', rather than a throw.
   */
  start(): () => void
  /** The connection started last, until it is stopped. */
  readonly connection: Connection<T> | undefined
  /** Sends, or queues until open. Before the first start() messages wait in the store. */
  send(data: SendData): void
  reconnect(): void
  close(code?: number, reason?: string): void
}

/** A binding's options without its event callbacks and `share`: what connect() takes. */
const connectOptions = (options: Record<string, any> = {}) =>
  Object.fromEntries(Object.entries(options).filter(([key]) => !HANDLER.test(key) && key !== 'share'))

/**
 * connect()'s arguments from `input()`, with each callback, the URL function and the schema
 * calling through to the one `input()` holds when it runs (partysocket's latest-ref handlers).
 * Event callbacks are not connect() options: the store calls them.
 */
const latest = <T>(input: () => StoreInput<T>, share?: 'tabs'): [UrlSource, ConnectOptions<T> & { share?: 'tabs' }] => {
  const { url, options = {} } = input() as { url: UrlSource; options?: Record<string, any> }
  const now = (key: string) => (input().options as Record<string, any> | undefined)?.[key] ?? options[key]
  const bound: Record<string, any> = {}
  for (const [key, value] of Object.entries(connectOptions(options))) {
    bound[key] = value?.['~standard']
      ? { '~standard': { ...value['~standard'], validate: (data: unknown) => now(key)['~standard'].validate(data) } }
      : // `new` needs the WebSocket constructor itself: a new one applies to the next connection.
        typeof value === 'function' && key !== 'WebSocket'
        ? (...args: unknown[]) => now(key)(...args)
        : value
  }
  // While the key says "a URL function", the one called is the latest render's.
  const latestUrl = () => {
    const next = input().url
    return (typeof next === 'function' ? next : url) as Extract<UrlSource, Function>
  }
  if (share) bound.share = share
  return [typeof url === 'function' ? () => latestUrl()() : url, bound]
}

type Tabs = typeof import('./tabs')
let tabs: Tabs | undefined
/**
 * Loads followsocket/tabs once. Should that fail (a chunk that cannot be fetched), share: 'tabs'
 * means a page-level shared connection, as it does where tabs cannot share.
 */
const loadTabs = () =>
  import('./tabs').then(
    (module: Tabs) => (tabs = module),
    (): Tabs => (tabs = { connect: (url, { share, ...options } = {}) => connect(url, options) }),
  )

/**
 * One binding's view of one connection at a time: a snapshot store for React's
 * useSyncExternalStore (subscribe + getSnapshot) or Vue's shallowRef, and stable actions.
 * `input` is read when starting and when a callback runs, so it can return the latest render's.
 */
export function createStore<T = unknown>(input: () => StoreInput<T>): ConnectionStore<T> {
  let snapshot: Snapshot<T> = IDLE
  let live: Hold<T> | undefined
  let stopped = false
  // send() before the first connection exists (a child's mount effect runs before its parent's).
  const pending: SendData[] = []
  const listeners = new Set<{ listener: () => void; fields?: ReadonlySet<SnapshotField> }>()

  const update = (patch: Partial<Snapshot<T>>) => {
    const changed = (Object.keys(patch) as SnapshotField[]).filter((key) => !Object.is(patch[key], snapshot[key]))
    if (!changed.length) return
    snapshot = { ...snapshot, ...patch }
    for (const { listener, fields } of listeners) if (!fields || changed.some((key) => fields.has(key))) listener()
  }

  const start = (): (() => void) => {
    const { url, options } = input()
    // followsocket/tabs is loaded only by an app that asks for it, so the bindings do not carry it.
    // Until it is here the snapshot stays idle and sends wait in `pending`, as before a first start.
    if (options?.share === 'tabs' && !tabs) {
      let stop: (() => void) | undefined
      let cancelled = false
      loadTabs().then(() => {
        if (!cancelled) stop = start()
      })
      return () => {
        cancelled = true
        stop?.()
      }
    }
    const open =
      options?.share === 'tabs' ? () => tabs!.connect(...latest(input, 'tabs')) : () => connect(...latest(input))
    let held: Hold<T>
    try {
      held = acquire(options?.share ? restartKey(url, options) : undefined, open)
    } catch (error) {
      if (!isFollowSocketError(error)) throw error
      stopped = true
      update({ ...IDLE, state: 'closed', error })
      return () => update(IDLE)
    }
    live = held
    stopped = false
    const c = held.connection
    const entry = { connection: c, share: options?.share }
    inspectable().add(entry)
    update(held.snapshot)
    // What was sent before there was a connection goes first, queued until open.
    for (const data of pending.splice(0)) c.send(data)
    const offs = [
      held.watch(update),
      ...CONNECTION_EVENTS.map((type) =>
        c.on(type, (payload: any) =>
          (input().options as Record<string, any> | undefined)?.[`on${type[0]!.toUpperCase()}${type.slice(1)}`]?.(
            payload,
          ),
        ),
      ),
    ]
    return () => {
      for (const off of offs) off()
      inspectable().delete(entry)
      held.release()
      if (live === held) live = undefined
      stopped = true
      update(IDLE)
    }
  }

  return {
    getSnapshot: () => snapshot,
    subscribe(listener, fields) {
      const entry = { listener, fields }
      listeners.add(entry)
      return () => listeners.delete(entry)
    },
    start,
    get connection() {
      return live?.connection
    },
    send(data) {
      if (live) return live.connection.send(data)
      const { url, options } = input()
      if (stopped || url == null)
        throw new FollowSocketError(
          'CLOSED',
          'No connection to send on: the URL is null or invalid, or the component unmounted',
        )
      if (pending.length >= settings(connectOptions(options)).buffer.maxMessages)
        throw new FollowSocketError('SEND_BUFFER_FULL', 'Buffer full: wait for open')
      pending.push(data)
    },
    reconnect: () => live?.connection.reconnect(),
    close: (code, reason) => live?.connection.close(code, reason),
  }
}

/**
 * `snapshot`'s fields as getters on `target` that record each field read into `fields`, for
 * subscribe(): a component re-renders only for the fields it reads (TanStack Query's tracked
 * query results). Reading a field in an event handler or effect tracks it too.
 */
export const track = <T, E extends object>(
  snapshot: Snapshot<T>,
  fields: Set<SnapshotField>,
  target: E,
): Snapshot<T> & E => {
  for (const key of Object.keys(snapshot) as SnapshotField[])
    Object.defineProperty(target, key, {
      enumerable: true,
      get: () => {
        fields.add(key)
        return snapshot[key]
      },
    })
  return target as Snapshot<T> & E
}
