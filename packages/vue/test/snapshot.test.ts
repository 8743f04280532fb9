// @vitest-environment jsdom
// What the composable shows (docs/bindings.md#what-a-component-re-renders-for): the cases every
// binding shares (packages/core/test/bindings/snapshot.ts), then the types Vue users lean on: a
// ref per field, lastMessage's and onMessage's data typed from the schema.
import type { ComputedRef } from 'vue'
import { describe, expectTypeOf, it } from 'vitest'
import { snapshotSpecs, Tick } from '../../core/test/bindings/snapshot'
import { useFollowSocket, type UseFollowSocketOptions, type UseFollowSocketReturn } from '../src'
import { vue } from './binding'

snapshotSpecs(vue)

describe('lastMessage', () => {
  it('is a ref typed from the schema', () => {
    // Never called: the type checker runs this test (npm run typecheck).
    const ticker = () =>
      useFollowSocket('ws://127.0.0.1/live', {
        parse: 'json',
        schema: Tick,
        onMessage: ({ data }) => expectTypeOf(data).toEqualTypeOf<{ type: 'tick'; at: Date }>(),
      })
    expectTypeOf(ticker)
      .returns.toHaveProperty('lastMessage')
      .toEqualTypeOf<ComputedRef<{ type: 'tick'; at: Date } | undefined>>()
    expectTypeOf(ticker).returns.toEqualTypeOf<UseFollowSocketReturn<{ type: 'tick'; at: Date }>>()
    expectTypeOf<UseFollowSocketOptions<{ n: number }>['onMessage']>().toEqualTypeOf<
      ((payload: { data: { n: number }; raw: unknown }) => void) | undefined
    >()
  })
})
