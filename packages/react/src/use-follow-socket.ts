import { useCallback, useEffect, useInsertionEffect, useRef, useState, useSyncExternalStore } from 'react'
import type { UrlSource } from 'followsocket'
import {
  createStore,
  restartKey,
  track,
  type ConnectionStore,
  type Snapshot,
  type SnapshotField,
  type StoreInput,
  type StoreOptions,
} from 'followsocket/store'

/** connect()'s options, plus onState, onOpen, onMessage, onClose, onRedirect, onReconnecting, onError. */
export type UseFollowSocketOptions<T = unknown> = StoreOptions<T>

/** The connection's snapshot (state, lastMessage, error, resolvedUrl, retry) and its actions, stable across renders. */
export type UseFollowSocketResult<T = unknown> = Snapshot<T> & Pick<ConnectionStore<T>, 'send' | 'reconnect' | 'close'>

/**
 * One followsocket connection for this component: opened after mount, closed on unmount,
 * replaced when `url` or an option that matters changes. `url` null or undefined: no connection.
 *
 * The component re-renders only when a field it read changes: one that reads only `state` is
 * not re-rendered by messages. Every message reaches `onMessage`, even when renders are batched.
 */
export function useFollowSocket<T = unknown>(
  url: UrlSource | null | undefined,
  options?: UseFollowSocketOptions<T>,
): UseFollowSocketResult<T> {
  const input: StoreInput<T> = { url, options }
  // Latest-ref (partysocket's use-handlers): callbacks and a URL function are read when they run,
  // so a new arrow function on every render neither reconnects nor goes stale. Written in an
  // insertion effect: before any effect runs, and only for renders React commits.
  const latest = useRef(input)
  useInsertionEffect(() => {
    latest.current = input
  })
  const [store] = useState(() => createStore<T>(() => latest.current))
  const [fields] = useState(() => new Set<SnapshotField>())

  // Connects in the effect, never in render: Strict Mode's mount → unmount → mount closes the
  // first connection before its first attempt (a microtask away), so one socket ever opens,
  // and server rendering opens none.
  const key = restartKey(url, options)
  useEffect(() => (key === undefined ? undefined : store.start()), [store, key])

  const subscribe = useCallback((listener: () => void) => store.subscribe(listener, fields), [store, fields])
  const snapshot = useSyncExternalStore(subscribe, store.getSnapshot, store.getSnapshot)
  return track(snapshot, fields, { send: store.send, reconnect: store.reconnect, close: store.close })
}
