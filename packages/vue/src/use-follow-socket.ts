import {
  computed,
  getCurrentInstance,
  getCurrentScope,
  onMounted,
  onScopeDispose,
  shallowRef,
  toValue,
  watch,
  type ComputedRef,
  type MaybeRefOrGetter,
} from 'vue'
import {
  createStore,
  restartKey,
  type ConnectionStore,
  type Snapshot,
  type SnapshotField,
  type StoreOptions,
} from 'followsocket/store'

/** connect()'s options, plus onState, onOpen, onMessage, onClose, onRedirect, onReconnecting, onError. */
export type UseFollowSocketOptions<T = unknown> = StoreOptions<T>

/** A read-only ref per snapshot field, and the connection's actions. */
export type UseFollowSocketReturn<T = unknown> = { readonly [K in SnapshotField]: ComputedRef<Snapshot<T>[K]> } & Pick<
  ConnectionStore<T>,
  'send' | 'reconnect' | 'close'
>

/**
 * One followsocket connection for this component (or effect scope): opened when mounted,
 * closed when unmounted, replaced when the `url` (a ref or getter is watched) or an option
 * that matters changes. `url` null or undefined: no connection. Server rendering opens none.
 *
 * Each field is its own ref, so a render that reads only `state` is not re-run by messages.
 * Every message reaches `onMessage`, however Vue batches updates.
 */
export function useFollowSocket<T = unknown>(
  url: MaybeRefOrGetter<string | URL | null | undefined>,
  options: MaybeRefOrGetter<UseFollowSocketOptions<T>> = {},
): UseFollowSocketReturn<T> {
  const store = createStore<T>(() => ({ url: toValue(url), options: toValue(options) }))
  // One shallowRef holds the core's snapshot; a computed per field passes a change on only when
  // that field's value changed (Vue 3.4+), so readers of other fields stay still.
  const snapshot = shallowRef(store.getSnapshot())
  const field = <K extends SnapshotField>(key: K) => computed(() => snapshot.value[key])

  let stop: (() => void) | undefined
  const begin = () => {
    store.subscribe(() => (snapshot.value = store.getSnapshot()))
    // A new URL or a changed option (tracked deeply through a reactive options object) means a
    // new connection; callbacks are read when they run, so new functions do not reconnect.
    watch(
      () => restartKey(toValue(url), toValue(options)),
      (key) => {
        stop?.()
        stop = key === undefined ? undefined : store.start()
      },
      { immediate: true },
    )
  }
  // In a component, connect once mounted (onMounted never runs during server rendering);
  // in a bare effect scope (a store, a test), at once.
  if (getCurrentInstance()) onMounted(begin)
  else begin()
  if (getCurrentScope()) onScopeDispose(() => stop?.())

  return {
    state: field('state'),
    lastMessage: field('lastMessage'),
    error: field('error'),
    resolvedUrl: field('resolvedUrl'),
    retry: field('retry'),
    send: store.send,
    reconnect: store.reconnect,
    close: store.close,
  }
}
