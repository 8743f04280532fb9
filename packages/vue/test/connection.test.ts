// @vitest-environment jsdom
// One connection per composable (docs/bindings.md#one-connection-per-hook): opened when mounted,
// closed when unmounted, replaced when the URL (a ref or a getter) or an option that matters
// changes, kept when only callbacks change. Against a real `ws` server in the lab, counting what
// the server sees.
import {
  createApp,
  defineComponent,
  effectScope,
  h,
  nextTick,
  onMounted,
  ref,
  shallowRef,
  toValue,
  type App,
  type MaybeRefOrGetter,
} from 'vue'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startLab, type Lab } from '@followsocket/lab'
import { useFollowSocket, type UseFollowSocketOptions, type UseFollowSocketReturn } from '../src'
import { NodeWebSocket, nodeFetch, only, recorder, serverClosed } from '@followsocket/lab/testing'

let lab: Lab
const apps: App[] = []
beforeEach(async () => {
  lab = await startLab()
})
afterEach(async () => {
  for (const app of apps.splice(0)) app.unmount()
  await lab.close()
})

const mount = (component: Parameters<typeof createApp>[0]) => {
  const app = createApp(component)
  app.mount(document.createElement('div'))
  apps.push(app)
  return app
}
const unmount = (app: App) => {
  apps.splice(apps.indexOf(app), 1)
  app.unmount()
}

type Seen = { state: string; resolvedUrl?: string; result: UseFollowSocketReturn<any> }

/** A component using the composable; every render records what it read (state and resolvedUrl). */
const Live = (
  url: MaybeRefOrGetter<string | null>,
  seen: ReturnType<typeof recorder<Seen>>,
  options: MaybeRefOrGetter<UseFollowSocketOptions<any>> = {},
) =>
  defineComponent({
    setup() {
      const result = useFollowSocket(url, () => ({
        WebSocket: NodeWebSocket,
        fetch: nodeFetch,
        cache: false as const,
        ...toValue(options),
      }))
      return () => {
        seen.renders++
        seen.commit({ state: result.state.value, resolvedUrl: result.resolvedUrl.value, result })
        return h('p', result.state.value)
      }
    },
  })

describe('one connection per composable', () => {
  it('opens exactly one socket when mounted and closes it when unmounted', async () => {
    const endpoint = lab.endpoint('/live')
    const seen = recorder<Seen>()
    const app = mount(Live(lab.ws('/live'), seen))
    await seen.until((s) => s.state === 'open')
    seen.commits.at(-1)!.result.send('ping')
    await endpoint.receivedCount(1)
    expect(lab.count('/live', 'upgrade')).toBe(1)
    const server = only(endpoint.clients)

    unmount(app)
    await serverClosed(server)
    expect(endpoint.clients.size).toBe(0)
    expect(lab.count('/live', 'upgrade')).toBe(1)
  })

  it('closes the old connection and opens one at the new URL when a URL ref changes; send stays the same function', async () => {
    const a = lab.endpoint('/a')
    const b = lab.endpoint('/b')
    const url = ref(lab.ws('/a'))
    const seen = recorder<Seen>()
    mount(Live(url, seen))
    await seen.until((s) => s.state === 'open')
    const first = only(a.clients)

    url.value = lab.ws('/b')
    await seen.until((s) => s.state === 'open' && s.resolvedUrl === lab.ws('/b'))
    await serverClosed(first)
    expect([a.connections, b.connections]).toEqual([1, 1])
    expect(a.clients.size).toBe(0)

    expect(new Set(seen.commits.map((s) => s.result.send)).size).toBe(1)
    seen.commits[0]!.result.send('to b')
    expect(await b.receivedCount(1)).toEqual(['to b'])
  })

  it('watches a getter URL', async () => {
    const rooms = { red: lab.endpoint('/rooms/red'), blue: lab.endpoint('/rooms/blue') }
    const room = ref<'red' | 'blue'>('red')
    const seen = recorder<Seen>()
    mount(Live(() => lab.ws(`/rooms/${room.value}`), seen))
    await seen.until((s) => s.state === 'open')
    const red = only(rooms.red.clients)
    room.value = 'blue'
    await seen.until((s) => s.state === 'open' && s.resolvedUrl === lab.ws('/rooms/blue'))
    await serverClosed(red)
    expect([rooms.red.connections, rooms.blue.connections]).toEqual([1, 1])
  })

  it('opens nothing while the URL is null, and connects once it is set', async () => {
    const endpoint = lab.endpoint('/live')
    const url = ref<string | null>(null)
    const seen = recorder<Seen>()
    mount(Live(url, seen))
    await nextTick()
    expect(seen.commits.map((s) => s.state)).toEqual(['idle'])
    url.value = lab.ws('/live')
    await seen.until((s) => s.state === 'open')
    expect(endpoint.connections).toBe(1)
  })

  it('keeps the connection when only callbacks change, calling the latest; replaces it when protocols change', async () => {
    const endpoint = lab.endpoint('/live', { protocols: ['v1', 'v2'] })
    const early: unknown[] = []
    const late: unknown[] = []
    const options = shallowRef<UseFollowSocketOptions<any>>({
      protocols: 'v1',
      shouldReconnect: () => true,
      onMessage: ({ data }) => early.push(data),
    })
    const seen = recorder<Seen>()
    mount(Live(lab.ws('/live'), seen, options))
    await seen.until((s) => s.state === 'open')
    const first = only(endpoint.clients)

    const echo = new Promise((done) => {
      options.value = {
        protocols: 'v1',
        shouldReconnect: () => true,
        onMessage: ({ data }) => {
          late.push(data)
          done(data)
        },
      }
    })
    await nextTick()
    seen.commits.at(-1)!.result.send('hello')
    await echo
    expect([early, late]).toEqual([[], ['hello']])
    expect(endpoint.connections).toBe(1)

    const next = endpoint.nextConnection()
    options.value = { protocols: 'v2' }
    expect((await next).protocol).toBe('v2')
    await serverClosed(first)
    expect(endpoint.connections).toBe(2)
  })

  it("delivers what a child sends from its onMounted, which runs before the parent's connects", async () => {
    const endpoint = lab.endpoint('/live')
    const Child = defineComponent({
      props: { send: { type: Function, required: true } },
      setup(props) {
        onMounted(() => props.send('hello from the child'))
        return () => null
      },
    })
    mount(
      defineComponent({
        setup() {
          const { send } = useFollowSocket(lab.ws('/live'), { WebSocket: NodeWebSocket, cache: false })
          return () => h(Child, { send })
        },
      }),
    )
    expect(await endpoint.receivedCount(1)).toEqual(['hello from the child'])
  })

  it('outside a component, connects at once and closes when its effect scope stops', async () => {
    const endpoint = lab.endpoint('/live')
    const scope = effectScope()
    const live = scope.run(() => useFollowSocket(lab.ws('/live'), { WebSocket: NodeWebSocket, cache: false }))!
    const server = await endpoint.nextConnection()
    live.send('ping')
    await endpoint.receivedCount(1)
    expect(live.state.value).toBe('open')

    scope.stop()
    await serverClosed(server)
    expect(endpoint.connections).toBe(1)
  })
})
