// What bun-rooms-server.mjs and deno-rooms-server.mjs share: each WebSocket path under /rooms/ is a
// room, and the runtime's own sockets sit in a Set per room (a Map the server file owns, so that it
// is the server file that hands them to moveClients and drainClients). Test routes, each answering
// JSON once done:
// - /__test/opens?path=&count=  waits until `count` sockets have opened in the room since the start,
//   then answers { opens, open } (opened ever, open now): no polling, no sleeps;
// - /__test/move?path=&to=&spreadMs=  the server's move(path, to, spreadMs): { moved };
// - /__test/drain?path=&spreadMs=  the server's drain(path, spreadMs): { drained, notClosed }, the
//   sockets of the room not yet CLOSED when drainClients resolved.
const CLOSED = 3

export function createRooms({ sockets, move, drain }) {
  const opens = new Map()
  const waiting = new Set()
  const room = (path) => sockets.get(path) ?? sockets.set(path, new Set()).get(path)
  const wake = () => {
    for (const waiter of waiting) if ((opens.get(waiter.path) ?? 0) >= waiter.count) waiter.done()
  }
  const counts = (path) => ({ opens: opens.get(path) ?? 0, open: room(path).size })
  return {
    opened(path, socket) {
      room(path).add(socket)
      opens.set(path, (opens.get(path) ?? 0) + 1)
      wake()
    },
    closed(path, socket) {
      room(path).delete(socket)
    },
    async test(url) {
      const path = url.searchParams.get('path')
      const spreadMs = Number(url.searchParams.get('spreadMs') ?? 0)
      switch (url.pathname) {
        case '/__test/opens': {
          const count = Number(url.searchParams.get('count'))
          await new Promise((done) => {
            const waiter = {
              path,
              count,
              done: () => {
                waiting.delete(waiter)
                done()
              },
            }
            waiting.add(waiter)
            wake()
          })
          return Response.json(counts(path))
        }
        case '/__test/move':
          return Response.json(await move(path, url.searchParams.get('to'), spreadMs))
        case '/__test/drain': {
          const before = [...room(path)]
          const { drained } = await drain(path, spreadMs)
          return Response.json({ drained, notClosed: before.filter((s) => s.readyState !== CLOSED).length })
        }
        default:
          return new Response('not found', { status: 404 })
      }
    },
  }
}
