// @vitest-environment jsdom
// One connection per hook (docs/bindings.md#one-connection-per-hook): opened after mount, closed on
// unmount, replaced when the URL or an option that matters changes, kept when only callbacks
// change. Against a real `ws` server in the lab, counting what the server sees.
import { StrictMode, useEffect, useLayoutEffect } from 'react'
import { cleanup, render } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startLab, type Lab } from '@followsocket/lab'
import type { UrlSource } from 'followsocket'
import { useFollowSocket, type UseFollowSocketOptions, type UseFollowSocketResult } from '../src'
import { NodeWebSocket, nodeFetch, only, recorder, serverClosed } from '@followsocket/lab/testing'

let lab: Lab
beforeEach(async () => {
  lab = await startLab()
})
afterEach(async () => {
  cleanup()
  await lab.close()
})

type Seen = { state: string; resolvedUrl?: string; result: UseFollowSocketResult<any> }

/** Renders the hook, committing what it read (state and resolvedUrl) after every render. */
function Live({
  url,
  options,
  seen,
}: {
  url: UrlSource | null
  options?: UseFollowSocketOptions<any>
  seen: ReturnType<typeof recorder<Seen>>
}) {
  seen.renders++
  const result = useFollowSocket(url, { WebSocket: NodeWebSocket, fetch: nodeFetch, cache: false, ...options })
  const { state, resolvedUrl } = result
  useLayoutEffect(() => seen.commit({ state, resolvedUrl, result }))
  return <p>{state}</p>
}

describe('one connection per hook', () => {
  it("leaves exactly one open socket at the server under Strict Mode's mount → unmount → mount, and unmount closes it", async () => {
    const endpoint = lab.endpoint('/live')
    const seen = recorder<Seen>()
    const view = render(
      <StrictMode>
        <Live url={lab.ws('/live')} seen={seen} />
      </StrictMode>,
    )
    await seen.until((s) => s.state === 'open')
    // A server echo round trip: any second socket the double mount opened would have arrived by now.
    seen.commits.at(-1)!.result.send('ping')
    await endpoint.receivedCount(1)
    expect(lab.count('/live', 'upgrade')).toBe(1)
    expect(endpoint.connections).toBe(1)
    const server = only(endpoint.clients)

    view.unmount()
    await serverClosed(server)
    expect(endpoint.clients.size).toBe(0)
    expect(lab.count('/live', 'upgrade')).toBe(1)
  })

  it('closes the old connection and opens one at the new URL when the URL changes', async () => {
    const a = lab.endpoint('/a')
    const b = lab.endpoint('/b')
    const seen = recorder<Seen>()
    const view = render(<Live url={lab.ws('/a')} seen={seen} />)
    await seen.until((s) => s.state === 'open')
    const first = only(a.clients)

    view.rerender(<Live url={lab.ws('/b')} seen={seen} />)
    const reopened = await seen.until((s) => s.state === 'open' && s.resolvedUrl === lab.ws('/b'))
    await serverClosed(first)
    expect(a.clients.size).toBe(0)
    expect([a.connections, b.connections]).toEqual([1, 1])
    expect(reopened.result.resolvedUrl).toBe(lab.ws('/b'))
  })

  it('opens nothing while the URL is null, and connects once it is set', async () => {
    const endpoint = lab.endpoint('/live')
    const seen = recorder<Seen>()
    const view = render(<Live url={null} seen={seen} />)
    expect(seen.commits.map((s) => s.state)).toEqual(['idle'])

    view.rerender(<Live url={lab.ws('/live')} seen={seen} />)
    await seen.until((s) => s.state === 'open')
    expect(endpoint.connections).toBe(1)
  })

  it('keeps the connection when only callback identities change, and calls the latest callbacks', async () => {
    const endpoint = lab.endpoint('/live')
    const seen = recorder<Seen>()
    const early: unknown[] = []
    const late: unknown[] = []
    const view = render(
      <Live
        url={lab.ws('/live')}
        seen={seen}
        options={{ onMessage: ({ data }) => early.push(data), shouldReconnect: () => true }}
      />,
    )
    await seen.until((s) => s.state === 'open')
    const server = only(endpoint.clients)

    let echoed!: () => void
    const echo = new Promise<void>((done) => (echoed = done))
    view.rerender(
      <Live
        url={lab.ws('/live')}
        seen={seen}
        options={{
          onMessage: ({ data }) => {
            late.push(data)
            echoed()
          },
          shouldReconnect: () => false,
        }}
      />,
    )
    seen.commits.at(-1)!.result.send('hello')
    await echo
    expect(late).toEqual(['hello'])
    expect(early).toEqual([])
    expect(endpoint.connections).toBe(1)
    expect(only(endpoint.clients)).toBe(server)

    // ...and the latest shouldReconnect (false) is the one asked when the server closes.
    const closed = await new Promise((done) => {
      view.rerender(
        <Live url={lab.ws('/live')} seen={seen} options={{ onClose: done, shouldReconnect: () => false }} />,
      )
      server.close(1001)
    })
    expect(closed).toMatchObject({ code: 1001, willReconnect: false })
  })

  it('calls the latest URL function before each connect, and does not reconnect for a new function', async () => {
    const a = lab.endpoint('/a')
    const b = lab.endpoint('/b')
    const seen = recorder<Seen>()
    const options = { reconnect: { minDelayMs: 10, maxDelayMs: 10 } }
    const view = render(<Live url={() => lab.ws('/a')} seen={seen} options={options} />)
    await seen.until((s) => s.state === 'open')
    const first = only(a.clients)

    view.rerender(<Live url={() => lab.ws('/b')} seen={seen} options={options} />)
    seen.commits.at(-1)!.result.send('still on a')
    expect(await a.receivedCount(1)).toEqual(['still on a'])
    expect(b.connections).toBe(0)

    // The server drops the connection: the reconnect asks the latest function, which says /b.
    first.close(1001)
    await seen.until((s) => s.state === 'open' && s.resolvedUrl === lab.ws('/b'))
    expect([a.connections, b.connections]).toEqual([1, 1])
  })

  it('replaces the connection when an option that matters (protocols) changes', async () => {
    const endpoint = lab.endpoint('/live', { protocols: ['v1', 'v2'] })
    const seen = recorder<Seen>()
    const view = render(<Live url={lab.ws('/live')} seen={seen} options={{ protocols: 'v1' }} />)
    await seen.until((s) => s.state === 'open')
    const first = only(endpoint.clients)
    expect(first.protocol).toBe('v1')

    const next = endpoint.nextConnection()
    view.rerender(<Live url={lab.ws('/live')} seen={seen} options={{ protocols: 'v2' }} />)
    expect((await next).protocol).toBe('v2')
    await serverClosed(first)
    expect(endpoint.connections).toBe(2)
    expect(endpoint.clients.size).toBe(1)
  })
})

describe('send', () => {
  it('is the same function on every render, across state changes and a new URL, and sends on the current connection', async () => {
    const a = lab.endpoint('/a')
    const b = lab.endpoint('/b')
    const seen = recorder<Seen>()
    const view = render(<Live url={lab.ws('/a')} seen={seen} />)
    await seen.until((s) => s.state === 'open')
    view.rerender(<Live url={lab.ws('/b')} seen={seen} options={{ onOpen: () => {} }} />)
    await seen.until((s) => s.state === 'open' && s.resolvedUrl === lab.ws('/b'))

    const sends = new Set(seen.commits.map((s) => s.result.send))
    expect(seen.commits.length).toBeGreaterThan(3)
    expect(sends.size).toBe(1)
    expect(new Set(seen.commits.map((s) => s.result.reconnect)).size).toBe(1)
    expect(new Set(seen.commits.map((s) => s.result.close)).size).toBe(1)

    const [send] = sends
    send!('to b')
    expect(await b.receivedCount(1)).toEqual(['to b'])
    expect(a.received).toEqual([])
  })

  it("delivers what a child sends from its mount effect, which runs before the hook's own effect connects", async () => {
    const endpoint = lab.endpoint('/live')
    function Child({ send }: { send: (data: string) => void }) {
      useEffect(() => send('hello from the child'), [send])
      return null
    }
    function Parent() {
      const { send } = useFollowSocket(lab.ws('/live'), { WebSocket: NodeWebSocket, cache: false })
      return <Child send={send} />
    }
    render(<Parent />)
    expect(await endpoint.receivedCount(1)).toEqual(['hello from the child'])
  })

  it('delivers it too when the hook has event callbacks (they are not connect() options)', async () => {
    const endpoint = lab.endpoint('/live')
    const messages: unknown[] = []
    function Child({ send }: { send: (data: string) => void }) {
      useEffect(() => send('hello from the child'), [send])
      return null
    }
    function Parent() {
      const { send } = useFollowSocket(lab.ws('/live'), {
        WebSocket: NodeWebSocket,
        cache: false,
        onMessage: ({ data }) => messages.push(data),
      })
      return <Child send={send} />
    }
    render(<Parent />)
    expect(await endpoint.receivedCount(1)).toEqual(['hello from the child'])
    await expect.poll(() => messages).toEqual(['hello from the child'])
  })
})
