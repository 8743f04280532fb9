import type { ConnectionState } from 'followsocket'
import { duration } from './format'
import type { Mark, Transition } from './recorder'

// The timeline strip: the last WINDOW_MS of a connection as bands, one per state it was in, and
// marks for moments (moves, errors, wake-ups). Pure: positions in percent of the window.

export const WINDOW_MS = 5 * 60_000
// A connection watched for ten seconds fills the strip rather than a pixel of it: the window grows
// in these steps with the time watched, up to WINDOW_MS.
const STEPS = [10_000, 30_000, 60_000, 2 * 60_000, WINDOW_MS]

/** The window the strip shows for a connection watched since `since`. */
export const windowFor = (since: number, now: number): number => STEPS.find((step) => now - since <= step) ?? WINDOW_MS

/** Five states are enough to read a strip: resolving counts as connecting, closing as closed. */
export type Band = {
  kind: 'connecting' | 'open' | 'reconnecting' | 'closed' | 'idle'
  left: number
  width: number
  ms: number
}
export type Placed = Mark & { left: number }

const KIND: Record<ConnectionState, Band['kind']> = {
  idle: 'idle',
  resolving: 'connecting',
  connecting: 'connecting',
  open: 'open',
  reconnecting: 'reconnecting',
  closing: 'closed',
  closed: 'closed',
}

const percent = (ms: number, windowMs: number) => Math.round((ms / windowMs) * 10000) / 100

/** The bands of the window ending `now`; time before the first transition is left empty. */
export function bands(transitions: Transition[], now: number, windowMs = WINDOW_MS): Band[] {
  const from = now - windowMs
  const out: Band[] = []
  transitions.forEach((t, i) => {
    const start = Math.max(t.at, from)
    const end = Math.min(transitions[i + 1]?.at ?? now, now)
    if (end <= start) return
    const kind = KIND[t.state]
    const last = out[out.length - 1]
    // resolving → connecting is one band.
    if (last && last.kind === kind && Math.abs(last.left + last.width - percent(start - from, windowMs)) < 0.01) {
      last.width = percent(end - from, windowMs) - last.left
      last.ms += end - start
      return
    }
    out.push({ kind, left: percent(start - from, windowMs), width: percent(end - start, windowMs), ms: end - start })
  })
  return out
}

export const placeMarks = (marks: Mark[], now: number, windowMs = WINDOW_MS): Placed[] =>
  marks
    .filter((m) => m.at >= now - windowMs && m.at <= now)
    .map((m) => ({ ...m, left: percent(m.at - (now - windowMs), windowMs) }))

/** The strip in words, for screen readers: time per state, then how many of each mark. */
export function describeStrip(list: Band[], marks: Placed[], windowMs = WINDOW_MS): string {
  const time = new Map<string, number>()
  for (const band of list) time.set(band.kind, (time.get(band.kind) ?? 0) + band.ms)
  const states = [...time].map(([kind, ms]) => `${kind} ${duration(ms)}`).join(', ')
  const counts = new Map<string, number>()
  for (const m of marks) counts.set(m.kind, (counts.get(m.kind) ?? 0) + 1)
  const names: Record<Mark['kind'], [string, string]> = {
    move: ['move', 'moves'],
    error: ['error', 'errors'],
    wake: ['wake-up', 'wake-ups'],
    retry: ['manual retry', 'manual retries'],
    close: ['close', 'closes'],
  }
  const moments = [...counts].map(([kind, n]) => `${n} ${names[kind as Mark['kind']][n > 1 ? 1 : 0]}`).join(', ')
  return `Last ${duration(windowMs)}: ${states || 'nothing recorded yet'}${moments ? `; ${moments}` : ''}.`
}
