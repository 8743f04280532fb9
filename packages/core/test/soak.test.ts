// The soak's short version, in CI: 1,000 drops and 1,000 moves of one connection, run by the
// harness of `npm run soak` (bench/soak.ts): a lab server here, the client in a process of its
// own, so that what it counts is the connection's alone. Asserted is what does not depend on the
// machine: every message queued while no socket was open arrives once
// (docs/connection.md#the-send-buffer); the client's timers and TCP handles are the same after 100
// cycles, 500 and 1,000; after close() it holds none, and its process exits on its own
// (docs/failure-path.md#close). Heap and time are the bench's: too noisy to assert here.
import { describe, it } from 'vitest'
import { nodeSoak } from '../../../bench/soak'

const CYCLES = 1000

const SLOW = { timeout: 60_000 }

// Concurrent: each waits on its own client process most of the time.
describe.concurrent('a soak leaves nothing behind (docs/failure-path.md#close)', () => {
  // Messages: each one queued while down arrives once. Counts: the same timers and TCP handles at
  // 100 cycles, 500 and 1,000, none after close(), and the process exits on its own.
  it('1,000 drops and reconnects: none lost or twice, the counts constant, nothing left', SLOW, async ({ expect }) => {
    const run = await nodeSoak('drops', CYCLES, 100)
    expect([run.tally.opens, run.messages, run.lost, run.duplicated]).toEqual([CYCLES + 1, CYCLES + 1, 0, 0])
    expect(run.tally.errors).toEqual({})
    // At 100 cycles, at the end, after close(): the open connection's socket, then nothing.
    expect(run.counts).toEqual({ timers: [0, 0, 0], 'TCP handles': [1, 1, 0] })
    expect(run.exitMs).toBeLessThan(Infinity)
    // Every bar of the bench but the heap's (halfway counts included).
    expect(run.missed.filter((bar) => !bar.startsWith('heap'))).toEqual([])
  })

  it('1,000 moves (4308) to fresh URLs, each followed at once: the same', SLOW, async ({ expect }) => {
    const run = await nodeSoak('moves', CYCLES, 100)
    expect([run.tally.opens, run.messages, run.lost, run.duplicated]).toEqual([CYCLES + 1, CYCLES + 1, 0, 0])
    expect([run.tally.redirects, run.tally.reconnecting]).toEqual([CYCLES, 0])
    expect(run.tally.errors).toEqual({})
    expect(run.counts).toEqual({ timers: [0, 0, 0], 'TCP handles': [1, 1, 0] })
    expect(run.exitMs).toBeLessThan(Infinity)
    expect(run.missed.filter((bar) => !bar.startsWith('heap'))).toEqual([])
  })
})
