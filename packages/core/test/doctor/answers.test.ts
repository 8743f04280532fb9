import { createComeBackLater } from '@followsocket/server'
import { afterEach, describe, expect, it } from 'vitest'
import { doctor, printed, site, type Site } from './support'

// What the doctor says of an endpoint that answers with a refusal the client reads from its
// preflight (docs/diagnosis.md#the-table): come back later, or the credentials. Not "no WebSocket
// here".
const PAGE = 'http://app.example'

let closers: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(closers.map((close) => close()))
  closers = []
})
const open = async (answer: (s: Site) => void) => {
  const s = await site()
  answer(s)
  closers.push(() => s.close())
  return s
}

describe('followsocket doctor, an endpoint that answers a refusal (docs/diagnosis.md#the-table)', () => {
  it('503 + Retry-After from createComeBackLater: come back later, readable cross-origin, no endpoint fix', async () => {
    const later = createComeBackLater({ retryAfter: 30, origins: [PAGE] })
    const s = await open((s) => {
      s.get = (req, res) => {
        later.request(req, res)
        return true
      }
      s.upgrade = (req, socket) => {
        later.upgrade(req, socket)
        return true
      }
    })
    const run = await doctor('doctor', s.ws('/live'), '--origin', PAGE)
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(
      `fails with HANDSHAKE_FAILED at upgrade hop 1: ${s.ws('/live')} asks clients to come back later: 503 with Retry-After: 30`,
    )
    expect(run.stdout).toContain(
      'reads the 503 and the Retry-After from its preflight GET and waits that long, plus its own back-off',
    )
    expect(run.stdout).not.toContain('no WebSocket at')
    expect(run.stdout).not.toContain('proxy_set_header Upgrade')
    expect(run.stdout).not.toContain('use_backend')
    expect(run.stdout).not.toContain('reverse_proxy')
  })

  it('503 + Retry-After a page of another origin cannot read: says so, and how to expose it', async () => {
    const s = await open((s) => {
      s.get = (_req, res) => {
        res.writeHead(503, { 'retry-after': '30', 'access-control-allow-origin': PAGE, vary: 'Origin' }).end()
        return true
      }
      s.upgrade = (_req, socket) => {
        socket.end('HTTP/1.1 503 Service Unavailable\r\nRetry-After: 30\r\nContent-Length: 0\r\n\r\n')
        return true
      }
    })
    const run = await doctor('doctor', s.ws('/live'), '--origin', PAGE)
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(
      `a page at ${PAGE} may read it only when the answer says Access-Control-Expose-Headers: Retry-After`,
    )
    expect(run.stdout).toContain(`createComeBackLater({ retryAfter: 30, origins: ['${PAGE}'] })`)
    expect(run.stdout).toContain('add_header Access-Control-Expose-Headers Retry-After always;')
    const haproxy = [
      '# in the frontend:',
      '    http-after-response set-header Access-Control-Expose-Headers Retry-After',
    ]
    const caddy = ['# in the site block:', '\theader Access-Control-Expose-Headers Retry-After']
    expect(run.stdout).toContain(printed('HAProxy', haproxy))
    expect(run.stdout).toContain(printed('Caddy', caddy))
  })

  it('401 to the GET and the upgrade: the credentials are refused, and a token goes in the URL', async () => {
    const s = await open((s) => {
      s.get = (_req, res) => {
        res.writeHead(401, { 'access-control-allow-origin': '*' }).end()
        return true
      }
      s.upgrade = (_req, socket) => {
        socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n')
        return true
      }
    })
    const run = await doctor('doctor', s.ws('/live'), '--origin', PAGE)
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(
      `fails with HANDSHAKE_FAILED at upgrade hop 1: ${s.ws('/live')} refuses the credentials: it answers the GET and the upgrade with 401`,
    )
    expect(run.stdout).toContain('carry a token in the URL (a url function runs before every attempt) or in a cookie')
    expect(run.stdout).not.toContain('no WebSocket at')
  })
})
