// @ts-check
/// <reference lib="deno.ns" />
// A Deno.serve server whose WebSocket endpoints (the paths under /rooms/) keep their sockets as a
// Deno user does: a Set per path of the sockets Deno.upgradeWebSocket gave, added on open, removed
// on close, handed to moveClients and drainClients as they are. `deno check` of this file shows
// Deno's own declaration of its sockets fits what the package declares it needs (run by hand: in
// the test it cannot resolve the declarations' Node types in pnpm's layout on a fresh clone).
// Test routes and counts: rooms.mjs. Usage: deno run deno-rooms-server.mjs <port>
import { drainClients, moveClients } from '@followsocket/server'
import { createRooms } from './rooms.mjs'

/** @type {Map<string, Set<WebSocket>>} */
const sockets = new Map()
const rooms = createRooms({
  sockets,
  move: (/** @type {string} */ path, /** @type {string} */ to, /** @type {number} */ spreadMs) =>
    moveClients(sockets.get(path) ?? [], to, { spreadMs }),
  drain: (/** @type {string} */ path, /** @type {number} */ spreadMs) =>
    drainClients(sockets.get(path) ?? [], { spreadMs }),
})

Deno.serve(
  { hostname: '127.0.0.1', port: Number(Deno.args[0]), onListen: () => console.log('listening') },
  (request) => {
    const url = new URL(request.url)
    if (url.pathname.startsWith('/__test/')) return rooms.test(url)
    if (!url.pathname.startsWith('/rooms/') || request.headers.get('upgrade') !== 'websocket')
      return new Response('not found', { status: 404 })
    const { socket, response } = Deno.upgradeWebSocket(request)
    socket.onopen = () => rooms.opened(url.pathname, socket)
    socket.onmessage = (event) => socket.send(`deno got ${event.data}`)
    socket.onclose = () => rooms.closed(url.pathname, socket)
    return response
  },
)
