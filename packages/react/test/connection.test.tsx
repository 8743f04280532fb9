// @vitest-environment jsdom
// One connection per hook (docs/bindings.md#one-connection-per-hook): the cases every binding
// shares (packages/core/test/bindings/connection.ts), then React's own: Strict Mode's double
// mount, and a URL given as a function. Against a real `ws` server in the lab.
import { StrictMode } from 'react'
import { render } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { only, recorder } from '@followsocket/lab/testing'
import { lab } from '../../core/test/lab'
import { base, type Rendered } from '../../core/test/bindings/binding'
import { connectionSpecs, oneSocketPerMount } from '../../core/test/bindings/connection'
import { Probe, react, reactBinding } from './binding'

connectionSpecs(react)

describe('one connection per hook, in React', () => {
  describe("under Strict Mode's mount → unmount → mount", () => {
    oneSocketPerMount(reactBinding(StrictMode))
  })

  it('calls the latest URL function before each connect, and does not reconnect for a new function', async () => {
    const a = lab.endpoint('/a')
    const b = lab.endpoint('/b')
    const seen = recorder<Rendered>()
    const options = { ...base, reconnect: { minDelayMs: 10, maxDelayMs: 10 } }
    const view = render(<Probe url={() => lab.ws('/a')} seen={seen} options={options} />)
    await seen.until((s) => s.state === 'open')
    const first = only(a.clients)

    view.rerender(<Probe url={() => lab.ws('/b')} seen={seen} options={options} />)
    seen.commits.at(-1)!.send('still on a')
    expect(await a.receivedCount(1)).toEqual(['still on a'])
    expect(b.connections).toBe(0)

    // The server drops the connection: the reconnect asks the latest function, which says /b.
    first.close(1001)
    await seen.until((s) => s.state === 'open' && s.resolvedUrl === lab.ws('/b'))
    expect([a.connections, b.connections]).toEqual([1, 1])
  })
})
