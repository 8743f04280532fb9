// @vitest-environment jsdom
// Shared connections (docs/sharing.md#in-the-page): every hook in the page with `share: true` and
// the same URL and options uses one connection, opened by the first and closed when the last one
// goes. Sockets, discoveries and messages are counted at a real `ws` server in the lab.
import { StrictMode, useLayoutEffect } from 'react'
import { cleanup, render } from '@testing-library/react'
import { renderToString } from 'react-dom/server'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startLab, type Lab } from '@followsocket/lab'
import type { UrlSource } from 'followsocket'
import { useFollowSocket, type UseFollowSocketOptions, type UseFollowSocketResult } from '../src'
import { NodeWebSocket, nodeFetch, quiet, recorder, serverClosed } from '@followsocket/lab/testing'

let lab: Lab
beforeEach(async () => {
  lab = await startLab()
})
afterEach(async () => {
  cleanup()
  await lab.close()
})

type Seen = { state: string; result: UseFollowSocketResult<any> }
const base = { WebSocket: NodeWebSocket, fetch: nodeFetch, cache: false, share: true } as const

/** A sharer: commits what it read after every render; reads `lastMessage` only when asked. */
function Sharer({
  url,
  options,
  seen,
  readsMessages = true,
}: {
  url: UrlSource
  options?: UseFollowSocketOptions<any>
  seen: ReturnType<typeof recorder<Seen & { lastMessage?: unknown }>>
  readsMessages?: boolean
}) {
  seen.renders++
  const result = useFollowSocket(url, { ...base, ...options })
  const { state } = result
  const lastMessage = readsMessages ? result.lastMessage : undefined
  useLayoutEffect(() => seen.commit({ state, lastMessage, result }))
  return null
}

const sharers = (n: number) => Array.from({ length: n }, () => recorder<Seen & { lastMessage?: unknown }>())

describe('share: true', () => {
  it('five sharers: one socket, one discovery; each sees every message and its onMessage runs once per message', async () => {
    lab.redirect('/v1/live', lab.ws('/live'))
    const endpoint = lab.endpoint('/live', { echo: false })
    const seen = sharers(5)
    const received = seen.map(() => [] as unknown[])
    render(
      <>
        {seen.map((s, i) => (
          <Sharer
            key={i}
            url={lab.ws('/v1/live')}
            options={{ discovery: 'preflight', onMessage: ({ data }) => received[i]!.push(data) }}
            seen={s}
          />
        ))}
      </>,
    )
    await Promise.all(seen.map((s) => s.until((v) => v.state === 'open')))
    expect(endpoint.connections).toBe(1)
    expect(lab.count('/v1/live', 'get')).toBe(1)
    expect(lab.count('/live', 'upgrade')).toBe(1)

    for (const client of endpoint.clients) ['a', 'b', 'c'].forEach((m) => client.send(m))
    await Promise.all(seen.map((s) => s.until((v) => v.lastMessage === 'c')))
    expect(received).toEqual(seen.map(() => ['a', 'b', 'c']))
  })

  it('keeps the socket until the last sharer unmounts, then closes it; a remount opens a new one', async () => {
    const endpoint = lab.endpoint('/live')
    const seen = sharers(3)
    const views = seen.map((s) => render(<Sharer url={lab.ws('/live')} seen={s} />))
    await Promise.all(seen.map((s) => s.until((v) => v.state === 'open')))
    const [server] = [...endpoint.clients]
    expect(endpoint.connections).toBe(1)

    views[0]!.unmount()
    views[1]!.unmount()
    // The third still holds it: a round trip shows the socket alive.
    seen[2]!.commits.at(-1)!.result.send('still here')
    await seen[2]!.until((v) => v.lastMessage === 'still here')
    expect(endpoint.clients.size).toBe(1)

    views[2]!.unmount()
    await serverClosed(server!)
    const again = recorder<Seen>()
    render(<Sharer url={lab.ws('/live')} seen={again} />)
    await again.until((v) => v.state === 'open')
    expect(endpoint.connections).toBe(2)
    expect(endpoint.clients.size).toBe(1)
  })

  it('a sharer that changes its URL leaves (the others keep theirs) and joins the other URL’s connection', async () => {
    const a = lab.endpoint('/a')
    const b = lab.endpoint('/b')
    const [stay, move, there] = sharers(3)
    const mover = (url: string) => <Sharer url={url} seen={move!} />
    render(<Sharer url={lab.ws('/a')} seen={stay!} />)
    render(<Sharer url={lab.ws('/b')} seen={there!} />)
    const view = render(mover(lab.ws('/a')))
    await Promise.all([stay, move, there].map((s) => s!.until((v) => v.state === 'open')))
    expect([a.connections, b.connections]).toEqual([1, 1])

    view.rerender(mover(lab.ws('/b')))
    await move!.until((v) => v.state === 'open' && v.result.resolvedUrl === lab.ws('/b'))
    move!.commits.at(-1)!.result.send('moved')
    await there!.until((v) => v.lastMessage === 'moved')
    stay!.commits.at(-1)!.result.send('stayed')
    await stay!.until((v) => v.lastMessage === 'stayed')
    expect([a.connections, b.connections]).toEqual([1, 1])
    expect([a.clients.size, b.clients.size]).toEqual([1, 1])
  })

  it('sends from three sharers while the server is down go out once each, in call order, after reconnect', async () => {
    const endpoint = lab.endpoint('/live', { echo: false })
    const seen = sharers(3)
    render(
      <>
        {seen.map((s, i) => (
          <Sharer key={i} url={lab.ws('/live')} options={{ reconnect: { minDelayMs: 10, maxDelayMs: 50 } }} seen={s} />
        ))}
      </>,
    )
    await Promise.all(seen.map((s) => s.until((v) => v.state === 'open')))
    await lab.down()
    await Promise.all(seen.map((s) => s.until((v) => v.state === 'reconnecting')))
    const order = ['s0-1', 's1-1', 's2-1', 's0-2', 's2-2', 's1-2']
    for (const message of order) seen[Number(message[1])]!.commits.at(-1)!.result.send(message)
    await lab.resume()
    expect(await endpoint.receivedCount(order.length)).toEqual(order)
    await quiet(100)
    expect(endpoint.received).toEqual(order)
    expect(endpoint.connections).toBe(2)
  })

  it('close() from one sharer closes the connection for all', async () => {
    const endpoint = lab.endpoint('/live')
    const seen = sharers(3)
    render(
      <>
        {seen.map((s, i) => (
          <Sharer key={i} url={lab.ws('/live')} seen={s} />
        ))}
      </>,
    )
    await Promise.all(seen.map((s) => s.until((v) => v.state === 'open')))
    const [server] = [...endpoint.clients]
    seen[1]!.commits.at(-1)!.result.close()
    await Promise.all(seen.map((s) => s.until((v) => v.state === 'closed')))
    await serverClosed(server!)
    expect(endpoint.connections).toBe(1)
  })

  it('a sharer with other options (parse: json) or without share gets a connection of its own', async () => {
    const endpoint = lab.endpoint('/live')
    const seen = sharers(4)
    render(
      <>
        <Sharer url={lab.ws('/live')} seen={seen[0]!} />
        <Sharer url={lab.ws('/live')} seen={seen[1]!} />
        <Sharer url={lab.ws('/live')} options={{ parse: 'json' }} seen={seen[2]!} />
        <Sharer url={lab.ws('/live')} options={{ share: false }} seen={seen[3]!} />
      </>,
    )
    await Promise.all(seen.map((s) => s.until((v) => v.state === 'open')))
    while (endpoint.clients.size < 3) await endpoint.nextConnection()
    expect(endpoint.connections).toBe(3)
  })

  it('under Strict Mode, five sharers open one socket; server rendering opens none', async () => {
    const endpoint = lab.endpoint('/live')
    const seen = sharers(5)
    const tree = (
      <StrictMode>
        {seen.map((s, i) => (
          <Sharer key={i} url={lab.ws('/live')} seen={s} />
        ))}
      </StrictMode>
    )
    const html = renderToString(tree)
    expect(html).toBe('')
    await quiet(50)
    expect(lab.count('/live', 'upgrade')).toBe(0)

    render(tree)
    await Promise.all(seen.map((s) => s.until((v) => v.state === 'open')))
    // A round trip: a second socket from the double mount would have reached the server by now.
    seen[0]!.commits.at(-1)!.result.send('ping')
    await seen[4]!.until((v) => v.lastMessage === 'ping')
    expect(endpoint.connections).toBe(1)
    expect(lab.count('/live', 'upgrade')).toBe(1)
  })

  it('a sharer that reads only state is not re-rendered by a burst of 1,000 messages', async () => {
    const endpoint = lab.endpoint('/live', { echo: false })
    const BURST = 1000
    const [stateOnly, reader] = sharers(2)
    render(
      <>
        <Sharer url={lab.ws('/live')} seen={stateOnly!} readsMessages={false} />
        <Sharer url={lab.ws('/live')} seen={reader!} />
      </>,
    )
    await Promise.all([stateOnly, reader].map((s) => s!.until((v) => v.state === 'open')))
    expect(endpoint.connections).toBe(1)
    const before = { stateOnly: stateOnly!.renders, reader: reader!.renders }
    for (let i = 0; i < BURST; i++) {
      for (const client of endpoint.clients) client.send(`m${i}`)
      await new Promise(setImmediate)
    }
    await reader!.until((v) => v.lastMessage === `m${BURST - 1}`)
    const during = { stateOnly: stateOnly!.renders - before.stateOnly, reader: reader!.renders - before.reader }
    console.info(
      `sharers, renders during a burst of ${BURST} messages: reads only state ${during.stateOnly}, reads lastMessage ${during.reader}`,
    )
    expect(during.stateOnly).toBe(0)
    expect(during.reader).toBeGreaterThan(0)
  })
})
