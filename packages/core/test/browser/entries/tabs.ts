// Bundled at test time (../bundles.ts) into an IIFE that a test page loads next to the
// followsocket IIFE: `followsocket/tabs` from the built package, as an application would ship it.
import { connect } from '../../../dist/tabs.js'

declare global {
  interface Window {
    FollowTabs: { connect: typeof connect }
  }
}

window.FollowTabs = { connect }
