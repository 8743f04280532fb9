import type { WebSocket as ServerSocket } from 'ws'
import { FollowSocketError } from '../src'

/** The error `act` throws (failing the test if it returns), checked to be a FollowSocketError. */
export const thrown = (act: () => unknown): FollowSocketError => {
  try {
    act()
  } catch (error) {
    if (error instanceof FollowSocketError) return error
    throw new Error(`expected a FollowSocketError, got ${String(error)}`)
  }
  throw new Error('expected a FollowSocketError, nothing was thrown')
}

/**
 * Lets `ms` pass. Only for asserting that something does NOT happen (no reconnect, no request):
 * callers pick `ms` well past the longest back-off the test configured.
 */
export const quiet = (ms: number) => new Promise<void>((done) => setTimeout(done, ms))

/** The one server-side socket of an endpoint (the connection under test). */
export const serverSide = (clients: Set<ServerSocket>): ServerSocket => {
  if (clients.size !== 1) throw new Error(`expected 1 server-side client, found ${clients.size}`)
  return [...clients][0]!
}
