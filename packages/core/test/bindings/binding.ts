// What the bindings' shared specs ask of a framework (docs/bindings.md#one-store-under-both): each
// binding's test/binding.ts(x) mounts components that use its useFollowSocket and reports, render
// by render, the fields they read. connection.ts, snapshot.ts, share.ts and ssr.ts beside this
// declare each case once; every binding runs them with its adapter, against the lab of ../lab.ts.
import type { Endpoint } from '@followsocket/lab'
import { NodeWebSocket, nodeFetch, type recorder } from '@followsocket/lab/testing'
import type { ConnectionStore, Snapshot, SnapshotField, StoreOptions } from '../../src/store'

export type Options = StoreOptions<any>

/**
 * What one render showed: the fields the component read while rendering (and only those, since a
 * component re-renders for what it reads), the actions as that render got them, and `read`, which
 * takes a field from the hook's result afterwards, as an event handler would.
 */
export type Rendered = Partial<Snapshot<any>> &
  Pick<ConnectionStore<any>, 'send' | 'reconnect' | 'close'> & {
    read<K extends SnapshotField>(field: K): Snapshot<any>[K]
  }

export type Recorder = ReturnType<typeof recorder<Rendered>>

/** A component to mount: useFollowSocket(url, options), given as they are; it reads `reads` in render. */
export interface Probe {
  url: string | null
  options?: Options
  reads?: readonly SnapshotField[]
}

export interface Mounted {
  seen: Recorder
  /** Its parent renders it with a new URL or options (React: new props; Vue: its refs change). */
  update(changes: { url?: string | null; options?: Options }): Promise<void>
  unmount(): void
}

/** A binding's adapter. What a test mounts is unmounted after it, before the lab closes. */
export interface Binding {
  mount(probe: Probe): Mounted
  /** Mounts components side by side in one tree, so that they mount together. */
  mountAll(probes: Probe[]): Recorder[]
  /** Mounts a component using the hook whose child sends `data` from its own mount hook. */
  mountWithSendingChild(url: string, options: Options, data: string): void
  /** Lets the framework finish the renders and effects it has pending. */
  settle(): Promise<void>
}

/** What a probe reads unless told: enough to wait for a state at an address. */
export const STATE_AT_URL: readonly SnapshotField[] = ['state', 'resolvedUrl']

/** The lab from Node (jsdom's WebSocket never reaches the network, and jsdom has no fetch). */
export const base = { WebSocket: NodeWebSocket, fetch: nodeFetch, cache: false } as const

/**
 * Sends `count` messages to every client of `endpoint`, one per turn of the event loop (the lab
 * runs in this process), so each can reach the client on its own: the worst case for renders, as
 * a live feed delivers them.
 */
export const burst = async (endpoint: Endpoint, count: number) => {
  for (let i = 0; i < count; i++) {
    for (const client of endpoint.clients) client.send(`m${i}`)
    await new Promise(setImmediate)
  }
}
