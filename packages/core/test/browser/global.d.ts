import type * as FollowSocket from '../../src'

declare global {
  interface Window {
    FollowSocket: typeof FollowSocket
  }
}
