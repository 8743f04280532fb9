// The page side of share.spec.ts: Vue 3 and @followsocket/vue (the built package) in Chromium,
// as an application bundle carries them. window.harness mounts sharers and reports what each one
// rendered.
import { createApp, defineComponent, h, type App } from 'vue'
import type { Harness } from '../../../core/test/browser/harness'
import { useFollowSocket, type UseFollowSocketReturn } from '@followsocket/vue'

interface Seen {
  state: string
  lastMessage: unknown
  result?: UseFollowSocketReturn<unknown>
}

const apps = new Map<string, { app: App; seen: Seen }>()

const Sharer = (url: string, seen: Seen, share: boolean | 'tabs') =>
  defineComponent({
    setup() {
      const result = useFollowSocket(url, { share, cache: false, reconnect: { minDelayMs: 10, maxDelayMs: 50 } })
      seen.result = result
      return () => {
        Object.assign(seen, { state: result.state.value, lastMessage: result.lastMessage.value })
        return h('p', result.state.value)
      }
    },
  })

const harness = {
  mount(id: string, url: string, { share = true }: { share?: boolean | 'tabs' } = {}) {
    const seen: Seen = { state: 'idle', lastMessage: undefined }
    const app = createApp(Sharer(url, seen, share))
    app.mount(document.body.appendChild(document.createElement('div')))
    apps.set(id, { app, seen })
  },
  unmount(id: string) {
    apps.get(id)!.app.unmount()
    apps.delete(id)
  },
  seen(id: string) {
    const { state, lastMessage } = apps.get(id)!.seen
    return { state, lastMessage }
  },
  send(id: string, data: string) {
    apps.get(id)!.seen.result!.send(data)
  },
  close(id: string) {
    apps.get(id)!.seen.result!.close()
  },
}

window.harness = harness satisfies Harness
