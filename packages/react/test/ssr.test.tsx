// Server rendering (docs/bindings.md#server-rendering-and-strict-mode): importing
// @followsocket/react and rendering a component that uses the hook to a string touch no browser
// global and open nothing. Runs in Node's own environment, where there is no window.
import { renderToString } from 'react-dom/server'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { startLab, type Lab } from '@followsocket/lab'
import type { WebSocketConstructor } from 'followsocket'
import { browserGlobalsRead, NodeWebSocket, nodeFetch, quiet } from '@followsocket/lab/testing'

let lab: Lab
beforeEach(async () => {
  lab = await startLab()
})
afterEach(async () => {
  await lab.close()
})

it('imports and renders to a string without touching a browser global or opening a socket', async () => {
  lab.endpoint('/live')
  let constructed = 0
  const Counting = function (url: string, protocols?: string | string[]) {
    constructed++
    return new NodeWebSocket(url, protocols)
  } as unknown as WebSocketConstructor
  let html = ''

  const read = await browserGlobalsRead(async () => {
    // Imported here, not above, so that the import itself runs with the globals watched.
    const { useFollowSocket } = await import('../src')
    function Banner() {
      const { state, retry } = useFollowSocket(lab.ws('/live'), { WebSocket: Counting, fetch: nodeFetch })
      return <p>{retry ? `retrying in ${retry.delayMs} ms` : state}</p>
    }
    html = renderToString(<Banner />)
  })

  expect(html).toBe('<p>idle</p>')
  expect(read).toEqual([])
  // A connection would have started a microtask after render: give it far longer than a local handshake.
  await quiet(200)
  expect(constructed).toBe(0)
  expect(lab.count('/live', 'upgrade')).toBe(0)
  expect(lab.requests).toEqual([])
})
