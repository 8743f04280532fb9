// The demo backend: one port serves the three example apps, the control panel and its API;
// the live feed (live.ts) listens on the next two ports. e2e/ starts it through startDemo().
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { readFile } from 'node:fs/promises'
import { extname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startLive, type Live } from './live'

export interface Demo {
  /** http://host:port */
  origin: string
  apps: { vanilla: string; react: string; vue: string }
  panel: string
  live: Live
  close(): Promise<void>
}

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

// URL prefix → folder. The React and Vue apps are served from their Vite builds.
const STATIC: [string, string][] = [
  ['/followsocket/', here('../../../packages/core/dist/')],
  ['/devtools/', here('../../../packages/devtools/dist/')],
  ['/vanilla/', here('../../vanilla/')],
  ['/react/', here('../../react/dist/')],
  ['/vue/', here('../../vue/dist/')],
  ['/panel/', here('../panel/')],
]

// The vanilla app loads the <script> build from the CDN, as the core README shows it. The demo
// serves the page with this workspace's build in place of the CDN's: nothing is published from
// here, and the demo (and e2e/) must run what the workspace builds without reaching the internet.
const CDN = /https:\/\/unpkg\.com\/followsocket@[^/]+\/dist\//g
// Its "Devtools" toggle imports @followsocket/devtools from the CDN the same way.
const DEVTOOLS_CDN = /https:\/\/unpkg\.com\/@followsocket\/devtools@[^/]+\/dist\//g
// Each app's page names the demo's feed in a <meta name="followsocket-feed"> (the apps' message.js
// reads it), so the apps connect to this demo's feed on whatever port it runs.
const APPS = ['/vanilla/', '/react/', '/vue/']
const localBuild = (prefix: string, file: string, body: Buffer, feed: string) => {
  if (!APPS.includes(prefix) || extname(file) !== '.html') return body
  const page = String(body).replace('<head>', `<head>\n  <meta name="followsocket-feed" content="${feed}">`)
  return prefix === '/vanilla/' ? page.replace(CDN, '/followsocket/').replace(DEVTOOLS_CDN, '/devtools/') : page
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
}

async function serveStatic(path: string, res: ServerResponse, feed: string): Promise<boolean> {
  for (const [prefix, dir] of STATIC) {
    if (!path.startsWith(prefix)) continue
    const file = normalize(join(dir, path.slice(prefix.length) || 'index.html'))
    if (!file.startsWith(dir)) break
    try {
      const body = localBuild(prefix, file, await readFile(file), feed)
      res
        .writeHead(200, {
          'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
          'cache-control': 'no-store',
        })
        .end(body)
      return true
    } catch {
      break
    }
  }
  return false
}

/** The control panel's API: POST /api/<action>, GET /api/state. */
async function control(live: Live, req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
  if (!path.startsWith('/api/')) return false
  const action = path.slice('/api/'.length)
  const query = new URL(req.url ?? '/', 'http://x').searchParams
  const reply = (body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body))
  if (req.method === 'GET' && action === 'state') {
    reply(live.state())
    return true
  }
  if (req.method !== 'POST') {
    res.writeHead(405).end()
    return true
  }
  switch (action) {
    case 'move':
      live.setMoved(true)
      break
    case 'unmove':
      live.setMoved(false)
      break
    case 'move-clients':
      reply(await live.moveClients(Number(query.get('spreadMs') ?? 1000)))
      return true
    case 'restart':
      live.restart()
      break
    case 'down':
      live.down(Math.min(60, Math.max(1, Number(query.get('seconds') ?? 5))))
      break
    case 'maintenance':
      live.maintenance(Math.min(60, Math.max(1, Number(query.get('seconds') ?? 10))))
      break
    case 'sign-in-on':
      live.setSignIn(true)
      break
    case 'sign-in-off':
      live.setSignIn(false)
      break
    case 'malformed':
      live.malformed()
      break
    case 'cors-off':
      live.setCors(false)
      break
    case 'cors-on':
      live.setCors(true)
      break
    default:
      res.writeHead(404).end()
      return true
  }
  reply(live.state())
  return true
}

export async function startDemo({ host = '127.0.0.1', port = 5173 } = {}): Promise<Demo> {
  const origin = `http://${host}:${port}`
  const live = await startLive({ host, port: port + 1, appOrigin: origin })
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    try {
      if (path === '/') return void res.writeHead(302, { location: '/panel/' }).end()
      if (await control(live, req, res, path)) return
      if (await serveStatic(path, res, live.v1)) return
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
    } catch (error) {
      res.writeHead(500).end(String(error))
    }
  })
  await new Promise<void>((done, fail) => {
    server.once('error', fail)
    server.listen(port, host, () => done())
  }).catch(async (error) => {
    await live.close() // a taken port leaves nothing listening
    throw error
  })
  return {
    origin,
    apps: { vanilla: `${origin}/vanilla/`, react: `${origin}/react/`, vue: `${origin}/vue/` },
    panel: `${origin}/panel/`,
    live,
    async close() {
      await live.close()
      server.closeAllConnections()
      await new Promise<void>((done) => server.close(() => done()))
    },
  }
}
