import { describe, expect, it } from 'vitest'
import { describe as describeData, MessageLog, utf8Length, type LogEntry } from '../src/log'

const entry = (n: number, dir: LogEntry['dir'] = 'in'): LogEntry => ({
  at: n,
  dir,
  size: 1,
  binary: false,
  text: `m${n}`,
})

describe('the message log', () => {
  it('never holds more than its cap: the oldest go first', () => {
    const log = new MessageLog(3)
    for (let n = 1; n <= 10; n++) log.add(entry(n))
    expect(log.size).toBe(3)
    expect(log.entries().map((e) => e.text)).toEqual(['m8', 'm9', 'm10'])
    expect(log.counts.in).toBe(10)
  })

  it('holds 500 by default however many pass', () => {
    const log = new MessageLog()
    for (let n = 0; n < 100_000; n++) log.add(entry(n, n % 2 ? 'in' : 'out'))
    expect(log.size).toBe(500)
    expect(log.entries()).toHaveLength(500)
    expect(log.entries().at(-1)!.text).toBe('m99999')
    expect(log.counts).toMatchObject({ in: 50_000, out: 50_000 })
  })

  it('while paused, counts what passes and keeps none of it', () => {
    const log = new MessageLog(10)
    log.add(entry(1))
    log.paused = true
    log.add(entry(2))
    log.add(entry(3, 'out'))
    log.paused = false
    log.add(entry(4))
    expect(log.entries().map((e) => e.text)).toEqual(['m1', 'm4'])
    expect(log.counts).toMatchObject({ in: 3, out: 1, skipped: 2 })
  })

  it('filters by direction and by text, in the preview or the note, any case', () => {
    const log = new MessageLog(10)
    log.add({ ...entry(1), text: '{"type":"tick"}' })
    log.add({ ...entry(2, 'out'), text: '{"type":"chat","text":"Hello"}' })
    log.add({ ...entry(3), text: 'garbage', flag: 'invalid', note: 'Message not delivered: Unexpected token' })
    expect(log.entries({ dir: 'out' }).map((e) => e.at)).toEqual([2])
    expect(log.entries({ text: 'HELLO' }).map((e) => e.at)).toEqual([2])
    expect(log.entries({ text: 'unexpected', dir: 'in' }).map((e) => e.at)).toEqual([3])
    expect(log.entries({ text: '  ', dir: 'all' })).toHaveLength(3)
  })

  it('clear() empties it and keeps the counts', () => {
    const log = new MessageLog(2)
    log.add(entry(1))
    log.clear()
    expect(log.size).toBe(0)
    expect(log.entries()).toEqual([])
    log.add(entry(2))
    expect(log.entries().map((e) => e.text)).toEqual(['m2'])
    expect(log.counts.in).toBe(2)
  })

  it('refuses a cap below 1', () => {
    expect(() => new MessageLog(0)).toThrow(RangeError)
  })
})

describe('what the log keeps of a frame', () => {
  it('sizes text as UTF-8 bytes', () => {
    expect(utf8Length('abc')).toBe(3)
    expect(utf8Length('é')).toBe(2)
    expect(utf8Length('€')).toBe(3)
    expect(utf8Length('😀')).toBe(4)
    expect(utf8Length('a€😀')).toBe(new TextEncoder().encode('a€😀').length)
  })

  it('keeps a preview of long text, never the whole of it', () => {
    const d = describeData('x'.repeat(10_000))
    expect(d).toMatchObject({ size: 10_000, binary: false })
    expect(d.text.length).toBe(201)
  })

  it('describes binary frames by their size', () => {
    expect(describeData(new ArrayBuffer(65_536))).toEqual({ size: 65_536, binary: true, text: 'binary, 65536 bytes' })
    expect(describeData(new Uint8Array(3))).toMatchObject({ size: 3, binary: true })
    expect(describeData(new Blob(['abcd']))).toMatchObject({ size: 4, binary: true })
  })
})
