// A Bun.serve server as a user writes one: the redirects (and a "come back later") answer first,
// in their Fetch-API form, then a WebSocket endpoint on Bun's own `websocket` handler. It imports
// the built package by its name, as an npm user does. Usage: bun bun-server.mjs <port>
import { createComeBackLater, createRedirects } from '@followsocket/server'

const port = Number(process.argv[2])
// The page origins admitted (argv[3], comma-separated), e.g. a Chromium test page's.
const origins = process.argv[3] ? process.argv[3].split(',') : ['https://app.example.com']
const redirects = createRedirects({ rules: { '/v1/live': `ws://127.0.0.1:${port}/v2/live` }, origins })
// An endpoint under maintenance: its GET and its upgrade both answer 503 with Retry-After.
const later = createComeBackLater({ retryAfter: 30, origins })

Bun.serve({
  hostname: '127.0.0.1',
  port,
  fetch(request, server) {
    const { pathname } = new URL(request.url)
    if (pathname === '/maintenance') return later.fetch(request)
    const moved = redirects.fetch(request)
    if (moved) return moved
    if (pathname === '/v2/live') {
      if (server.upgrade(request)) return
      // The endpoint's own answer to a GET ends a browser's preflight, so it carries CORS too.
      const origin = request.headers.get('origin')
      return new Response('upgrade required', {
        status: 426,
        headers: origins.includes(origin)
          ? { 'access-control-allow-origin': origin, vary: 'Origin' }
          : { vary: 'Origin' },
      })
    }
    return new Response('not found', { status: 404 })
  },
  websocket: {
    message(ws, message) {
      ws.send(`bun ${Bun.version} got ${message}`)
    },
  },
})
console.log('listening')
