// Bundled at test time (../bundles.ts) into an IIFE that a test page loads next to the
// followsocket IIFE: graphql-ws's client, as an application would ship it.
import { createClient } from 'graphql-ws'

declare global {
  interface Window {
    GraphQLWS: { createClient: typeof createClient }
  }
}

window.GraphQLWS = { createClient }
