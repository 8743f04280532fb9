// One connection per hook (docs/bindings.md#one-connection-per-hook), for every binding: opened
// when mounted, closed when unmounted, replaced when the URL or an option that matters changes,
// kept when only callbacks change; send the same function throughout. Against a real `ws` server
// in the lab, counting what the server sees.
import { describe, expect, it } from 'vitest'
import { NodeWebSocket, only, serverClosed } from '@followsocket/lab/testing'
import type { CloseInfo } from '../../src'
import { lab } from '../lab'
import { base, type Binding, type Options } from './binding'

/**
 * Mounting opens one socket, unmounting closes it. A binding's own mode (React's Strict Mode, whose
 * mount → unmount → mount must still leave one) runs it too, with an adapter that mounts so.
 */
export const oneSocketPerMount = (binding: Binding) =>
  it('opens exactly one socket when mounted and closes it when unmounted', async () => {
    const endpoint = lab.endpoint('/live')
    const { seen, unmount } = binding.mount({ url: lab.ws('/live'), options: base })
    await seen.until((s) => s.state === 'open')
    // A server echo round trip: any second socket (a double mount's, say) would have arrived by now.
    seen.commits.at(-1)!.send('ping')
    await endpoint.receivedCount(1)
    expect(lab.count('/live', 'upgrade')).toBe(1)
    expect(endpoint.connections).toBe(1)
    const server = only(endpoint.clients)

    unmount()
    await serverClosed(server)
    expect(endpoint.clients.size).toBe(0)
    expect(lab.count('/live', 'upgrade')).toBe(1)
  })

export const connectionSpecs = (binding: Binding) => {
  describe('one connection per hook', () => {
    oneSocketPerMount(binding)

    it('closes the old connection and opens one at the new URL when the URL changes', async () => {
      const a = lab.endpoint('/a')
      const b = lab.endpoint('/b')
      const { seen, update } = binding.mount({ url: lab.ws('/a'), options: base })
      await seen.until((s) => s.state === 'open')
      const first = only(a.clients)

      await update({ url: lab.ws('/b') })
      const reopened = await seen.until((s) => s.state === 'open' && s.resolvedUrl === lab.ws('/b'))
      await serverClosed(first)
      expect(a.clients.size).toBe(0)
      expect([a.connections, b.connections]).toEqual([1, 1])
      expect(reopened.read('resolvedUrl')).toBe(lab.ws('/b'))
    })

    it('opens nothing while the URL is null, and connects once it is set', async () => {
      const endpoint = lab.endpoint('/live')
      const { seen, update } = binding.mount({ url: null, options: base })
      await binding.settle()
      expect(seen.commits.map((s) => s.state)).toEqual(['idle'])

      await update({ url: lab.ws('/live') })
      await seen.until((s) => s.state === 'open')
      expect(endpoint.connections).toBe(1)
    })

    it('keeps the connection when only callback identities change, and calls the latest callbacks', async () => {
      const endpoint = lab.endpoint('/live')
      const early: unknown[] = []
      const late: unknown[] = []
      const { seen, update } = binding.mount({
        url: lab.ws('/live'),
        options: { ...base, onMessage: ({ data }) => early.push(data), shouldReconnect: () => true },
      })
      await seen.until((s) => s.state === 'open')
      const server = only(endpoint.clients)

      let echoed!: () => void
      const echo = new Promise<void>((done) => {
        echoed = done
      })
      const onMessage = ({ data }: { data: unknown }) => {
        late.push(data)
        echoed()
      }
      await update({ options: { ...base, onMessage, shouldReconnect: () => false } })
      seen.commits.at(-1)!.send('hello')
      await echo
      expect(late).toEqual(['hello'])
      expect(early).toEqual([])
      expect(endpoint.connections).toBe(1)
      expect(only(endpoint.clients)).toBe(server)

      // ...and the latest shouldReconnect (false) is the one asked when the server closes.
      let closed!: (info: CloseInfo) => void
      const close = new Promise<CloseInfo>((done) => {
        closed = done
      })
      await update({ options: { ...base, onClose: (info) => closed(info), shouldReconnect: () => false } })
      server.close(1001)
      expect(await close).toMatchObject({ code: 1001, willReconnect: false })
    })

    it('replaces the connection when an option that matters (protocols) changes', async () => {
      const endpoint = lab.endpoint('/live', { protocols: ['v1', 'v2'] })
      const { seen, update } = binding.mount({ url: lab.ws('/live'), options: { ...base, protocols: 'v1' } })
      await seen.until((s) => s.state === 'open')
      const first = only(endpoint.clients)
      expect(first.protocol).toBe('v1')

      const next = endpoint.nextConnection()
      await update({ options: { ...base, protocols: 'v2' } })
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
      const { seen, update } = binding.mount({ url: lab.ws('/a'), options: base })
      await seen.until((s) => s.state === 'open')
      await update({ url: lab.ws('/b'), options: { ...base, onOpen: () => {} } })
      await seen.until((s) => s.state === 'open' && s.resolvedUrl === lab.ws('/b'))

      const sends = new Set(seen.commits.map((s) => s.send))
      expect(seen.commits.length).toBeGreaterThan(3)
      expect(sends.size).toBe(1)
      expect(new Set(seen.commits.map((s) => s.reconnect)).size).toBe(1)
      expect(new Set(seen.commits.map((s) => s.close)).size).toBe(1)

      // The first render's send, on the connection that came after it.
      seen.commits[0]!.send('to b')
      expect(await b.receivedCount(1)).toEqual(['to b'])
      expect(a.received).toEqual([])
    })

    it("delivers what a child sends from its mount hook, which runs before the hook's own connects", async () => {
      const endpoint = lab.endpoint('/live')
      binding.mountWithSendingChild(lab.ws('/live'), { WebSocket: NodeWebSocket, cache: false }, 'hello from the child')
      expect(await endpoint.receivedCount(1)).toEqual(['hello from the child'])
    })

    it('delivers it too when the hook has event callbacks (they are not connect() options)', async () => {
      const endpoint = lab.endpoint('/live')
      const messages: unknown[] = []
      const options: Options = { WebSocket: NodeWebSocket, cache: false, onMessage: ({ data }) => messages.push(data) }
      binding.mountWithSendingChild(lab.ws('/live'), options, 'hello from the child')
      expect(await endpoint.receivedCount(1)).toEqual(['hello from the child'])
      await expect.poll(() => messages).toEqual(['hello from the child'])
    })
  })
}
