// graphql-ws 6 (its own client and its own server) through FollowWebSocket, on 127.0.0.1, with
// every preflight GET and upgrade counted at the server. Issue 7, item 1.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startLab, type Lab } from '@followsocket/lab'
import { createClient, type Client, type ClientOptions } from 'graphql-ws'
import WebSocket from 'ws'
import { FollowWebSocket } from '../../src/websocket'
// `ws` as FollowWebSocket's WebSocket; the cast is needed while WebSocketConstructor wants a DOM
// WebSocket instance type (see the issue 7 report).
import { NodeWebSocket } from '../helpers'
import { counts, graphqlEndpoint, moveAll, TICKS, type Tick } from './servers'

let lab: Lab
const clients: Client[] = []
let serial = 0
/** Paths no other test used: the resolution cache is shared by the whole module. */
const paths = (...names: string[]) => {
  const n = ++serial
  return names.map((name) => `/${name}/graphql-${n}`)
}

beforeEach(async () => {
  lab = await startLab()
})
afterEach(async () => {
  for (const client of clients.splice(0)) await client.dispose()
  await lab.close()
})

/** graphql-ws as its README configures it for Node, retrying at once so no test waits on it. */
const client = (
  options: Pick<ClientOptions, 'url' | 'webSocketImpl'> & Partial<ClientOptions>,
  story: string[] = [],
) => {
  const created = createClient({
    retryAttempts: 3,
    shouldRetry: () => true,
    retryWait: async () => {},
    on: {
      connected: (socket) =>
        story.push(`connected:${(socket as FollowWebSocket).resolvedUrl ?? (socket as WebSocket).url}`),
      closed: (event) => story.push(`closed:${(event as CloseEvent).code}`),
    },
    ...options,
  })
  clients.push(created)
  return created
}

/** What a graphql-ws failure was: an error event, a close event, GraphQL errors or an Error. */
const explain = (failure: any): string =>
  JSON.stringify({
    type: failure?.type,
    code: failure?.code,
    reason: failure?.reason,
    message: failure?.message ?? String(failure),
    error: failure?.error && String(failure.error),
    errors: Array.isArray(failure) ? failure : undefined,
  })

/**
 * Subscribes to the ticks and records them. Waits are conditions checked on every event, each
 * with one deadline (10 s, inside the test's 15 s) that fails it with the story so far.
 */
const watch = (client: Client, story: string[] = []) => {
  const ticks: Tick[] = []
  let failure: unknown
  const checks = new Set<() => boolean>()
  const wake = () => checks.forEach((check) => check() && checks.delete(check))
  const waitFor = (what: string, ready: () => boolean) =>
    new Promise<void>((done, fail) => {
      const check = () => {
        if (!ready()) return false
        clearTimeout(timer)
        done()
        return true
      }
      const timer = setTimeout(() => {
        checks.delete(check)
        const state = {
          story,
          ticks: ticks.length,
          last: ticks.slice(-3),
          failure: failure === undefined ? undefined : explain(failure),
        }
        fail(new Error(`no ${what} within 10 s: ${JSON.stringify(state)}`))
      }, 10_000)
      if (!check()) checks.add(check)
    })
  client.subscribe<{ ticks: Tick }>(
    { query: TICKS },
    {
      next: (result) => {
        ticks.push(result.data!.ticks)
        wake()
      },
      error: (error) => {
        failure = error ?? 'error'
        wake()
      },
      complete: wake,
    },
  )
  return {
    ticks,
    get failure() {
      return failure
    },
    /** Resolves with the first tick that passes `test`; rejects if the subscription fails first. */
    async until(test: (tick: Tick) => boolean): Promise<Tick> {
      await waitFor('such tick', () => ticks.some(test) || failure !== undefined)
      const found = ticks.find(test)
      if (!found)
        throw new Error(`subscription failed before the tick: ${explain(failure)}; ticks: ${JSON.stringify(ticks)}`)
      return found
    },
    /** Resolves with the subscription's error. */
    async failed(): Promise<unknown> {
      await waitFor('failure', () => failure !== undefined)
      return failure
    },
  }
}

describe('graphql-ws 6 through FollowWebSocket (Node, ws)', () => {
  it('subscribes through a 308 after one preflight, and resumes at a 4308 move with no preflight', async () => {
    const [v1, v2, v3] = paths('v1', 'v2', 'v3') as [string, string, string]
    lab.redirect(v1, lab.ws(v2))
    const second = graphqlEndpoint(lab, v2)
    graphqlEndpoint(lab, v3)
    const story: string[] = []
    const sub = watch(
      client({ url: lab.ws(v1), webSocketImpl: FollowWebSocket.with({ WebSocket: NodeWebSocket }) }, story),
      story,
    )

    // Phase 1: the old path answers the upgrade (tried first, discovery 'auto') and the
    // preflight with 308; the events come from the new location.
    await sub.until((tick) => tick.at === v2 && tick.n >= 2)
    expect(sub.ticks.every((tick) => tick.at === v2)).toBe(true)
    expect(counts(lab, v1, v2, v3)).toEqual({
      [v1]: { get: 1, upgrade: 1 },
      // Node sees each hop (redirect: 'manual'), so the chain ends with a GET of the target.
      [v2]: { get: 1, upgrade: 1 },
      [v3]: { get: 0, upgrade: 0 },
    })

    // Phase 2: the server moves its clients with close 4308 + the new URL. graphql-ws's own
    // retry reconnects with the URL it always used; FollowWebSocket goes straight to v3.
    const mark = sub.ticks.length
    expect(moveAll(second, lab.ws(v3))).toBe(1)
    const first = await sub.until((tick) => tick.at === v3)
    await sub.until((tick) => tick.at === v3 && tick.n >= 2)
    const after = sub.ticks.slice(sub.ticks.indexOf(first))
    expect(after.every((tick) => tick.at === v3)).toBe(true)
    expect(sub.ticks.slice(mark, sub.ticks.indexOf(first)).every((tick) => tick.at === v2)).toBe(true)
    expect(counts(lab, v1, v2, v3)).toEqual({
      [v1]: { get: 1, upgrade: 1 },
      [v2]: { get: 1, upgrade: 1 },
      [v3]: { get: 0, upgrade: 1 },
    })
    expect(story).toEqual([`connected:${lab.ws(v2)}`, 'closed:4308', `connected:${lab.ws(v3)}`])
    expect(sub.failure).toBeUndefined()
  })

  it('control: with the plain ws client the 308 endpoint fails every retry and never reaches the new location', async () => {
    const [v1, v2] = paths('v1', 'v2') as [string, string]
    lab.redirect(v1, lab.ws(v2))
    graphqlEndpoint(lab, v2)
    const sub = watch(client({ url: lab.ws(v1), webSocketImpl: WebSocket, retryAttempts: 2 }))
    const error = await sub.failed()
    expect(String((error as ErrorEvent).message)).toContain('308')
    expect(sub.ticks).toEqual([])
    // The first attempt and two retries, all at the old path; no preflight, nothing at v2.
    expect(counts(lab, v1, v2)).toEqual({ [v1]: { get: 0, upgrade: 3 }, [v2]: { get: 0, upgrade: 0 } })
  })

  it('control: with the plain ws client a 4308 move is ignored: the retry goes back to the old location', async () => {
    const [v2, v3] = paths('v2', 'v3') as [string, string]
    const second = graphqlEndpoint(lab, v2)
    graphqlEndpoint(lab, v3)
    const story: string[] = []
    const sub = watch(client({ url: lab.ws(v2), webSocketImpl: WebSocket }, story), story)
    await sub.until((tick) => tick.at === v2)
    const mark = sub.ticks.length
    moveAll(second, lab.ws(v3))
    await sub.until((tick) => sub.ticks.indexOf(tick) >= mark && tick.n === 1)
    expect(sub.ticks.every((tick) => tick.at === v2)).toBe(true)
    expect(counts(lab, v2, v3)).toEqual({ [v2]: { get: 0, upgrade: 2 }, [v3]: { get: 0, upgrade: 0 } })
    expect(story).toEqual([`connected:${lab.ws(v2)}`, 'closed:4308', `connected:${lab.ws(v2)}`])
  })
})
