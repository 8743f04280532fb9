import type { SendData } from './types'

/** A follower's message on the tabs channel: `seq` counts 1, 2, … per tab; `base` is the highest
 * seq of that tab acknowledged as far as the tab knows (see tabs.ts). */
export type Sent = { kind: 'send'; from: string; seq: number; base: number; data: SendData }

/**
 * How a leader takes the messages its followers post (docs/sharing.md#across-tabs): each tab's
 * in seq order, holding one that arrives ahead of a missing one; never a seq twice, nor one it
 * saw acknowledged, by itself or by the leader before it. A tab posts all it still keeps again
 * when a new leader announces itself, so repeats are the rule, not the exception. Pure: no
 * channel, no socket; tabs.ts posts and sends what it answers.
 */
export const createSequencer = () => {
  // The highest seq acknowledged per tab (heard on the channel, or given as leader).
  const acked = new Map<string, number>()
  // Leader side: the highest seq taken per tab, and messages that arrived ahead of a missing one.
  const taken = new Map<string, number>()
  const early = new Map<string, Sent>()

  return {
    /** The highest seq of `from` acknowledged so far (0: none). */
    acked: (from: string): number => acked.get(from) ?? 0,

    /** `from`'s messages up to `seq` went to a socket (by whichever leader). */
    acknowledge(from: string, seq: number): void {
      acked.set(from, Math.max(acked.get(from) ?? 0, seq))
    },

    /**
     * Offers a message to the leader. `ready`: the messages to pass to the socket now, in order
     * (more than one when this one filled a gap); `ackAgain`: the message was acknowledged
     * already, and its tab should hear so (it may have missed the acknowledgement).
     */
    offer(message: Sent): { ready: Sent[]; ackAgain?: number } {
      const ready: Sent[] = []
      for (let next: Sent | undefined = message; next; ) {
        const { from, seq, base } = next
        const done = Math.max(acked.get(from) ?? 0, base)
        const expected = Math.max(taken.get(from) ?? 0, done) + 1
        if (seq <= done) return { ready, ackAgain: done }
        if (seq > expected) {
          early.set(`${from} ${seq}`, next)
          break
        }
        if (seq < expected) break
        taken.set(from, seq)
        ready.push(next)
        // A copy held early is done with too (the tab posted it again, in order).
        early.delete(`${from} ${seq}`)
        next = early.get(`${from} ${seq + 1}`)
      }
      return { ready }
    },
  }
}

export type Sequencer = ReturnType<typeof createSequencer>
