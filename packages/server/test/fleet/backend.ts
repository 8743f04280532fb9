// One backend of the rolling-deploy fleet, as its own process (run by roll.ts): a node:http
// server with a `ws` endpoint at /live, /healthz for HAProxy's checks, and the README's SIGTERM
// hook (drainClients). What a user would ask of a deploy is counted here, at the backend, and
// reported to the parent over IPC: each connection opened (which client, when) and each message
// received (which client, which number).
import { createServer } from 'node:http'
import { WebSocketServer } from 'ws'
import { drainClients } from '../../src'
import type { BackendReport } from './reports'

const port = Number(process.env.FLEET_PORT)
const spreadMs = Number(process.env.FLEET_SPREAD_MS)
const now = () => performance.timeOrigin + performance.now()

// IPC is asynchronous: the process exits only once every report has been handed over.
let pending = 0
let exiting = false
const report = (message: BackendReport) => {
  pending++
  process.send!(message, () => {
    if (--pending === 0 && exiting) process.exit(0)
  })
}

const wss = new WebSocketServer({ noServer: true })
const server = createServer((req, res) => {
  if (req.url === '/healthz') return void res.writeHead(200).end('ok')
  // A preflight would end here: counted, so the test can say none happened.
  report({ t: 'get', path: req.url ?? '' })
  res.writeHead(426, { upgrade: 'websocket', 'access-control-allow-origin': '*', vary: 'Origin' }).end()
})
server.on('upgrade', (req, socket, head) =>
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)),
)

wss.on('connection', (ws, req) => {
  const client = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('client'))
  report({ t: 'open', client, at: now() })
  ws.on('close', () => report({ t: 'close', client }))
  ws.on('message', (data) => {
    const { c, n } = JSON.parse(String(data)) as { c: number; n: number }
    report({ t: 'message', client: c, n })
  })
})

// The README's shutdown hook: HAProxy already sends this backend no new connections (the deploy
// drained it through the runtime API); hand the open clients to the others over spreadMs, and
// exit once every closing handshake is done, so nothing a client sent is lost.
process.once('SIGTERM', async () => {
  server.close()
  report({ t: 'draining', at: now(), open: wss.clients.size })
  const { drained } = await drainClients(wss.clients, { spreadMs })
  report({ t: 'drained', at: now(), drained })
  exiting = true
  if (pending === 0) process.exit(0)
})

server.listen(port, '127.0.0.1', () => report({ t: 'listening' }))
