// Vue's adapter for the bindings' shared specs (packages/core/test/bindings/binding.ts): apps of
// components using useFollowSocket, each recording on every render what it read in it.
// The lab's hooks first, so that vitest (after-hooks in reverse) unmounts before the lab closes.
import '../../core/test/lab'
import { createApp, defineComponent, h, type MaybeRefOrGetter, nextTick, onMounted, shallowRef, type App } from 'vue'
import { afterEach } from 'vitest'
import { recorder } from '@followsocket/lab/testing'
import type { SnapshotField } from 'followsocket/store'
import {
  type Binding,
  type Options,
  type Recorder,
  type Rendered,
  STATE_AT_URL,
} from '../../core/test/bindings/binding'
import { useFollowSocket } from '../src'

const apps: App[] = []
afterEach(() => {
  for (const app of apps.splice(0)) app.unmount()
})

/** Mounts `component` as an app of its own, unmounted after the test. */
export const mountApp = (component: Parameters<typeof createApp>[0]) => {
  const app = createApp(component)
  app.mount(document.createElement('div'))
  apps.push(app)
  return app
}
const unmountApp = (app: App) => {
  apps.splice(apps.indexOf(app), 1)
  app.unmount()
}

/** A component calling the composable; every render records the fields in `reads`, read during it. */
export const Probe = (
  url: MaybeRefOrGetter<string | null>,
  options: MaybeRefOrGetter<Options>,
  seen: Recorder,
  reads: readonly SnapshotField[] = STATE_AT_URL,
) =>
  defineComponent({
    setup() {
      const result = useFollowSocket(url, options)
      return () => {
        seen.renders++
        seen.commit({
          ...Object.fromEntries(reads.map((field) => [field, result[field].value])),
          send: result.send,
          reconnect: result.reconnect,
          close: result.close,
          read: (field) => result[field].value,
        })
        return h('p')
      }
    },
  })

export const vue: Binding = {
  // The URL and the options are refs, as a parent's props or state would be.
  mount({ url, options = {}, reads }) {
    const seen = recorder<Rendered>()
    const urlRef = shallowRef(url)
    const optionsRef = shallowRef(options)
    const app = mountApp(Probe(urlRef, optionsRef, seen, reads))
    return {
      seen,
      async update(changes) {
        if ('url' in changes) urlRef.value = changes.url ?? null
        if (changes.options) optionsRef.value = changes.options
        await nextTick()
      },
      unmount: () => unmountApp(app),
    }
  },
  mountAll(probes) {
    const seen = probes.map(() => recorder<Rendered>())
    const components = probes.map(({ url, options = {}, reads }, i) => Probe(url, options, seen[i]!, reads))
    mountApp(defineComponent({ render: () => components.map((component) => h(component)) }))
    return seen
  },
  mountWithSendingChild(url, options, data) {
    const Child = defineComponent({
      props: { send: { type: Function, required: true } },
      setup(props) {
        onMounted(() => props.send(data))
        return () => null
      },
    })
    mountApp(
      defineComponent({
        setup() {
          const { send } = useFollowSocket(url, options)
          return () => h(Child, { send })
        },
      }),
    )
  },
  settle: () => nextTick(),
}
