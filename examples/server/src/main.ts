// The demo backend: one port serves the example page, the built followsocket IIFE, a live
// feed at /v2/live, and the old address /v1/live that answers 308 to it (GET and upgrade).
import { fileURLToPath } from 'node:url'
import { startLab } from '@followsocket/lab'

const port = Number(process.env.PORT ?? 5173)
const lab = await startLab({ port, host: process.env.HOST ?? '127.0.0.1' })

lab.serve('/followsocket/', fileURLToPath(new URL('../../../packages/core/dist/', import.meta.url)))
lab.serve('/vanilla/', fileURLToPath(new URL('../../vanilla/', import.meta.url)))
lab.route('/', (_req, res) => res.writeHead(302, { location: '/vanilla/' }).end())

const live = lab.endpoint('/v2/live', { echo: false })
lab.redirect('/v1/live', lab.ws('/v2/live'))

// A tick every second, so a connected page has something to show.
let tick = 0
setInterval(() => {
  const message = JSON.stringify({ type: 'tick', n: ++tick, at: new Date().toISOString() })
  for (const client of live.clients) client.send(message)
}, 1000).unref()

console.log(`followsocket demo running
  page:      ${lab.http('/vanilla/')}
  old URL:   ${lab.ws('/v1/live')}  (answers 308 → /v2/live)
  new URL:   ${lab.ws('/v2/live')}
Press Ctrl+C to stop.`)
