// @vitest-environment jsdom
// What the hook shows (docs/bindings.md#what-a-component-re-renders-for): state, retry (a pending
// reconnect wait, for a countdown and a "Retry now" button), error, typed lastMessage; and a
// component re-renders only for the fields it reads. Against a real `ws` server in the lab.
import { useLayoutEffect } from 'react'
import { cleanup, render } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import { startLab, type Lab } from '@followsocket/lab'
import { FollowSocketError, isFollowSocketError, type ConnectionState } from 'followsocket'
import { useFollowSocket, type RetryInfo, type UseFollowSocketOptions, type UseFollowSocketResult } from '../src'
import { NodeWebSocket, nodeFetch, only, recorder } from '@followsocket/lab/testing'

let lab: Lab
beforeEach(async () => {
  lab = await startLab()
})
afterEach(async () => {
  cleanup()
  await lab.close()
})

const base = { WebSocket: NodeWebSocket, fetch: nodeFetch, cache: false } as const
// Long enough that a test (15 s) would time out waiting for it: reconnect() must skip it.
const LONG_WAIT = { minDelayMs: 60_000, maxDelayMs: 60_000, jitter: 'none' } as const

/** Renders the hook and commits, after every render, what `read` took from it (and only that). */
function Probe<V>({
  url,
  options,
  read,
  seen,
}: {
  url: string
  options?: UseFollowSocketOptions<any>
  read: (r: UseFollowSocketResult<any>) => V
  seen: { renders: number; commit(value: V & { result: UseFollowSocketResult<any> }): void }
}) {
  seen.renders++
  const result = useFollowSocket(url, { ...base, ...options })
  const value = read(result)
  useLayoutEffect(() => seen.commit({ ...value, result }))
  return null
}

describe('state', () => {
  it('follows the connection through open, reconnecting, open again and closed', async () => {
    const endpoint = lab.endpoint('/live')
    const transitions: ConnectionState[] = ['idle']
    const seen = recorder<{ state: ConnectionState; result: UseFollowSocketResult<any> }>()
    render(
      <Probe
        url={lab.ws('/live')}
        options={{ reconnect: LONG_WAIT, onState: (s) => transitions.push(s) }}
        read={(r) => ({ state: r.state })}
        seen={seen}
      />,
    )
    await seen.until((s) => s.state === 'open')

    only(endpoint.clients).close(1001)
    const { result } = await seen.until((s) => s.state === 'reconnecting')
    result.reconnect()
    await seen.until((s) => s.state === 'open' && endpoint.connections === 2)
    result.close()
    await seen.until((s) => s.state === 'closed')

    const shown = seen.commits.map((s) => s.state).filter((s, i, all) => s !== all[i - 1])
    // Renders may batch transitions away, never invent or reorder them.
    expect(transitions.filter((s) => shown.includes(s))).toEqual(shown)
    expect(shown).toEqual(expect.arrayContaining(['idle', 'open', 'reconnecting', 'closed']))
    expect(shown.at(-1)).toBe('closed')
  })
})

describe('retry', () => {
  it('holds attempt, delayMs and at while a reconnect wait is pending, and reconnect() skips the wait', async () => {
    const endpoint = lab.endpoint('/live')
    type Seen = { state: ConnectionState; retry: RetryInfo | undefined; result: UseFollowSocketResult<any> }
    const seen = recorder<Seen>()
    render(
      <Probe
        url={lab.ws('/live')}
        options={{ reconnect: LONG_WAIT }}
        read={(r) => ({ state: r.state, retry: r.retry })}
        seen={seen}
      />,
    )
    await seen.until((s) => s.state === 'open')
    expect(seen.commits.every((s) => s.retry === undefined)).toBe(true)

    const before = Date.now()
    only(endpoint.clients).close(1001)
    const waiting = await seen.until((s) => s.retry !== undefined)
    expect(waiting.state).toBe('reconnecting')
    expect(waiting.retry).toMatchObject({ attempt: 1, delayMs: 60_000 })
    expect(waiting.retry!.at).toBeGreaterThanOrEqual(before + 60_000)
    expect(waiting.retry!.at).toBeLessThanOrEqual(Date.now() + 60_000)

    waiting.result.reconnect()
    const reopened = await seen.until((s) => s.state === 'open')
    expect(reopened.retry).toBeUndefined()
    expect(endpoint.connections).toBe(2)
  })
})

describe('error', () => {
  it('holds the latest FollowSocketError, and clears when the connection opens', async () => {
    type Seen = { state: ConnectionState; error: FollowSocketError | undefined; result: UseFollowSocketResult<any> }
    const seen = recorder<Seen>()
    // Nothing listens at /late yet: the handshake fails (404), the preflight finds no redirect.
    render(
      <Probe
        url={lab.ws('/late')}
        options={{ reconnect: LONG_WAIT }}
        read={(r) => ({ state: r.state, error: r.error })}
        seen={seen}
      />,
    )
    const failed = await seen.until((s) => s.error !== undefined)
    expect(failed.error).toBeInstanceOf(FollowSocketError)
    expect(isFollowSocketError(failed.error)).toBe(true)
    expect(failed.error!.code).toBe('HANDSHAKE_FAILED')
    expect(failed.error!.url).toBe(lab.ws('/late'))

    lab.endpoint('/late')
    failed.result.reconnect()
    const open = await seen.until((s) => s.state === 'open')
    expect(open.error).toBeUndefined()
  })

  it('shows a URL that connect() refuses as an INVALID_URL error with state closed, rather than throwing', async () => {
    type Seen = { state: ConnectionState; error: FollowSocketError | undefined; result: UseFollowSocketResult<any> }
    const seen = recorder<Seen>()
    render(<Probe url="ftp://127.0.0.1/live" read={(r) => ({ state: r.state, error: r.error })} seen={seen} />)
    const refused = await seen.until((s) => s.error !== undefined)
    expect(refused.state).toBe('closed')
    expect(refused.error!.code).toBe('INVALID_URL')
    let thrown: unknown
    try {
      refused.result.send('nowhere to go')
    } catch (error) {
      thrown = error
    }
    expect(thrown).toMatchObject({ code: 'CLOSED' })
  })

  it('replaces an earlier error with the latest one', async () => {
    type Seen = { error: FollowSocketError | undefined; result: UseFollowSocketResult<any> }
    const seen = recorder<Seen>()
    render(
      <Probe
        url={lab.ws('/gone')}
        options={{ reconnect: { minDelayMs: 20, maxDelayMs: 20 }, allowedOrigins: [lab.origin] }}
        read={(r) => ({ error: r.error })}
        seen={seen}
      />,
    )
    await seen.until((s) => s.error?.code === 'HANDSHAKE_FAILED')
    // Now /gone moves to an origin the policy refuses (localhost is not 127.0.0.1).
    lab.redirect('/gone', `http://localhost:${lab.port}/elsewhere`)
    const latest = await seen.until((s) => s.error?.code === 'REDIRECT_NOT_ALLOWED')
    expect(latest.result.error).toBe(latest.error)
  })

  it('leaves a refused frame (INVALID_MESSAGE) to onError: error stays about the connection', async () => {
    const endpoint = lab.endpoint('/live', { echo: false })
    type Seen = { error: FollowSocketError | undefined; lastMessage: unknown; result: UseFollowSocketResult<any> }
    const seen = recorder<Seen>()
    const codes: string[] = []
    const options = {
      parse: 'json' as const,
      schema: z.object({ n: z.number() }),
      onError: (e: FollowSocketError) => codes.push(e.code),
    }
    render(
      <Probe
        url={lab.ws('/live')}
        options={options}
        read={(r) => ({ error: r.error, lastMessage: r.lastMessage })}
        seen={seen}
      />,
    )
    const server = await endpoint.nextConnection()
    server.send('not json')
    server.send('{"n":"not a number"}')
    server.send('{"n":1}')
    const last = await seen.until((s) => (s.lastMessage as { n?: number } | undefined)?.n === 1)
    expect(codes).toEqual(['INVALID_MESSAGE', 'INVALID_MESSAGE'])
    expect(last.error).toBeUndefined()
    expect(seen.commits.every((s) => s.error === undefined)).toBe(true)
  })
})

describe('lastMessage', () => {
  it("is the schema's output, typed from the schema", async () => {
    const endpoint = lab.endpoint('/live', { echo: false })
    const Tick = z.object({ type: z.literal('tick'), at: z.string().transform((s) => new Date(s)) })
    let typed: UseFollowSocketResult<z.output<typeof Tick>> | undefined
    const seen = recorder<{ lastMessage: unknown }>()
    function Ticker() {
      const result = useFollowSocket(lab.ws('/live'), {
        ...base,
        parse: 'json',
        schema: Tick,
        onMessage: ({ data }) => expectTypeOf(data).toEqualTypeOf<{ type: 'tick'; at: Date }>(),
      })
      expectTypeOf(result.lastMessage).toEqualTypeOf<{ type: 'tick'; at: Date } | undefined>()
      expectTypeOf(result).toEqualTypeOf<UseFollowSocketResult<{ type: 'tick'; at: Date }>>()
      typed = result
      const { lastMessage } = result
      useLayoutEffect(() => seen.commit({ lastMessage }))
      return null
    }
    render(<Ticker />)
    ;(await endpoint.nextConnection()).send('{"type":"tick","at":"2025-01-02T03:04:05.000Z"}')
    const { lastMessage } = await seen.until((s) => s.lastMessage !== undefined)
    expect(lastMessage).toEqual({ type: 'tick', at: new Date('2025-01-02T03:04:05.000Z') })
    expect(typed!.lastMessage!.at).toBeInstanceOf(Date)

    // Without a schema, lastMessage is unknown unless the caller names a type; onMessage agrees with the schema.
    expectTypeOf(useFollowSocket<unknown>)
      .returns.toHaveProperty('lastMessage')
      .toEqualTypeOf<unknown>()
    expectTypeOf<UseFollowSocketOptions<{ n: number }>['onMessage']>().toEqualTypeOf<
      ((payload: { data: { n: number }; raw: unknown }) => void) | undefined
    >()
  })
})

describe('renders', () => {
  it('does not re-render a component that reads only state for a burst of 1,000 messages', async () => {
    const endpoint = lab.endpoint('/live', { echo: false })
    const BURST = 1000
    let delivered = 0
    let allDelivered!: () => void
    const everyMessage = new Promise<void>((done) => (allDelivered = done))
    const onMessage = () => ++delivered === 2 * BURST && allDelivered()

    const stateOnly = recorder<{ state: ConnectionState; result: UseFollowSocketResult<any> }>()
    const reader = recorder<{ lastMessage: unknown; result: UseFollowSocketResult<any> }>()
    render(
      <>
        <Probe url={lab.ws('/live')} options={{ onMessage }} read={(r) => ({ state: r.state })} seen={stateOnly} />
        <Probe
          url={lab.ws('/live')}
          options={{ onMessage }}
          read={(r) => ({ lastMessage: r.lastMessage })}
          seen={reader}
        />
      </>,
    )
    await stateOnly.until((s) => s.state === 'open')
    while (endpoint.clients.size < 2) await endpoint.nextConnection()
    const before = { stateOnly: stateOnly.renders, reader: reader.renders }

    // One message per turn of the event loop (the lab runs in this process), so each can reach
    // the client on its own: the worst case for renders, as a live feed delivers them.
    for (let i = 0; i < BURST; i++) {
      for (const client of endpoint.clients) client.send(`m${i}`)
      await new Promise(setImmediate)
    }
    await everyMessage
    await reader.until((s) => s.lastMessage === `m${BURST - 1}`)

    const during = { stateOnly: stateOnly.renders - before.stateOnly, reader: reader.renders - before.reader }
    console.info(
      `renders during a burst of ${BURST} messages: reads only state ${during.stateOnly}, reads lastMessage ${during.reader}`,
    )
    expect(during.stateOnly).toBe(0)
    // The control: the same burst does re-render a component that reads lastMessage.
    expect(during.reader).toBeGreaterThan(0)
  })
})
