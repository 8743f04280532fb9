// A Deno.serve server as a user writes one: the redirects (and a "come back later") answer first,
// in their Fetch-API form, then a WebSocket endpoint through Deno.upgradeWebSocket. It imports
// the built package by its name, as an npm user does (Deno reads package.json and node_modules).
// Usage: deno run --allow-net --allow-read deno-server.mjs <port>
import { createComeBackLater, createRedirects } from '@followsocket/server'

const port = Number(Deno.args[0])
const redirects = createRedirects({
  rules: { '/v1/live': `ws://127.0.0.1:${port}/v2/live` },
  origins: ['https://app.example.com'],
})
// An endpoint under maintenance: its GET and its upgrade both answer 503 with Retry-After.
const later = createComeBackLater({ retryAfter: 30, origins: ['https://app.example.com'] })

Deno.serve({ hostname: '127.0.0.1', port, onListen: () => console.log('listening') }, (request) => {
  const { pathname } = new URL(request.url)
  if (pathname === '/maintenance') return later.fetch(request)
  const moved = redirects.fetch(request)
  if (moved) return moved
  if (pathname === '/v2/live' && request.headers.get('upgrade') === 'websocket') {
    const { socket, response } = Deno.upgradeWebSocket(request)
    socket.onmessage = (event) => socket.send(`deno ${Deno.version.deno} got ${event.data}`)
    return response
  }
  return new Response('not found', { status: 404 })
})
