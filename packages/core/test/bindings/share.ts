// Shared connections (docs/sharing.md#in-the-page), for every binding: every hook in the page with
// `share: true` and the same URL and options uses one connection, opened by the first and closed
// when the last one goes. Sockets, discoveries and messages are counted at a real `ws` server in
// the lab.
import { describe, expect, it } from 'vitest'
import type { SnapshotField } from '../../src/store'
import { quiet, serverClosed } from '@followsocket/lab/testing'
import { lab } from '../lab'
import { type Binding, base, burst, type Options, type Probe, type Recorder } from './binding'

const shared = { ...base, share: true } as const
/** A sharer reads state, where it is, and what arrived. */
const READS: readonly SnapshotField[] = ['state', 'resolvedUrl', 'lastMessage']
const sharer = (url: string, options?: Options): Probe => ({ url, options: { ...shared, ...options }, reads: READS })

const allOpen = (seen: Recorder[]) => Promise.all(seen.map((s) => s.until((v) => v.state === 'open')))

export const shareSpecs = (binding: Binding) => {
  describe('share: true', () => {
    it('five sharers: one socket, one discovery; each sees every message and its onMessage runs once per message', async () => {
      lab.redirect('/v1/live', lab.ws('/live'))
      const endpoint = lab.endpoint('/live', { echo: false })
      const received = Array.from({ length: 5 }, () => [] as unknown[])
      const seen = binding.mountAll(
        received.map((messages) =>
          sharer(lab.ws('/v1/live'), { discovery: 'preflight', onMessage: ({ data }) => messages.push(data) }),
        ),
      )
      await allOpen(seen)
      expect(endpoint.connections).toBe(1)
      expect(lab.count('/v1/live', 'get')).toBe(1)
      expect(lab.count('/live', 'upgrade')).toBe(1)

      for (const client of endpoint.clients) for (const m of ['a', 'b', 'c']) client.send(m)
      await Promise.all(seen.map((s) => s.until((v) => v.lastMessage === 'c')))
      expect(received).toEqual(seen.map(() => ['a', 'b', 'c']))
    })

    it('keeps the socket until the last sharer unmounts, then closes it; a remount opens a new one', async () => {
      const endpoint = lab.endpoint('/live')
      const views = [1, 2, 3].map(() => binding.mount(sharer(lab.ws('/live'))))
      await allOpen(views.map((v) => v.seen))
      const [server] = [...endpoint.clients]
      expect(endpoint.connections).toBe(1)

      views[0]!.unmount()
      views[1]!.unmount()
      // The third still holds it: a round trip shows the socket alive.
      const third = views[2]!.seen
      third.commits.at(-1)!.send('still here')
      await third.until((v) => v.lastMessage === 'still here')
      expect(endpoint.clients.size).toBe(1)

      views[2]!.unmount()
      await serverClosed(server!)
      const again = binding.mount(sharer(lab.ws('/live'))).seen
      await again.until((v) => v.state === 'open')
      expect(endpoint.connections).toBe(2)
      expect(endpoint.clients.size).toBe(1)
    })

    it('a sharer that changes its URL leaves (the others keep theirs) and joins the other URL’s connection, which a close() there then closes for it too', async () => {
      const a = lab.endpoint('/a')
      const b = lab.endpoint('/b')
      const stay = binding.mount(sharer(lab.ws('/a'))).seen
      const there = binding.mount(sharer(lab.ws('/b'))).seen
      const mover = binding.mount(sharer(lab.ws('/a')))
      const move = mover.seen
      await allOpen([stay, move, there])
      expect([a.connections, b.connections]).toEqual([1, 1])

      await mover.update({ url: lab.ws('/b') })
      await move.until((v) => v.state === 'open' && v.resolvedUrl === lab.ws('/b'))
      move.commits.at(-1)!.send('moved')
      await there.until((v) => v.lastMessage === 'moved')
      stay.commits.at(-1)!.send('stayed')
      await stay.until((v) => v.lastMessage === 'stayed')
      expect([a.connections, b.connections]).toEqual([1, 1])
      expect([a.clients.size, b.clients.size]).toEqual([1, 1])

      there.commits.at(-1)!.close()
      await Promise.all([there, move].map((s) => s.until((v) => v.state === 'closed')))
      expect(stay.commits.at(-1)!.state).toBe('open')
    })

    it('sends from three sharers while the server is down go out once each, in call order, after reconnect', async () => {
      const endpoint = lab.endpoint('/live', { echo: false })
      const reconnect = { minDelayMs: 10, maxDelayMs: 50 }
      const seen = binding.mountAll([1, 2, 3].map(() => sharer(lab.ws('/live'), { reconnect })))
      await allOpen(seen)
      await lab.down()
      await Promise.all(seen.map((s) => s.until((v) => v.state === 'reconnecting')))
      const order = ['s0-1', 's1-1', 's2-1', 's0-2', 's2-2', 's1-2']
      for (const message of order) seen[Number(message[1])]!.commits.at(-1)!.send(message)
      await lab.resume()
      expect(await endpoint.receivedCount(order.length)).toEqual(order)
      await quiet(100)
      expect(endpoint.received).toEqual(order)
      expect(endpoint.connections).toBe(2)
    })

    it('close() from one sharer closes the connection for all', async () => {
      const endpoint = lab.endpoint('/live')
      const seen = binding.mountAll([1, 2, 3].map(() => sharer(lab.ws('/live'))))
      await allOpen(seen)
      const [server] = [...endpoint.clients]
      seen[1]!.commits.at(-1)!.close()
      await Promise.all(seen.map((s) => s.until((v) => v.state === 'closed')))
      await serverClosed(server!)
      expect(endpoint.connections).toBe(1)
    })

    it('a sharer with other options (parse: json) or without share gets a connection of its own', async () => {
      const endpoint = lab.endpoint('/live')
      const seen = binding.mountAll([
        sharer(lab.ws('/live')),
        sharer(lab.ws('/live')),
        sharer(lab.ws('/live'), { parse: 'json' }),
        sharer(lab.ws('/live'), { share: false }),
      ])
      await allOpen(seen)
      while (endpoint.clients.size < 3) await endpoint.nextConnection()
      expect(endpoint.connections).toBe(3)
    })

    it('a sharer that reads only state is not re-rendered by a burst of 1,000 messages', async () => {
      const endpoint = lab.endpoint('/live', { echo: false })
      const BURST = 1000
      const [stateOnly, reader] = binding.mountAll([
        { ...sharer(lab.ws('/live')), reads: ['state'] },
        sharer(lab.ws('/live')),
      ]) as [Recorder, Recorder]
      await allOpen([stateOnly, reader])
      expect(endpoint.connections).toBe(1)
      const before = { stateOnly: stateOnly.renders, reader: reader.renders }
      await burst(endpoint, BURST)
      await reader.until((v) => v.lastMessage === `m${BURST - 1}`)
      const during = { stateOnly: stateOnly.renders - before.stateOnly, reader: reader.renders - before.reader }
      console.info(
        `sharers, renders during a burst of ${BURST} messages: reads only state ${during.stateOnly}, reads lastMessage ${during.reader}`,
      )
      expect(during.stateOnly).toBe(0)
      expect(during.reader).toBeGreaterThan(0)
    })
  })
}
