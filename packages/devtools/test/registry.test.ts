import { afterEach, describe, expect, it } from 'vitest'
import { inspect, registry } from '../src/registry'
import { fakeConnection } from './fake'

const KEY = Symbol.for('followsocket.inspectable')

afterEach(() => {
  for (const recording of registry().recordings())
    for (const entry of registry().entries(recording)) (globalThis as any)[KEY].delete(entry)
})

describe('how connections reach the devtools', () => {
  it('finds the entries followsocket/store put in the global set before the devtools loaded, and those after', () => {
    // What store.ts does, with no devtools loaded: a plain Set.
    delete (globalThis as any)[KEY]
    const set = new Set()
    ;(globalThis as any)[KEY] = set
    const early = fakeConnection('wss://a.example/early')
    const entry = { connection: early.connection, share: true }
    set.add(entry)

    const reg = registry()
    expect(reg.recordings().map((r) => r.connection)).toEqual([early.connection])
    expect(reg.name(reg.recordings()[0]!)).toBe('a.example/early')

    const late = fakeConnection('wss://b.example/late')
    ;(globalThis as any)[KEY].add({ connection: late.connection, share: undefined })
    expect(reg.recordings().map((r) => r.connection)).toEqual([early.connection, late.connection])
  })

  it('counts the components holding one shared connection, and keeps it a while after the last lets go', () => {
    const reg = registry()
    const shared = fakeConnection('wss://a.example/shared')
    const set = (globalThis as any)[KEY] as Set<object>
    const entries = [1, 2, 3].map(() => ({ connection: shared.connection, share: true }))
    for (const entry of entries) set.add(entry)
    const recording = reg.recordings().find((r) => r.connection === shared.connection)!
    expect(reg.entries(recording)).toHaveLength(3)
    for (const entry of entries) set.delete(entry)
    expect(reg.recordings()).toContain(recording)
    expect(reg.ended(recording)).toEqual(expect.any(Number))
  })

  it('keeps at most five connections no one holds any more', () => {
    const reg = registry()
    const set = (globalThis as any)[KEY] as Set<object>
    const gone = Array.from({ length: 8 }, (_, i) => fakeConnection(`wss://a.example/${i}`))
    for (const { connection } of gone) {
      const entry = { connection, share: undefined }
      set.add(entry)
      set.delete(entry)
    }
    const kept = reg.recordings().filter((r) => gone.some((g) => g.connection === r.connection))
    expect(kept.length).toBeLessThanOrEqual(5)
    // Those let go of stop listening and put send back.
    const dropped = gone.filter((g) => !kept.some((r) => r.connection === g.connection))
    expect(dropped.every((g) => g.listeners() === 0)).toBe(true)
  })

  it('inspect() shows a connection under its name; its unregister forgets it at once and puts send back', () => {
    const reg = registry()
    const own = fakeConnection('wss://a.example/own')
    const send = own.connection.send
    const unregister = inspect(own.connection, { name: 'prices' })
    const recording = reg.recordings().find((r) => r.connection === own.connection)!
    expect(reg.name(recording)).toBe('prices')
    unregister()
    expect(reg.recordings()).not.toContain(recording)
    expect(own.connection.send).toBe(send)
    expect(own.listeners()).toBe(0)
  })

  it('is one registry per page, whichever copy of the devtools asks', () => {
    expect(registry()).toBe(registry())
  })
})
