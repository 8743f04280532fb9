// What the hook shows (docs/bindings.md#what-a-component-re-renders-for), for every binding:
// state, retry (a pending reconnect wait, for a countdown and a "Retry now" button), error,
// lastMessage; and a component re-renders only for the fields it reads. Against a real `ws`
// server in the lab. That lastMessage is typed from the schema is each binding's own type test.
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { only } from '@followsocket/lab/testing'
import { type ConnectionState, FollowSocketError, isFollowSocketError } from '../../src'
import { lab } from '../lab'
import { type Binding, base, burst, type Recorder } from './binding'

// Long enough that a test (15 s) would time out waiting for it: reconnect() must skip it.
const LONG_WAIT = { minDelayMs: 60_000, maxDelayMs: 60_000, jitter: 'none' } as const

/** A message with a field the schema transforms: a Date arrives only through the schema. */
export const Tick = z.object({ type: z.literal('tick'), at: z.string().transform((s) => new Date(s)) })

export const snapshotSpecs = (binding: Binding) => {
  describe('state', () => {
    it('follows the connection through open, reconnecting, open again and closed', async () => {
      const endpoint = lab.endpoint('/live')
      const transitions: ConnectionState[] = ['idle']
      const { seen } = binding.mount({
        url: lab.ws('/live'),
        options: { ...base, reconnect: LONG_WAIT, onState: (s) => transitions.push(s) },
        reads: ['state'],
      })
      await seen.until((s) => s.state === 'open')

      only(endpoint.clients).close(1001)
      const waiting = await seen.until((s) => s.state === 'reconnecting')
      waiting.reconnect()
      await seen.until((s) => s.state === 'open' && endpoint.connections === 2)
      waiting.close()
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
      const { seen } = binding.mount({
        url: lab.ws('/live'),
        options: { ...base, reconnect: LONG_WAIT },
        reads: ['state', 'retry'],
      })
      await seen.until((s) => s.state === 'open')
      expect(seen.commits.every((s) => s.retry === undefined)).toBe(true)

      const before = Date.now()
      only(endpoint.clients).close(1001)
      const waiting = await seen.until((s) => s.retry !== undefined)
      expect(waiting.state).toBe('reconnecting')
      expect(waiting.retry).toMatchObject({ attempt: 1, delayMs: 60_000 })
      expect(waiting.retry!.at).toBeGreaterThanOrEqual(before + 60_000)
      expect(waiting.retry!.at).toBeLessThanOrEqual(Date.now() + 60_000)

      waiting.reconnect()
      const reopened = await seen.until((s) => s.state === 'open')
      expect(reopened.retry).toBeUndefined()
      expect(endpoint.connections).toBe(2)
    })
  })

  describe('error', () => {
    it('holds the latest FollowSocketError, and clears when the connection opens', async () => {
      // Nothing listens at /late yet: the handshake fails (404), the preflight finds no redirect.
      const { seen } = binding.mount({
        url: lab.ws('/late'),
        options: { ...base, reconnect: LONG_WAIT },
        reads: ['state', 'error'],
      })
      const failed = await seen.until((s) => s.error !== undefined)
      expect(failed.error).toBeInstanceOf(FollowSocketError)
      expect(isFollowSocketError(failed.error)).toBe(true)
      expect(failed.error!.code).toBe('HANDSHAKE_FAILED')
      expect(failed.error!.url).toBe(lab.ws('/late'))

      lab.endpoint('/late')
      failed.reconnect()
      const open = await seen.until((s) => s.state === 'open')
      expect(open.error).toBeUndefined()
    })

    it('shows a URL that connect() refuses as an INVALID_URL error with state closed, rather than throwing', async () => {
      const { seen } = binding.mount({ url: 'ftp://127.0.0.1/live', options: base, reads: ['state', 'error'] })
      const refused = await seen.until((s) => s.error !== undefined)
      expect(refused.state).toBe('closed')
      expect(refused.error!.code).toBe('INVALID_URL')
      let thrown: unknown
      try {
        refused.send('nowhere to go')
      } catch (error) {
        thrown = error
      }
      expect(thrown).toMatchObject({ code: 'CLOSED' })
    })

    it('replaces an earlier error with the latest one', async () => {
      const { seen } = binding.mount({
        url: lab.ws('/gone'),
        options: { ...base, reconnect: { minDelayMs: 20, maxDelayMs: 20 }, allowedOrigins: [lab.origin] },
        reads: ['error'],
      })
      await seen.until((s) => s.error?.code === 'HANDSHAKE_FAILED')
      // Now /gone moves to an origin the policy refuses (localhost is not 127.0.0.1).
      lab.redirect('/gone', `http://localhost:${lab.port}/elsewhere`)
      const latest = await seen.until((s) => s.error?.code === 'REDIRECT_NOT_ALLOWED')
      expect(latest.read('error')).toBe(latest.error)
    })

    it('leaves a refused frame (INVALID_MESSAGE) to onError: error stays about the connection', async () => {
      const endpoint = lab.endpoint('/live', { echo: false })
      const codes: string[] = []
      const { seen } = binding.mount({
        url: lab.ws('/live'),
        options: {
          ...base,
          parse: 'json',
          schema: z.object({ n: z.number() }),
          onError: (e: FollowSocketError) => codes.push(e.code),
        },
        reads: ['error', 'lastMessage'],
      })
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
    it("is the schema's output", async () => {
      const endpoint = lab.endpoint('/live', { echo: false })
      const { seen } = binding.mount({
        url: lab.ws('/live'),
        options: { ...base, parse: 'json', schema: Tick },
        reads: ['lastMessage'],
      })
      ;(await endpoint.nextConnection()).send('{"type":"tick","at":"2025-01-02T03:04:05.000Z"}')
      const shown = await seen.until((s) => s.lastMessage !== undefined)
      expect(shown.lastMessage).toEqual({ type: 'tick', at: new Date('2025-01-02T03:04:05.000Z') })
      expect((shown.read('lastMessage') as z.output<typeof Tick>).at).toBeInstanceOf(Date)
    })
  })

  describe('renders', () => {
    it('does not re-render a component that reads only state for a burst of 1,000 messages', async () => {
      const endpoint = lab.endpoint('/live', { echo: false })
      const BURST = 1000
      let delivered = 0
      let allDelivered!: () => void
      const everyMessage = new Promise<void>((done) => {
        allDelivered = done
      })
      const onMessage = () => {
        delivered++
        if (delivered === 2 * BURST) allDelivered()
      }

      const [stateOnly, reader] = binding.mountAll([
        { url: lab.ws('/live'), options: { ...base, onMessage }, reads: ['state'] },
        { url: lab.ws('/live'), options: { ...base, onMessage }, reads: ['lastMessage'] },
      ]) as [Recorder, Recorder]
      await stateOnly.until((s) => s.state === 'open')
      while (endpoint.clients.size < 2) await endpoint.nextConnection()
      const before = { stateOnly: stateOnly.renders, reader: reader.renders }

      await burst(endpoint, BURST)
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
}
