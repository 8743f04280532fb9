/**
 * When a reopen may skip the back-off wait (SPEC §3, Pacing). Following a move (4308) or finding
 * a stale endpoint again is immediate once since the connection was last healthy; any further
 * such step waits like any other retry and counts as an attempt. So whatever a server does (a
 * move to a target that is down, two endpoints moving clients to each other, a target that keeps
 * restarting), a client makes at most a handful of handshakes per second.
 */
export interface Pacing {
  /** The connection stayed open long enough: the next move or rediscovery may be immediate again. */
  healthy(): void
  /** True for the first move or rediscovery since healthy, false for every one after it. */
  immediate(): boolean
  /** The URLs (http form) that close-frame moves left since healthy: a move back to one is a loop. */
  readonly left: string[]
}

export const createPacing = (): Pacing => {
  let spent = false
  const left: string[] = []
  return {
    left,
    healthy() {
      spent = false
      left.length = 0
    },
    immediate() {
      const first = !spent
      spent = true
      return first
    },
  }
}
