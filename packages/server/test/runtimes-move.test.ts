// moveClients and drainClients over the runtimes' own server-side sockets (docs/moves.md#sending-one,
// docs/moves.md#draining-a-backend): Bun's ServerWebSocket and the socket Deno.upgradeWebSocket
// gives, each a real runtime in a child process serving test/runtimes/*-rooms-server.mjs, which
// keeps its sockets in a Set per path as a user would and hands them to the built package as they
// are. A runtime that cannot start fails these tests: they never skip.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect, type CloseInfo, type Connection, type RedirectInfo } from 'followsocket'
import { closeOf, next, NodeWebSocket, openClient } from './clients'
import { RUNTIMES, startRuntime, type RuntimeServer } from './runtime'

const SERVERS = [
  {
    name: "Bun's ServerWebSocket",
    package: 'bun',
    ...RUNTIMES.bun,
    args: RUNTIMES.bun.args('bun-rooms-server.mjs'),
  },
  {
    name: "Deno.upgradeWebSocket's socket",
    package: 'deno',
    ...RUNTIMES.deno,
    args: RUNTIMES.deno.args('deno-rooms-server.mjs'),
  },
]

const COUNT = 5
const SPREAD = 400

for (const runtime of SERVERS) {
  describe(`moveClients and drainClients over ${runtime.name}`, () => {
    let server: RuntimeServer
    const test = async <T>(route: string, query: Record<string, string | number>): Promise<T> => {
      const params = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))
      const answer = await fetch(server.http(`/__test/${route}?${params}`))
      expect(answer.status).toBe(200)
      return (await answer.json()) as T
    }
    const opens = (path: string, count: number) => test<{ opens: number; open: number }>('opens', { path, count })

    beforeAll(async () => {
      if (!runtime.binary)
        throw new Error(
          `the ${runtime.package} runtime is not installed: pnpm install brings it (npm package ${runtime.package})`,
        )
      server = await startRuntime(runtime.binary, runtime.args)
    }, 60000)
    afterAll(() => server?.stop())

    it('moves every followsocket client with 4308 and the target, spread over spreadMs, and each reopens at the target', async () => {
      const target = server.ws('/rooms/b')
      const connections: Connection[] = []
      try {
        for (let i = 0; i < COUNT; i++) {
          const c = connect(server.ws('/rooms/a'), { WebSocket: NodeWebSocket, cache: false })
          connections.push(c)
          await next(c, 'open')
        }
        expect(await opens('/rooms/a', COUNT)).toEqual({ opens: COUNT, open: COUNT })

        const closes = connections.map((c) => next(c, 'close').then((close) => ({ close, at: performance.now() })))
        const redirects = connections.map((c) => next(c, 'redirect'))
        const reopened = connections.map((c) => next(c, 'open'))
        const started = performance.now()
        expect(await test('move', { path: '/rooms/a', to: target, spreadMs: SPREAD })).toEqual({ moved: COUNT })

        const received = await Promise.all(closes)
        for (const { close } of received)
          expect(close).toMatchObject<Partial<CloseInfo>>({ code: 4308, reason: target, willReconnect: true })
        for (const redirect of await Promise.all(redirects))
          expect(redirect).toEqual<RedirectInfo>({
            from: server.ws('/rooms/a'),
            to: target,
            hops: [{ from: server.ws('/rooms/a'), to: target }],
            via: 'close-frame',
          })
        for (const open of await Promise.all(reopened)) expect(open.url).toBe(target)
        // Counted by the runtime: every client opened at the target once, none is left behind.
        expect(await opens('/rooms/b', COUNT)).toEqual({ opens: COUNT, open: COUNT })
        expect((await opens('/rooms/a', COUNT)).open).toBe(0)
        // Spread, not all at once: the k-th close to arrive was sent no earlier than k × spreadMs / n.
        const arrivals = received.map(({ at }) => at - started).sort((a, b) => a - b)
        arrivals.forEach((at, k) => expect(at).toBeGreaterThanOrEqual((k * SPREAD) / COUNT))
      } finally {
        for (const c of connections) c.close()
      }
    })

    it('drains every client with 1012 spread over spreadMs, resolving once each socket is CLOSED', async () => {
      const clients = await Promise.all(Array.from({ length: COUNT }, () => openClient(server.ws('/rooms/c'))))
      try {
        expect(await opens('/rooms/c', COUNT)).toEqual({ opens: COUNT, open: COUNT })
        const closes = clients.map(closeOf)
        expect(await test('drain', { path: '/rooms/c', spreadMs: SPREAD })).toEqual({ drained: COUNT, notClosed: 0 })
        for (const close of await Promise.all(closes)) expect(close).toMatchObject({ code: 1012, reason: '' })
      } finally {
        for (const client of clients) client.terminate()
      }
    })
  })
}
