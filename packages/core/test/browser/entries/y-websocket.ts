// Bundled at test time (../bundles.ts) into an IIFE that a test page loads next to the
// followsocket IIFE: y-websocket's provider and the Yjs it shares documents with.
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'

declare global {
  interface Window {
    YWebsocket: { WebsocketProvider: typeof WebsocketProvider; Y: typeof Y }
  }
}

window.YWebsocket = { WebsocketProvider, Y }
