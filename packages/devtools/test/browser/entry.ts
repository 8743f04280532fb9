// Bundled at test time (page.ts) into an IIFE a test page loads beside the followsocket IIFE: the
// built devtools, as an application would ship them, and followsocket/tabs. Each bundle carries a
// copy of followsocket of its own, as two bundles in one page would: the connections still meet
// the devtools, through the global set (docs/devtools.md#registration).
import { connect } from 'followsocket/tabs'
import { inspect, mountDevtools } from '@followsocket/devtools'

declare global {
  interface Window {
    FollowSocketDevtools: { mountDevtools: typeof mountDevtools; inspect: typeof inspect }
    FollowTabs: { connect: typeof connect }
  }
}

window.FollowSocketDevtools = { mountDevtools, inspect }
window.FollowTabs = { connect }
