// @vitest-environment jsdom
// Shared connections (docs/sharing.md#in-the-page) in Vue: every composable in the page with
// `share: true` and the same URL and options uses one connection, opened by the first and closed
// when the last one goes. Sockets and messages are counted at a real `ws` server in the lab.
import { createApp, createSSRApp, defineComponent, h, ref, type App } from 'vue'
import { renderToString } from 'vue/server-renderer'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startLab, type Lab } from '@followsocket/lab'
import { useFollowSocket, type UseFollowSocketOptions, type UseFollowSocketReturn } from '../src'
import { NodeWebSocket, nodeFetch, quiet, recorder, serverClosed } from '@followsocket/lab/testing'

let lab: Lab
const apps: App[] = []
beforeEach(async () => {
  lab = await startLab()
})
afterEach(async () => {
  for (const app of apps.splice(0)) app.unmount()
  await lab.close()
})

type Seen = { state: string; resolvedUrl?: string; lastMessage?: unknown; result: UseFollowSocketReturn<any> }
const base = { WebSocket: NodeWebSocket, fetch: nodeFetch, cache: false as const, share: true }

/** A sharer; every render records what it read (state, and lastMessage when `readsMessages`). */
const Sharer = (
  url: () => string,
  seen: ReturnType<typeof recorder<Seen>>,
  options: UseFollowSocketOptions<any> = {},
  readsMessages = true,
) =>
  defineComponent({
    setup() {
      const result = useFollowSocket(url, { ...base, ...options })
      return () => {
        seen.renders++
        seen.commit({
          state: result.state.value,
          resolvedUrl: result.resolvedUrl.value,
          lastMessage: readsMessages ? result.lastMessage.value : undefined,
          result,
        })
        return h('p', result.state.value)
      }
    },
  })

const mount = (component: Parameters<typeof createApp>[0]) => {
  const app = createApp(component)
  app.mount(document.createElement('div'))
  apps.push(app)
  return app
}
const sharers = (n: number) => Array.from({ length: n }, () => recorder<Seen>())

describe('share: true', () => {
  it('five sharers: one socket; each sees every message and its onMessage runs once per message', async () => {
    const endpoint = lab.endpoint('/live', { echo: false })
    const seen = sharers(5)
    const received = seen.map(() => [] as unknown[])
    seen.forEach((s, i) =>
      mount(Sharer(() => lab.ws('/live'), s, { onMessage: ({ data }) => received[i]!.push(data) })),
    )
    await Promise.all(seen.map((s) => s.until((v) => v.state === 'open')))
    expect(endpoint.connections).toBe(1)
    for (const client of endpoint.clients) ['a', 'b', 'c'].forEach((m) => client.send(m))
    await Promise.all(seen.map((s) => s.until((v) => v.lastMessage === 'c')))
    expect(received).toEqual(seen.map(() => ['a', 'b', 'c']))
  })

  it('keeps the socket until the last sharer unmounts, then closes it', async () => {
    const endpoint = lab.endpoint('/live')
    const seen = sharers(3)
    const mounted = seen.map((s) => mount(Sharer(() => lab.ws('/live'), s)))
    await Promise.all(seen.map((s) => s.until((v) => v.state === 'open')))
    const [server] = [...endpoint.clients]
    mounted[0]!.unmount()
    mounted[1]!.unmount()
    seen[2]!.commits.at(-1)!.result.send('still here')
    await seen[2]!.until((v) => v.lastMessage === 'still here')
    expect(endpoint.clients.size).toBe(1)
    mounted[2]!.unmount()
    apps.length = 0
    await serverClosed(server!)
    expect(endpoint.connections).toBe(1)
  })

  it('a sharer whose URL ref changes leaves for the other URL’s connection; close() closes it for all', async () => {
    const a = lab.endpoint('/a')
    const b = lab.endpoint('/b')
    const url = ref(lab.ws('/a'))
    const [stay, move, there] = sharers(3)
    mount(Sharer(() => lab.ws('/a'), stay!))
    mount(Sharer(() => lab.ws('/b'), there!))
    mount(Sharer(() => url.value, move!))
    await Promise.all([stay, move, there].map((s) => s!.until((v) => v.state === 'open')))
    url.value = lab.ws('/b')
    await move!.until((v) => v.state === 'open' && v.resolvedUrl === lab.ws('/b'))
    move!.commits.at(-1)!.result.send('moved')
    await there!.until((v) => v.lastMessage === 'moved')
    expect([a.connections, b.connections, a.clients.size, b.clients.size]).toEqual([1, 1, 1, 1])

    there!.commits.at(-1)!.result.close()
    await Promise.all([there, move].map((s) => s!.until((v) => v.state === 'closed')))
    expect(stay!.commits.at(-1)!.state).toBe('open')
  })

  it('a sharer that reads only state is not re-rendered by a burst of 1,000 messages; server rendering opens none', async () => {
    const endpoint = lab.endpoint('/live', { echo: false })
    const html = await renderToString(createSSRApp(Sharer(() => lab.ws('/live'), recorder<Seen>())))
    expect(html).toContain('idle')
    await quiet(50)
    expect(lab.count('/live', 'upgrade')).toBe(0)

    const BURST = 1000
    const [stateOnly, reader] = sharers(2)
    mount(Sharer(() => lab.ws('/live'), stateOnly!, {}, false))
    mount(Sharer(() => lab.ws('/live'), reader!))
    await Promise.all([stateOnly, reader].map((s) => s!.until((v) => v.state === 'open')))
    expect(endpoint.connections).toBe(1)
    const before = { stateOnly: stateOnly!.renders, reader: reader!.renders }
    for (let i = 0; i < BURST; i++) {
      for (const client of endpoint.clients) client.send(`m${i}`)
      await new Promise(setImmediate)
    }
    await reader!.until((v) => v.lastMessage === `m${BURST - 1}`)
    expect(stateOnly!.renders - before.stateOnly).toBe(0)
    expect(reader!.renders - before.reader).toBeGreaterThan(0)
  })
})
