// How a leader takes its followers' messages (src/sequencer.ts, docs/sharing.md#across-tabs):
// each tab's in order, none twice, none that any leader acknowledged. Pure, so every case of a
// hand-over can be played out here without tabs.
import { describe, expect, it } from 'vitest'
import { createSequencer, type Sent } from '../src/sequencer'

const sent = (from: string, seq: number, base = 0): Sent => ({ kind: 'send', from, seq, base, data: `${from}${seq}` })
const seqs = (messages: Sent[]) => messages.map((m) => `${m.from}${m.seq}`)

describe('the sequencer a leader takes follower messages through', () => {
  it('takes each tab’s messages in seq order, tabs independently', () => {
    const s = createSequencer()
    expect(seqs(s.offer(sent('a', 1)).ready)).toEqual(['a1'])
    expect(seqs(s.offer(sent('b', 1)).ready)).toEqual(['b1'])
    expect(seqs(s.offer(sent('a', 2)).ready)).toEqual(['a2'])
  })

  it('holds a message that arrives ahead of a missing one, and lets both go once the gap is filled', () => {
    const s = createSequencer()
    expect(seqs(s.offer(sent('a', 1)).ready)).toEqual(['a1'])
    expect(s.offer(sent('a', 3)).ready).toEqual([])
    expect(s.offer(sent('a', 4)).ready).toEqual([])
    expect(seqs(s.offer(sent('a', 2)).ready)).toEqual(['a2', 'a3', 'a4'])
  })

  it('takes a repeat once: a tab posts all it keeps again whenever a leader announces itself', () => {
    const s = createSequencer()
    expect(seqs(s.offer(sent('a', 1)).ready)).toEqual(['a1'])
    expect(s.offer(sent('a', 1))).toEqual({ ready: [] })
    // Held early, then posted again in order: the held copy is done with too.
    expect(s.offer(sent('a', 3)).ready).toEqual([])
    expect(seqs(s.offer(sent('a', 2)).ready)).toEqual(['a2', 'a3'])
    expect(s.offer(sent('a', 3))).toEqual({ ready: [] })
  })

  it('a new leader takes nothing the leader before it acknowledged, and tells the tab so again', () => {
    const s = createSequencer()
    // The old leader acknowledged a1 and a2 on the channel; the new one heard it.
    s.acknowledge('a', 2)
    expect(s.acked('a')).toBe(2)
    expect(s.offer(sent('a', 1))).toEqual({ ready: [], ackAgain: 2 })
    expect(s.offer(sent('a', 2))).toEqual({ ready: [], ackAgain: 2 })
    expect(seqs(s.offer(sent('a', 3)).ready)).toEqual(['a3'])
  })

  it('a leader that died unheard: the tab’s own base says what was acknowledged, so nothing goes twice', () => {
    // This leader never heard the old one's acknowledgements (they were lost with its tab), but
    // the tab had: it posts base 5 with what it still keeps.
    const s = createSequencer()
    expect(s.offer(sent('a', 5, 5))).toEqual({ ready: [], ackAgain: 5 })
    expect(seqs(s.offer(sent('a', 6, 5)).ready)).toEqual(['a6'])
    // Acknowledgements are cumulative: once 8 is, 7 is too, wherever it was.
    s.acknowledge('a', 8)
    expect(s.offer(sent('a', 7, 5))).toEqual({ ready: [], ackAgain: 8 })
    expect(seqs(s.offer(sent('a', 9, 5)).ready)).toEqual(['a9'])
  })

  it('acknowledgements only move forward', () => {
    const s = createSequencer()
    s.acknowledge('a', 4)
    s.acknowledge('a', 2)
    expect(s.acked('a')).toBe(4)
    expect(s.acked('b')).toBe(0)
  })
})
