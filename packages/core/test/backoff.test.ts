// backoffDelay(attempt, options, random): the arithmetic behind `reconnecting.delayMs`
// (docs/failure-path.md#back-off). Pure function, so `random` is pinned instead of faking anything.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { backoffDelay, type ReconnectOptions } from '../src'

const plain: ReconnectOptions = {
  minDelayMs: 500,
  maxDelayMs: 30_000,
  factor: 2,
  jitter: 'none',
  maxRetries: Infinity,
  minUptimeMs: 5000,
}
const full: ReconnectOptions = { ...plain, jitter: 'full' }

afterEach(() => {
  vi.restoreAllMocks()
})

describe('backoffDelay', () => {
  it('starts at minDelayMs and grows by factor on each attempt', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, plain))).toEqual([500, 1000, 2000, 4000, 8000])
    const triple = { ...plain, minDelayMs: 100, factor: 3 }
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, triple))).toEqual([100, 300, 900, 2700])
  })

  it('is capped at maxDelayMs, however many attempts', () => {
    expect(backoffDelay(6, plain)).toBe(16_000)
    expect(backoffDelay(7, plain)).toBe(30_000)
    expect(backoffDelay(8, plain)).toBe(30_000)
    expect(backoffDelay(50, plain)).toBe(30_000)
    expect(backoffDelay(5000, plain)).toBe(30_000) // factor ** 4999 overflows to Infinity
    expect(backoffDelay(3, { ...plain, maxDelayMs: 1200 })).toBe(1200)
  })

  it('never waits less than minDelayMs when minDelayMs is above the maxDelayMs cap', () => {
    // reconnect: { minDelayMs: 60_000 } keeps the default maxDelayMs of 30 000.
    const slow = { ...plain, minDelayMs: 60_000 }
    expect([1, 2, 5].map((n) => backoffDelay(n, slow))).toEqual([60_000, 60_000, 60_000])
  })

  it("with jitter 'none' is the plain delay, whatever random says", () => {
    for (const random of [0, 0.25, 0.5, 0.999]) expect(backoffDelay(3, plain, random)).toBe(2000)
  })

  it("with jitter 'full' is uniform in [0, delay]: random 0 gives 0, random 0.999 just under the delay", () => {
    expect(backoffDelay(1, full, 0)).toBe(0)
    expect(backoffDelay(3, full, 0)).toBe(0)
    expect(backoffDelay(3, full, 0.5)).toBe(1000)
    expect(backoffDelay(3, full, 0.999)).toBe(1998)
    expect(backoffDelay(3, full, 0.999)).toBeLessThan(2000)
    // The jitter applies to the capped delay, not the uncapped one.
    expect(backoffDelay(50, full, 0.5)).toBe(15_000)
    expect(backoffDelay(50, full, 0.999)).toBeLessThanOrEqual(30_000)
  })

  it("with jitter 'full' stays within [0, delay] for any random in [0, 1)", () => {
    for (let attempt = 1; attempt <= 10; attempt++) {
      const cap = backoffDelay(attempt, plain)
      for (let i = 0; i < 100; i++) {
        const delay = backoffDelay(attempt, full, i / 100)
        expect(delay).toBeGreaterThanOrEqual(0)
        expect(delay).toBeLessThanOrEqual(cap)
      }
    }
  })

  it('draws from Math.random when no random is given', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.25)
    expect(backoffDelay(3, full)).toBe(500)
    expect(Math.random).toHaveBeenCalled()
  })
})
