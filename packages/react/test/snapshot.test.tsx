// @vitest-environment jsdom
// What the hook shows (docs/bindings.md#what-a-component-re-renders-for): the cases every binding
// shares (packages/core/test/bindings/snapshot.ts), then the types React users lean on: the
// result's lastMessage and onMessage's data typed from the schema.
import { describe, expectTypeOf, it } from 'vitest'
import { Tick } from '../../core/test/bindings/snapshot'
import { snapshotSpecs } from '../../core/test/bindings/snapshot'
import { react } from './binding'
import { useFollowSocket, type UseFollowSocketOptions, type UseFollowSocketResult } from '../src'

snapshotSpecs(react)

describe('lastMessage', () => {
  it('is typed from the schema, and unknown without one unless the caller names a type', () => {
    // Never called: the type checker runs this test (npm run typecheck).
    const ticker = () =>
      useFollowSocket('ws://127.0.0.1/live', {
        parse: 'json',
        schema: Tick,
        onMessage: ({ data }) => expectTypeOf(data).toEqualTypeOf<{ type: 'tick'; at: Date }>(),
      })
    expectTypeOf(ticker).returns.toHaveProperty('lastMessage').toEqualTypeOf<{ type: 'tick'; at: Date } | undefined>()
    expectTypeOf(ticker).returns.toEqualTypeOf<UseFollowSocketResult<{ type: 'tick'; at: Date }>>()
    expectTypeOf(useFollowSocket<unknown>)
      .returns.toHaveProperty('lastMessage')
      .toEqualTypeOf<unknown>()
    expectTypeOf<UseFollowSocketOptions<{ n: number }>['onMessage']>().toEqualTypeOf<
      ((payload: { data: { n: number }; raw: unknown }) => void) | undefined
    >()
  })
})
