import { createRedirects } from '@followsocket/server'
import { afterEach, describe, expect, it } from 'vitest'
import { closedPort, doctor, lineWith, printed, rawSite, site, type Site } from './support'

let closers: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(closers.map((close) => close()))
  closers = []
})
const open = async () => {
  const s = await site()
  closers.push(() => s.close())
  return s
}

describe('followsocket doctor, the handshake where the page opens its socket', () => {
  it('fails a final URL that answers the upgrade without 101: HANDSHAKE_FAILED with the status', async () => {
    const s: Site = await open()
    // /v2/live is not an endpoint: GET and upgrade both get 404.
    s.redirects = createRedirects({ rules: { '/v1/live': s.ws('/v2/live') } })
    const run = await doctor('doctor', s.ws('/v1/live'))
    expect(run.code).toBe(1)
    expect(lineWith(run.stdout, `${s.ws('/v2/live')} →`)).toMatch(/^✗ 2 .* → 404/)
    expect(run.stdout).toContain(
      `fails with HANDSHAKE_FAILED at upgrade hop 2: no WebSocket at ${s.ws('/v2/live')}: it answers the upgrade with 404 instead of 101 Switching Protocols`,
    )
    expect(run.stdout).toContain('proxy_set_header Upgrade $http_upgrade;')
    // HAProxy passes the WebSocket to a backend of its own, whose tunnel timeout outlasts an idle socket.
    expect(run.stdout).toContain(
      printed('HAProxy', [
        '# in the frontend:',
        '    use_backend followsocket_ws if { path /v2/live }',
        '# beside it:',
        'backend followsocket_ws',
        '    # An open WebSocket is a tunnel: it may stay idle this long (heartbeats keep it well below).',
        '    timeout tunnel 1h',
        '    # The address of your WebSocket app:',
        '    server app1 127.0.0.1:9001',
      ]),
    )
    expect(run.stdout).toContain(
      printed('Caddy', [
        '# in the site block:',
        '\t# The address of your WebSocket app:',
        '\treverse_proxy /v2/live 127.0.0.1:9001',
      ]),
    )
  })

  it('fails a 101 whose Sec-WebSocket-Accept is wrong: HANDSHAKE_FAILED, expected and received values', async () => {
    const raw = await rawSite((head) => {
      const [, path] = /^GET (\S+)/.exec(head)!
      if (path === '/v1/live')
        return 'HTTP/1.1 308 Permanent Redirect\r\nLocation: /v2/live\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'
      if (!/^upgrade: websocket/im.test(head))
        return 'HTTP/1.1 426 Upgrade Required\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'
      // The accept value of RFC 6455's example key, whatever key was sent.
      return 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n'
    })
    closers.push(() => raw.close())
    const run = await doctor('doctor', raw.url('/v1/live'))
    expect(run.code).toBe(1)
    expect(lineWith(run.stdout, `${raw.url('/v2/live')} →`)).toMatch(/^✗ 2 .* → 101 · Sec-WebSocket-Accept wrong/)
    expect(run.stdout).toMatch(
      new RegExp(
        `fails with HANDSHAKE_FAILED at upgrade hop 2: no WebSocket at ${raw.url('/v2/live')}: its 101 carries Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK\\+xOo=, but for the key sent it must be [A-Za-z0-9+/]{27}=`,
      ),
    )
  })

  it('fails a redirect to a port where nothing listens: exit 1, connection refused', async () => {
    const s = await open()
    const port = await closedPort()
    s.redirects = createRedirects({ rules: { '/v1/live': `ws://127.0.0.1:${port}/v2/live` }, origins: '*' })
    const run = await doctor('doctor', s.ws('/v1/live'))
    expect(run.code).toBe(1)
    expect(lineWith(run.stdout, `GET http://127.0.0.1:${port}/v2/live`)).toMatch(
      /^✗ 2 .*connection refused: nothing listens on 127\.0\.0\.1:\d+/,
    )
    expect(lineWith(run.stdout, `ws://127.0.0.1:${port}/v2/live →`)).toMatch(/^✗ 2 .*connection refused/)
    expect(run.stdout).toContain(
      `fails with HANDSHAKE_FAILED at preflight hop 2: GET http://127.0.0.1:${port}/v2/live got no answer: connection refused`,
    )
  })
})
