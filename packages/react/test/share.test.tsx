// @vitest-environment jsdom
// Shared connections (docs/sharing.md#in-the-page): the cases every binding shares
// (packages/core/test/bindings/share.ts), then React's own: Strict Mode, and server rendering.
import { StrictMode } from 'react'
import { render } from '@testing-library/react'
import { renderToString } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { quiet, recorder } from '@followsocket/lab/testing'
import { lab } from '../../core/test/lab'
import { base, type Rendered } from '../../core/test/bindings/binding'
import { shareSpecs } from '../../core/test/bindings/share'
import { Probe, react } from './binding'

shareSpecs(react)

describe('share: true, in React', () => {
  it('under Strict Mode, five sharers open one socket; server rendering opens none', async () => {
    const endpoint = lab.endpoint('/live')
    const seen = Array.from({ length: 5 }, () => recorder<Rendered>())
    const tree = (
      <StrictMode>
        {seen.map((s, i) => (
          <Probe
            key={i}
            url={lab.ws('/live')}
            options={{ ...base, share: true }}
            reads={['state', 'lastMessage']}
            seen={s}
          />
        ))}
      </StrictMode>
    )
    const html = renderToString(tree)
    expect(html).toBe('')
    await quiet(50)
    expect(lab.count('/live', 'upgrade')).toBe(0)

    render(tree)
    await Promise.all(seen.map((s) => s.until((v) => v.state === 'open')))
    // A round trip: a second socket from the double mount would have reached the server by now.
    seen[0]!.commits.at(-1)!.send('ping')
    await seen[4]!.until((v) => v.lastMessage === 'ping')
    expect(endpoint.connections).toBe(1)
    expect(lab.count('/live', 'upgrade')).toBe(1)
  })
})
