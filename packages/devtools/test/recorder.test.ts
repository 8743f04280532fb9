import { afterEach, describe, expect, it } from 'vitest'
import { record } from '../src/recorder'
import { clock, error, fakeConnection } from './fake'

const disposers: (() => void)[] = []
afterEach(() => disposers.splice(0).forEach((dispose) => dispose()))

const start = (logCap?: number) => {
  const fake = fakeConnection()
  const time = clock()
  const rec = record(fake.connection, { logCap, now: time.now })
  disposers.push(rec.dispose)
  return { ...fake, time, rec }
}

describe('recording a connection from its events', () => {
  it('keeps every state with when it began', () => {
    const { emit, time, rec } = start()
    emit('state', 'connecting')
    time.advance(20)
    emit('state', 'open')
    expect(rec.transitions.map((t) => t.state)).toEqual(['idle', 'connecting', 'open'])
    expect(rec.transitions[2]!.at - rec.transitions[1]!.at).toBe(20)
    expect(rec.handshakes).toBe(1)
  })

  it('keeps a reconnect wait with its end, and whether the server asked for it, until the state moves on', () => {
    const { emit, time, rec } = start()
    const refused = error('HANDSHAKE_FAILED', 'the server asks to come back in 3 s', {
      status: 503,
      retryAfterMs: 3000,
    })
    emit('error', refused)
    emit('state', 'reconnecting')
    emit('reconnecting', { attempt: 2, delayMs: 3400, error: refused })
    expect(rec.wait).toMatchObject({
      attempt: 2,
      delayMs: 3400,
      until: time.now() + 3400,
      serverAskedMs: 3000,
      status: 503,
      code: 'HANDSHAKE_FAILED',
    })
    expect(rec.errors).toEqual([expect.objectContaining({ code: 'HANDSHAKE_FAILED', status: 503, retryAfterMs: 3000 })])
    time.advance(3400)
    emit('state', 'connecting')
    expect(rec.wait).toBeUndefined()
    expect(rec.attempt).toBe(2)
    expect(rec.marks.map((m) => m.kind)).toEqual(['error'])
  })

  it('marks a wait cut short, and a page-lifecycle wake-up by name', () => {
    const { emit, time, rec } = start()
    emit('state', 'reconnecting')
    emit('reconnecting', { attempt: 1, delayMs: 10_000 })
    time.advance(2000)
    rec.wake('Page visible again')
    emit('state', 'connecting')
    emit('state', 'reconnecting')
    emit('reconnecting', { attempt: 2, delayMs: 10_000 })
    time.advance(5000)
    emit('state', 'connecting')
    expect(rec.marks.map((m) => m.label)).toEqual(['Page visible again', 'Wait cut short after 5 s'])
  })

  it('logs messages in with their size, and flags one the schema refused, with why', () => {
    const { emit, rec } = start()
    emit('message', { data: { n: 1 }, raw: '{"n":1}' })
    emit(
      'error',
      error('INVALID_MESSAGE', 'Message not delivered: Unexpected token g', {
        cause: { cause: new SyntaxError('x'), raw: 'garbage' },
      }),
    )
    expect(rec.log.entries()).toEqual([
      expect.objectContaining({ dir: 'in', text: '{"n":1}', size: 7 }),
      expect.objectContaining({
        dir: 'in',
        text: 'garbage',
        flag: 'invalid',
        note: 'Message not delivered: Unexpected token g',
      }),
    ])
    // About one frame, not the connection: not among its errors.
    expect(rec.errors).toEqual([])
  })

  it('logs what the app sends through send(), queued while not open, refused when send throws', () => {
    const { connection, emit, sent, rec } = start()
    connection.send('early')
    emit('state', 'open')
    connection.send(new Uint8Array(4))
    emit('state', 'closed')
    expect(() => connection.send('late')).toThrow(/closed/)
    expect(sent).toEqual(['early', new Uint8Array(4)])
    expect(rec.log.entries().map(({ dir, text, flag, note }) => ({ dir, text, flag, note }))).toEqual([
      { dir: 'out', text: 'early', flag: 'queued', note: undefined },
      { dir: 'out', text: 'binary, 4 bytes', flag: undefined, note: undefined },
      { dir: 'out', text: 'late', flag: 'refused', note: 'CLOSED' },
    ])
  })

  it('keeps a redirect with its hops and marks the move', () => {
    const { emit, rec } = start()
    emit('redirect', {
      from: 'wss://a.example/v1',
      to: 'wss://b.example/v2',
      hops: [{ from: 'wss://a.example/v1', to: 'wss://b.example/v2' }],
      via: 'preflight',
    })
    expect(rec.redirects).toEqual([expect.objectContaining({ via: 'preflight', to: 'wss://b.example/v2' })])
    expect(rec.marks).toEqual([
      expect.objectContaining({ kind: 'move', label: 'Moved to wss://b.example/v2 (via preflight)' }),
    ])
  })

  it('on dispose, stops listening and puts send back', () => {
    const fake = fakeConnection()
    const send = fake.connection.send
    const rec = record(fake.connection)
    expect(fake.connection.send).not.toBe(send)
    expect(fake.listeners()).toBeGreaterThan(0)
    rec.dispose()
    expect(fake.connection.send).toBe(send)
    expect(fake.listeners()).toBe(0)
  })

  it('keeps at most its cap of messages however many pass', () => {
    const { emit, rec } = start(50)
    for (let n = 0; n < 5000; n++) emit('message', { data: n, raw: String(n) })
    expect(rec.log.size).toBe(50)
    expect(rec.log.counts.in).toBe(5000)
  })
})
