import { createRedirects } from '@followsocket/server'
import { describe, expect, it } from 'vitest'
import { doctor, lineWith, sitesPerTest } from './support'

const PAGE = 'https://app.example.com'
const open = sitesPerTest()

describe('followsocket doctor, the GET and the upgrade answered alike', () => {
  for (const [status, body] of [
    [404, 'not found'],
    [200, 'the old page'],
  ] as const)
    it(`fails an upgrade redirected where the GET answers ${status}: names the hop, says the GET must be redirected too`, async () => {
      const s = await open()
      const redirects = createRedirects({ rules: { '/v1/live': s.ws('/v2/live') }, origins: [PAGE] })
      // Only the upgrade goes through the redirects: the app answers the GET.
      s.upgrade = (req, socket) => redirects.upgrade(req, socket)
      s.get = (req, res) => {
        if (req.url !== '/v1/live') return false
        res.writeHead(status, { 'access-control-allow-origin': PAGE, vary: 'Origin' }).end(body)
        return true
      }
      s.endpoint('/v2/live')
      const run = await doctor('doctor', s.ws('/v1/live'), '--origin', PAGE)
      expect(run.code).toBe(1)
      expect(lineWith(run.stdout, `GET ${s.http('/v1/live')}`)).toMatch(new RegExp(`^✗ 1 GET .* → ${status} `))
      expect(run.stdout).toContain(
        `fails with HANDSHAKE_FAILED at preflight hop 1: ${s.http('/v1/live')}: the upgrade is redirected (308 → ${s.ws('/v2/live')}) but the GET is not (${status}): the GET must be redirected too`,
      )
      expect(run.stdout).toContain(`\n    Location: ${s.http('/v2/live')}\n`)
      expect(run.stdout).toContain("server.on('request', (req, res) => redirects.request(req, res) || app(req, res))")
      expect(run.stdout).toContain(`return 308 ${s.http('/v2/live')}$is_args$args;`)
      // HAProxy's and Caddy's lines redirect both requests, the upgrade to the ws: Location.
      const upgradeLocation = `location "${s.ws('/v2/live')}%[url,regsub(^[^?]*,)]"`
      expect(run.stdout).toContain(`${upgradeLocation} if followsocket_moved followsocket_upgrade\n`)
      expect(run.stdout).toContain(`\tredir @moved_upgrade ${s.ws('/v2/live')}{followsocket_query} 308\n`)
      expect(run.stdout).toContain(`\tredir @moved ${s.http('/v2/live')}{followsocket_query} 308\n`)
    })

  it('flags a GET and an upgrade that redirect to different places, naming the hop', async () => {
    const s = await open()
    const toV2 = createRedirects({ rules: { '/v1/live': s.ws('/v2/live') }, origins: [PAGE] })
    const toV3 = createRedirects({ rules: { '/v1/live': s.ws('/v3/live') } })
    s.get = (req, res) => toV2.request(req, res)
    s.upgrade = (req, socket) => toV3.upgrade(req, socket)
    s.endpoint('/v2/live')
    s.endpoint('/v3/live')
    const run = await doctor('doctor', s.ws('/v1/live'), '--origin', PAGE)
    // A page still connects (where the GET points), so the exit status says so; the mismatch is flagged.
    expect(run.code).toBe(0)
    expect(lineWith(run.stdout, `${s.ws('/v1/live')} → 308`)).toMatch(/^! 1 /)
    expect(run.stdout).toContain(
      `! upgrade hop 1: the GET of ${s.http('/v1/live')} redirects to ${s.http('/v2/live')} but the upgrade to ${s.ws('/v3/live')}`,
    )
    expect(run.stdout).toContain(`the WebSocket opens at ${s.ws('/v2/live')}`)
  })
})
