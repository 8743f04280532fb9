// React's adapter for the bindings' shared specs (packages/core/test/bindings/binding.ts):
// components using useFollowSocket, rendered with Testing Library, committing after every render
// what they read in it.
// The lab's hooks first, so that vitest (after-hooks in reverse) unmounts before the lab closes.
import '../../core/test/lab'
import { type ExoticComponent, Fragment, type ReactNode, useEffect, useLayoutEffect } from 'react'
import { act, cleanup, render } from '@testing-library/react'
import { afterEach } from 'vitest'
import { recorder } from '@followsocket/lab/testing'
import type { UrlSource } from 'followsocket'
import type { SnapshotField } from 'followsocket/store'
import {
  type Binding,
  type Options,
  type Probe as Props,
  type Recorder,
  type Rendered,
  STATE_AT_URL,
} from '../../core/test/bindings/binding'
import { useFollowSocket } from '../src'

afterEach(() => cleanup())

/** Calls the hook; after every render React commits, records the fields in `reads`, read during it. */
export function Probe({
  url,
  options,
  reads = STATE_AT_URL,
  seen,
}: {
  url: UrlSource | null
  options?: Options
  reads?: readonly SnapshotField[]
  seen: Recorder
}) {
  seen.renders++
  const result = useFollowSocket(url, options)
  const shown = Object.fromEntries(reads.map((field) => [field, result[field]]))
  useLayoutEffect(() =>
    seen.commit({
      ...shown,
      send: result.send,
      reconnect: result.reconnect,
      close: result.close,
      read: (field) => result[field],
    }),
  )
  return null
}

/** The adapter; every tree it renders is wrapped in `Mode` (StrictMode, say). */
export const reactBinding = (Mode: ExoticComponent<{ children?: ReactNode }> = Fragment): Binding => ({
  mount(props: Props) {
    const seen = recorder<Rendered>()
    let current = props
    const view = render(
      <Mode>
        <Probe {...current} seen={seen} />
      </Mode>,
    )
    return {
      seen,
      async update(changes) {
        current = { ...current, ...changes }
        view.rerender(
          <Mode>
            <Probe {...current} seen={seen} />
          </Mode>,
        )
      },
      unmount: () => view.unmount(),
    }
  },
  mountAll(probes) {
    const seen = probes.map(() => recorder<Rendered>())
    render(
      <Mode>
        {probes.map((props, i) => (
          <Probe key={i} {...props} seen={seen[i]!} />
        ))}
      </Mode>,
    )
    return seen
  },
  mountWithSendingChild(url, options, data) {
    function Child({ send }: { send: (data: string) => void }) {
      useEffect(() => send(data), [send])
      return null
    }
    function Parent() {
      const { send } = useFollowSocket(url, options)
      return <Child send={send} />
    }
    render(
      <Mode>
        <Parent />
      </Mode>,
    )
  },
  settle: () => act(async () => {}),
})

export const react = reactBinding()
