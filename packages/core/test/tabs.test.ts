import { describe, expect, it } from 'vitest'
import { connect } from '../src/tabs'
import type { Connection } from '../src'
import { next, NodeWebSocket } from './helpers'
import { lab, track } from './lab'

// followsocket/tabs outside a browser: Node 20 has BroadcastChannel but no Web Locks, so
// share: 'tabs' quietly means a connection of its own (docs/sharing.md#across-tabs). The sharing
// itself is proven in Chromium (test/browser/tabs.spec.ts).

describe('followsocket/tabs without Web Locks', () => {
  it("share: 'tabs' opens a socket of its own, as connect() does", async () => {
    expect(globalThis.navigator?.locks).toBeUndefined()
    const feed = lab.endpoint('/live')
    const a = connect(lab.ws('/live'), { share: 'tabs', WebSocket: NodeWebSocket })
    const b = connect(lab.ws('/live'), { share: 'tabs', WebSocket: NodeWebSocket })
    track(a)
    track(b)
    await Promise.all([next(a, 'open'), next(b, 'open')])
    expect(feed.connections).toBe(2)
    expect(a.socket).toBeDefined()
    a.send('hi')
    expect(await feed.receivedCount(1)).toEqual(['hi'])
  })

  it('refuses a share value it does not know, naming the option', () => {
    expect(() => connect(lab.ws('/live'), { share: 'window' as 'tabs', WebSocket: NodeWebSocket })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS', message: expect.stringContaining('share') }),
    )
  })

  it('checks the other options as connect() does', () => {
    expect(() => connect(lab.ws('/live'), { share: 'tabs', reconect: false } as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    )
  })
})
