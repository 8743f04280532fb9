// A Bun.serve server whose WebSocket endpoints (the paths under /rooms/) keep their sockets as a
// Bun user does: a Set per path of Bun's own ServerWebSocket, filled by the `websocket` handler's
// open, emptied by its close, handed to moveClients and drainClients as they are. Test routes and
// counts: rooms.mjs. Usage: bun bun-rooms-server.mjs <port>
import { drainClients, moveClients } from '@followsocket/server'
import { createRooms } from './rooms.mjs'

const sockets = new Map()
const rooms = createRooms({
  sockets,
  move: (path, to, spreadMs) => moveClients(sockets.get(path) ?? [], to, { spreadMs }),
  drain: (path, spreadMs) => drainClients(sockets.get(path) ?? [], { spreadMs }),
})

Bun.serve({
  hostname: '127.0.0.1',
  port: Number(process.argv[2]),
  fetch(request, server) {
    const url = new URL(request.url)
    if (url.pathname.startsWith('/__test/')) return rooms.test(url)
    if (url.pathname.startsWith('/rooms/') && server.upgrade(request, { data: { path: url.pathname } })) return
    return new Response('not found', { status: 404 })
  },
  websocket: {
    open: (ws) => rooms.opened(ws.data.path, ws),
    message: (ws, message) => ws.send(`bun got ${message}`),
    close: (ws) => rooms.closed(ws.data.path, ws),
  },
})
console.log('listening')
