// Incoming messages (docs/connection.md#messages; options parse, schema, binaryType; the message
// event): JSON parsing and Standard Schema validation (zod 4 here) turn frames into typed `data`; a
// frame that fails either is an `error` INVALID_MESSAGE and is not delivered. The server sends the
// frames.
import { describe, expect, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import { connect, type Connection } from '../src'
import { next, NodeWebSocket, record } from './helpers'
import { lab, track } from './lab'

const Tick = z.object({ type: z.literal('tick'), n: z.number().int() })

/** Resolves once `count` message and error events in total have been recorded. */
const until = async (events: ReturnType<typeof record>, count: number) => {
  await expect
    .poll(() => events.all.filter(([t]) => t === 'message' || t === 'error').length, { timeout: 2000 })
    .toBeGreaterThanOrEqual(count)
}

describe("parse: 'json' with a schema", () => {
  it('delivers frames that parse and validate as typed data, each with its raw text', async () => {
    const endpoint = lab.endpoint('/live', { echo: false })
    const server = endpoint.nextConnection()
    const c = track(connect(lab.ws('/live'), { WebSocket: NodeWebSocket, cache: false, parse: 'json', schema: Tick }))
    const first = next(c, 'message')
    ;(await server).send('{"type":"tick","n":1}')

    const message = await first
    expectTypeOf(message.data).toEqualTypeOf<{ type: 'tick'; n: number }>()
    expectTypeOf(c).toEqualTypeOf<Connection<z.output<typeof Tick>>>()
    expect(message).toEqual({ data: { type: 'tick', n: 1 }, raw: '{"type":"tick","n":1}' })
  })

  it('delivers the schema output, not the parsed input', async () => {
    const endpoint = lab.endpoint('/live', { echo: false })
    const server = endpoint.nextConnection()
    const At = z.object({ at: z.string().transform((s) => new Date(s)) })
    const c = track(connect(lab.ws('/live'), { WebSocket: NodeWebSocket, cache: false, parse: 'json', schema: At }))
    const first = next(c, 'message')
    ;(await server).send('{"at":"2025-01-02T03:04:05.000Z"}')

    const { data } = await first
    expectTypeOf(data).toEqualTypeOf<{ at: Date }>()
    expect(data.at).toBeInstanceOf(Date)
    expect(data.at.toISOString()).toBe('2025-01-02T03:04:05.000Z')
  })

  it('turns a frame that is not JSON, and one that fails the schema, into INVALID_MESSAGE errors and delivers neither; order is kept', async () => {
    const endpoint = lab.endpoint('/live', { echo: false })
    const server = endpoint.nextConnection()
    const c = track(connect(lab.ws('/live'), { WebSocket: NodeWebSocket, cache: false, parse: 'json', schema: Tick }))
    const events = record(c)
    const socket = await server
    await next(c, 'open')
    for (const frame of [
      '{"type":"tick","n":1}',
      'not json {',
      '{"type":"tick","n":"two"}',
      '{"type":"tick","n":3}',
      '{"type":"tick","n":4}',
    ])
      socket.send(frame)
    await until(events, 5)

    const delivered = events.all.filter(([t]) => t === 'message' || t === 'error')
    expect(
      delivered.map(([type, payload]) =>
        type === 'message' ? (payload as { data: { n: number } }).data.n : (payload as { code: string }).code,
      ),
    ).toEqual([1, 'INVALID_MESSAGE', 'INVALID_MESSAGE', 3, 4])
    const [notJson, failsSchema] = events.of('error')
    expect(notJson!.message).toMatch(/\S/)
    expect(failsSchema!.message).toContain('expected number') // the schema's own issue
    // A bad frame is not a broken connection.
    expect(c.state).toBe('open')
    expect(events.of('close')).toEqual([])
  })
  it('keeps arrival order when the schema validates asynchronously and a later frame validates faster', async () => {
    const endpoint = lab.endpoint('/live', { echo: false })
    const server = endpoint.nextConnection()
    // zod runs an async refine through its async path, so every validation returns a Promise.
    const Slow = z.object({ n: z.number(), delayMs: z.number() }).refine(async ({ delayMs }) => {
      await new Promise((done) => setTimeout(done, delayMs))
      return true
    })
    const c = track(connect(lab.ws('/live'), { WebSocket: NodeWebSocket, cache: false, parse: 'json', schema: Slow }))
    const events = record(c)
    const socket = await server
    await next(c, 'open')
    socket.send('{"n":1,"delayMs":60}')
    socket.send('{"n":2,"delayMs":0}')
    socket.send('{"n":3,"delayMs":20}')
    await until(events, 3)
    expect(events.of('message').map((m) => m.data.n)).toEqual([1, 2, 3])
  })
})

describe("parse: 'json' without a schema", () => {
  it('delivers parsed values, and INVALID_MESSAGE for text that is not JSON', async () => {
    const endpoint = lab.endpoint('/live', { echo: false })
    const server = endpoint.nextConnection()
    const c = track(connect(lab.ws('/live'), { WebSocket: NodeWebSocket, cache: false, parse: 'json' }))
    const events = record(c)
    const socket = await server
    await next(c, 'open')
    for (const frame of ['[1,2]', '{oops', '"text"', '42']) socket.send(frame)
    await until(events, 4)
    expect(events.of('message').map((m) => m.data)).toEqual([[1, 2], 'text', 42])
    expect(events.of('error').map((e) => e.code)).toEqual(['INVALID_MESSAGE'])
  })
})

describe('without parse', () => {
  it('delivers text frames as strings, unparsed', async () => {
    const endpoint = lab.endpoint('/live', { echo: false })
    const server = endpoint.nextConnection()
    const c = track(connect(lab.ws('/live'), { WebSocket: NodeWebSocket, cache: false }))
    const first = next(c, 'message')
    ;(await server).send('{"n":1}')
    expect(await first).toEqual({ data: '{"n":1}', raw: '{"n":1}' })
  })

  it('delivers binary frames as ArrayBuffer by default', async () => {
    const endpoint = lab.endpoint('/live', { echo: false })
    const server = endpoint.nextConnection()
    const c = track(connect(lab.ws('/live'), { WebSocket: NodeWebSocket, cache: false }))
    const first = next(c, 'message')
    ;(await server).send(Buffer.from([0, 1, 2, 254, 255]), { binary: true })

    const { data } = await first
    expect(data).toBeInstanceOf(ArrayBuffer)
    expect([...new Uint8Array(data as ArrayBuffer)]).toEqual([0, 1, 2, 254, 255])
    expect(c.socket?.binaryType).toBe('arraybuffer')
  })
})
