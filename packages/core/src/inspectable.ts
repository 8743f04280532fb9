/**
 * The connections the page's stores and tabs hold, for @followsocket/devtools to find
 * (docs/devtools.md#registration): a set on the global object, under a key every copy of
 * followsocket in the page shares. An entry is added when a connection starts and deleted when it
 * stops, so it holds only what is live; the devtools, once loaded, swap in a set that tells them.
 */
export const inspectable = (): Set<object> =>
  ((globalThis as any)[Symbol.for('followsocket.inspectable')] ??= new Set())
