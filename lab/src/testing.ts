// Helpers for tests that run a binding (React, Vue) against the lab in jsdom.
import WebSocket, { type WebSocket as ServerSocket } from 'ws'

/** Node's `ws` client: jsdom's own WebSocket never reaches the network. */
export const NodeWebSocket = WebSocket
/** Node's fetch (jsdom has none of its own), passed explicitly so preflights use the real network. */
export const nodeFetch: typeof fetch = globalThis.fetch

/**
 * What a test component committed, render by render, and a way to await a commit: `until`
 * resolves with the first commit (the latest one included) that passes `test`.
 */
export const recorder = <V>() => {
  const commits: V[] = []
  let waiters: { test: (value: V) => boolean; done: (value: V) => void }[] = []
  return {
    /** Times the component function ran. */
    renders: 0,
    commits,
    commit(value: V) {
      commits.push(value)
      waiters = waiters.filter((w) => {
        if (!w.test(value)) return true
        w.done(value)
        return false
      })
    },
    until(test: (value: V) => boolean): Promise<V> {
      const last = commits.at(-1)
      if (commits.length && test(last!)) return Promise.resolve(last!)
      return new Promise((done) => waiters.push({ test, done }))
    },
  }
}

/** Resolves when the server side of a connection has closed. */
export const serverClosed = (socket: ServerSocket) =>
  new Promise<void>((done) => (socket.readyState === socket.CLOSED ? done() : socket.once('close', () => done())))

/** The server side of an endpoint's only connection. */
export const only = (clients: Set<ServerSocket>): ServerSocket => {
  if (clients.size !== 1) throw new Error(`expected 1 server-side client, found ${clients.size}`)
  return [...clients][0]!
}

/** Lets `ms` pass. Only for asserting that something does NOT happen (a socket that must not open). */
export const quiet = (ms: number) => new Promise<void>((done) => setTimeout(done, ms))

const BROWSER_GLOBALS = [
  'window',
  'self',
  'document',
  'navigator',
  'location',
  'localStorage',
  'sessionStorage',
  'WebSocket',
  'addEventListener',
  'matchMedia',
]

/**
 * Runs `act` with every browser global behind a getter that records its name (and still
 * returns what was there, usually nothing in Node), then restores them. Returns what was read.
 */
export const browserGlobalsRead = async (act: () => Promise<unknown>): Promise<string[]> => {
  const read: string[] = []
  const saved = BROWSER_GLOBALS.map((name) => [name, Object.getOwnPropertyDescriptor(globalThis, name)] as const)
  for (const [name, descriptor] of saved) {
    const value = descriptor && ('value' in descriptor ? descriptor.value : descriptor.get?.call(globalThis))
    Object.defineProperty(globalThis, name, {
      configurable: true,
      get: () => {
        read.push(name)
        return value
      },
    })
  }
  try {
    await act()
  } finally {
    for (const [name, descriptor] of saved)
      if (descriptor) Object.defineProperty(globalThis, name, descriptor)
      else delete (globalThis as Record<string, unknown>)[name]
  }
  return read
}
