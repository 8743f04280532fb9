import { afterEach, describe, expect, it } from 'vitest'
import { record } from '../src/recorder'
import { buildReport } from '../src/report'
import { clock, error, fakeConnection } from './fake'

const disposers: (() => void)[] = []
afterEach(() => disposers.splice(0).forEach((dispose) => dispose()))

function scenario() {
  const fake = fakeConnection('wss://u:pw@api.example.com/v1/live?token=s3cret&room=7')
  const time = clock()
  const rec = record(fake.connection, { now: time.now })
  disposers.push(rec.dispose)
  const { emit, connection } = fake
  emit('state', 'connecting')
  time.advance(10)
  emit('redirect', {
    from: 'wss://api.example.com/v1/live?token=s3cret&room=7',
    to: 'wss://live2.example.com/v2/live?token=s3cret&room=7',
    hops: [
      {
        from: 'wss://api.example.com/v1/live?token=s3cret&room=7',
        to: 'wss://live2.example.com/v2/live?token=s3cret&room=7',
        status: 308,
      },
    ],
    via: 'preflight',
  })
  ;(connection as any).resolvedUrl = 'wss://live2.example.com/v2/live?token=s3cret&room=7'
  emit('state', 'open')
  emit('open', { url: connection.resolvedUrl! })
  connection.send('{"hello":"wss://x.example/?key=k"}')
  emit('message', { data: 'hi', raw: 'hi' })
  time.advance(1000)
  const refused = error(
    'HANDSHAKE_FAILED',
    'wss://live2.example.com/v2/live?token=s3cret&room=7 asks to come back in 3 s',
    { status: 503, retryAfterMs: 3000 },
  )
  emit('close', { code: 1012, reason: '', wasClean: true, willReconnect: true })
  emit('state', 'connecting')
  emit('error', refused)
  emit('state', 'reconnecting')
  emit('reconnecting', { attempt: 1, delayMs: 3200, error: refused })
  time.advance(500)
  return { rec, time }
}

describe('the report', () => {
  it('carries what the panel shows, with no secret of any URL in it', () => {
    const { rec, time } = scenario()
    const report = buildReport(
      [
        {
          recording: rec,
          name: 'live',
          entries: [
            { connection: rec.connection, share: true },
            { connection: rec.connection, share: true },
          ],
        },
      ],
      {
        now: time.now(),
        page: 'https://app.example.com/chat?session=abc#x',
        userAgent: 'test',
      },
    )
    const json = JSON.stringify(report)
    expect(json).not.toContain('s3cret')
    expect(json).not.toContain('pw@')
    expect(json).not.toContain('key=k')
    expect(json).not.toContain('session=abc')

    expect(report.page).toBe('https://app.example.com/chat?session=redacted#x')
    const [c] = report.connections
    expect(c).toMatchObject({
      name: 'live',
      state: 'reconnecting',
      url: 'wss://redacted@api.example.com/v1/live?token=redacted&room=7',
      resolvedUrl: 'wss://live2.example.com/v2/live?token=redacted&room=7',
      sharing: { components: 2, shared: true },
      attempt: 1,
      handshakes: 2,
      wait: { attempt: 1, delayMs: 3200, serverAskedMs: 3000 },
      lastClose: { code: 1012, willReconnect: true },
    })
    expect(c!.redirects).toEqual([
      {
        at: expect.any(String),
        via: 'preflight',
        from: 'wss://api.example.com/v1/live?token=redacted&room=7',
        to: 'wss://live2.example.com/v2/live?token=redacted&room=7',
        hops: [
          {
            from: 'wss://api.example.com/v1/live?token=redacted&room=7',
            to: 'wss://live2.example.com/v2/live?token=redacted&room=7',
            status: 308,
          },
        ],
      },
    ])
    expect(c!.errors).toEqual([
      {
        at: expect.any(String),
        code: 'HANDSHAKE_FAILED',
        status: 503,
        retryAfterMs: 3000,
        message: 'wss://live2.example.com/v2/live?token=redacted&room=7 asks to come back in 3 s',
      },
    ])
    expect(c!.states.map((s) => s.state)).toEqual(['idle', 'connecting', 'open', 'connecting', 'reconnecting'])
    expect(c!.states.at(-1)!.forMs).toBe(500)
    expect(c!.messages).toMatchObject({ in: 1, out: 1, outgoingLogged: true, kept: 2, cap: 500 })
    expect(c!.messages.last.map((m) => m.text)).toEqual(['{"hello":"wss://x.example/?key=redacted"}', 'hi'])
  })

  it('says which tab leads a connection shared across tabs, and redacts the lock name (it holds the URL)', () => {
    const { rec, time } = scenario()
    const lock = 'followsocket:["wss://api.example.com/v1/live?token=s3cret",{}]'
    const report = buildReport(
      [{ recording: rec, name: 'live', entries: [{ connection: rec.connection, lock, leads: () => true }], tabs: 3 }],
      { now: time.now() },
    )
    expect(report.connections[0]!.sharing).toEqual({
      components: 0,
      shared: true,
      tabs: { lock: 'followsocket:["wss://api.example.com/v1/live?token=redacted",{}]', thisTabLeads: true, count: 3 },
    })
  })

  it('carries at most the last 50 messages', () => {
    const { rec, time } = scenario()
    for (let n = 0; n < 600; n++) rec.connection.send(String(n))
    const { messages } = buildReport([{ recording: rec, name: 'live', entries: [] }], { now: time.now() })
      .connections[0]!
    expect(messages.last).toHaveLength(50)
    expect(messages.last.at(-1)!.text).toBe('599')
    expect(messages.kept).toBe(500)
    expect(messages.out).toBe(601)
  })
})
