// The page side of share.spec.ts: React 19 and @followsocket/react (the built package) in
// Chromium, as an application bundle carries them. window.harness mounts sharers and reports
// what each one rendered.
import { createElement, StrictMode, useLayoutEffect } from 'react'
import { createRoot, type Root } from 'react-dom/client'
import type { Harness } from '../../../core/test/browser/harness'
import { useFollowSocket, type UseFollowSocketResult } from '@followsocket/react'

interface Seen {
  state: string
  lastMessage: unknown
  renders: number
  result?: UseFollowSocketResult<unknown>
}

const roots = new Map<string, { root: Root; seen: Seen }>()

function Sharer({ url, seen, share }: { url: string; seen: Seen; share: boolean | 'tabs' }) {
  seen.renders++
  const result = useFollowSocket(url, { share, cache: false, reconnect: { minDelayMs: 10, maxDelayMs: 50 } })
  const { state, lastMessage } = result
  useLayoutEffect(() => {
    Object.assign(seen, { state, lastMessage, result })
  })
  return null
}

const harness = {
  mount(
    id: string,
    url: string,
    { share = true, strict = false }: { share?: boolean | 'tabs'; strict?: boolean } = {},
  ) {
    const host = document.body.appendChild(document.createElement('div'))
    const root = createRoot(host)
    const seen: Seen = { state: 'idle', lastMessage: undefined, renders: 0 }
    const element = createElement(Sharer, { url, seen, share })
    root.render(strict ? createElement(StrictMode, null, element) : element)
    roots.set(id, { root, seen })
  },
  unmount(id: string) {
    roots.get(id)!.root.unmount()
    roots.delete(id)
  },
  seen(id: string) {
    const { state, lastMessage } = roots.get(id)!.seen
    return { state, lastMessage }
  },
  send(id: string, data: string) {
    roots.get(id)!.seen.result!.send(data)
  },
  close(id: string) {
    roots.get(id)!.seen.result!.close()
  },
}

window.harness = harness satisfies Harness
