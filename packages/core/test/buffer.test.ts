// The send buffer (docs/connection.md#the-send-buffer: no message lost or duplicated across
// reconnects): send() while not open queues, the queue goes out once, in order, on the next open.
import { describe, expect, it } from 'vitest'
import { connect, isFollowSocketError, type ConnectOptions } from '../src'
import { next, NodeWebSocket } from './helpers'
import { lab, track } from './lab'
import { thrown } from './support'

const live = (path: string, options: ConnectOptions = {}) =>
  track(
    connect(lab.ws(path), {
      WebSocket: NodeWebSocket,
      cache: false,
      reconnect: { minDelayMs: 10, maxDelayMs: 50 },
      ...options,
    }),
  )

describe('send() while not open', () => {
  it('queues messages sent while the server is down and delivers them after the reconnect exactly once, in order', async () => {
    const endpoint = lab.endpoint('/live')
    const c = live('/live')
    await next(c, 'open')

    const lost = next(c, 'close')
    await lab.down()
    expect(await lost).toMatchObject({ willReconnect: true })
    expect(c.state).not.toBe('open')

    const sequence = Array.from({ length: 50 }, (_, i) => `message ${i + 1}`)
    for (const message of sequence) c.send(message)
    expect(c.buffered).toBe(50)
    expect(endpoint.received).toEqual([])

    const reopened = next(c, 'open')
    await lab.resume()
    await reopened
    expect(await endpoint.receivedCount(50)).toEqual(sequence)
    expect(c.buffered).toBe(0)

    // A marker sent on the open socket arrives right after the 50: nothing was sent twice.
    c.send('end')
    expect(await endpoint.receivedCount(51)).toEqual([...sequence, 'end'])
    expect(endpoint.connections).toBe(2)
  })

  it('queues a message sent while the socket is already closing, and delivers it after the reconnect', async () => {
    const endpoint = lab.endpoint('/live')
    const c = live('/live')
    await next(c, 'open')
    // The closing handshake has begun (as when the server's close frame has just arrived) but
    // the close event has not fired yet: a socket in this state silently drops what it is sent.
    const socket = c.socket!
    socket.close(4000, 'closing')
    expect(socket.readyState).toBe(socket.CLOSING)
    c.send('in the gap')

    await next(c, 'open')
    expect(await endpoint.receivedCount(1)).toEqual(['in the gap'])
  }, 3000)

  it('queues messages sent before the first open and flushes them in order ahead of later sends', async () => {
    const endpoint = lab.endpoint('/live')
    const c = live('/live')
    c.send('a')
    c.send(new Uint8Array([1, 2, 3]))
    c.send('b')
    expect(c.buffered).toBe(3)
    await next(c, 'open')
    c.send('c')
    expect(await endpoint.receivedCount(4)).toEqual(['a', '<binary 3>', 'b', 'c'])
    expect(c.buffered).toBe(0)
  })

  it('throws SEND_BUFFER_FULL beyond buffer.maxMessages and queues nothing', async () => {
    const endpoint = lab.endpoint('/live')
    const c = live('/live', { buffer: { maxMessages: 3 } })
    c.send('1')
    c.send('2')
    c.send('3')
    const error = thrown(() => c.send('4'))
    expect(error.code).toBe('SEND_BUFFER_FULL')
    expect(isFollowSocketError(error)).toBe(true)
    expect(c.buffered).toBe(3)

    await next(c, 'open')
    c.send('end')
    expect(await endpoint.receivedCount(4)).toEqual(['1', '2', '3', 'end'])
  })

  it('with buffer: false throws SEND_BUFFER_FULL on the first send while connecting, and sends directly once open', async () => {
    const endpoint = lab.endpoint('/live')
    const c = live('/live', { buffer: false })
    expect(thrown(() => c.send('too early')).code).toBe('SEND_BUFFER_FULL')
    expect(c.buffered).toBe(0)

    await next(c, 'open')
    c.send('on time')
    expect(await endpoint.receivedCount(1)).toEqual(['on time'])
  })
})

describe('send() after close()', () => {
  it('throws CLOSED', async () => {
    lab.endpoint('/live')
    const c = live('/live')
    await next(c, 'open')
    c.close()
    const error = thrown(() => c.send('late'))
    expect(error.code).toBe('CLOSED')
    expect(error.message).toMatch(/\S/)
    expect(c.buffered).toBe(0)
  })

  it('throws CLOSED also when close() came before the socket opened', () => {
    lab.endpoint('/live')
    const c = live('/live')
    c.close()
    expect(c.state).toBe('closed')
    expect(thrown(() => c.send('late')).code).toBe('CLOSED')
  })
})
