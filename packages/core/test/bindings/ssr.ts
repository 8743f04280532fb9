// Server rendering (docs/bindings.md#server-rendering-and-strict-mode), for every binding:
// importing it and rendering a component that uses the hook to a string touch no browser global
// and open nothing. Runs in Node's own environment, where there is no window. Nothing here imports
// the core or a binding at run time: the binding's own import must happen with the globals watched.
import { expect, it } from 'vitest'
import { NodeWebSocket, nodeFetch, quiet } from '@followsocket/lab/testing'
import type { WebSocketConstructor } from '../../src'
import { lab } from '../lab'

/**
 * Imports the binding and renders to a string a component that shows useFollowSocket(url,
 * options)'s state in a <p> (or a countdown while a retry is pending), watching the browser
 * globals (browserGlobalsRead) throughout; resolves with the HTML and the globals read.
 */
export type RenderToString = (
  url: string,
  options: { WebSocket: WebSocketConstructor; fetch: typeof fetch },
) => Promise<{ html: string; globalsRead: string[] }>

export const serverRenderingSpecs = (renderToString: RenderToString) => {
  it('imports and renders to a string without touching a browser global or opening a socket', async () => {
    lab.endpoint('/live')
    let constructed = 0
    const Counting = function (url: string, protocols?: string | string[]) {
      constructed++
      return new NodeWebSocket(url, protocols)
    } as unknown as WebSocketConstructor

    const { html, globalsRead } = await renderToString(lab.ws('/live'), { WebSocket: Counting, fetch: nodeFetch })

    expect(html).toBe('<p>idle</p>')
    expect(globalsRead).toEqual([])
    // A connection would have started a microtask after rendering: give it far longer than a local handshake.
    await quiet(200)
    expect(constructed).toBe(0)
    expect(lab.count('/live', 'upgrade')).toBe(0)
    expect(lab.requests).toEqual([])
  })
}
