// The nginx lines the doctor suggests, pasted into a real nginx, make the doctor pass: the
// snippet is checked as a user would use it, not only as text. .ci/run installs nginx (Debian);
// elsewhere the test is skipped without it.
import { createRedirects } from '@followsocket/server'
import { NGINX, startNginx, type Nginx } from '@followsocket/lab/nginx'
import { afterAll, describe, expect, it } from 'vitest'
import { doctor, site, type Site } from './support'

// CI installs nginx, so there a missing one is a failure, not a skip.
const run = NGINX || process.env.CI ? describe : describe.skip
const PAGE = 'https://app.example.com'

let nginx: Nginx | undefined
const sites: Site[] = []

run('followsocket doctor, its nginx fix in a real nginx', () => {
  afterAll(async () => {
    await nginx?.stop()
    await Promise.all(sites.map((s) => s.close()))
  })

  it('takes the map and location it suggests for an Origin: null hop, and then passes', async () => {
    const open = async () => sites[sites.push(await site()) - 1]!
    // A → B → C, where C's /v2/live admits only the page: the hop that gets Origin: null.
    const b = await open()
    const c = await open()
    b.redirects = createRedirects({ rules: { '/v1/live': c.ws('/v2/live') }, origins: [PAGE] })
    c.redirects = createRedirects({ rules: { '/v2/live': c.ws('/v3/live') }, origins: [PAGE] })
    c.endpoint('/v3/live', [PAGE, 'null'])
    const before = await doctor('doctor', b.ws('/v1/live'), '--origin', PAGE, '--json')
    expect(before.code).toBe(1)
    const fix: string = JSON.parse(before.stdout).findings[0].fix.nginx
    const [http, server] = fix.split('# in server { }:\n') as [string, string]
    expect(http).toContain('map $http_origin $followsocket_cors')

    // nginx now answers /v2/live with exactly those lines, and B sends pages there.
    nginx = await startNginx(http.replace('# in http { }:\n', ''), server)
    const { port } = nginx
    b.redirects = createRedirects({ rules: { '/v1/live': `ws://127.0.0.1:${port}/v2/live` }, origins: [PAGE] })
    const after = await doctor('doctor', b.ws('/v1/live'), '--origin', PAGE)
    expect(after.stdout).toContain(
      `GET http://127.0.0.1:${port}/v2/live → 308 ${c.http('/v3/live')} · Origin: null, Access-Control-Allow-Origin: null`,
    )
    expect(after.stdout).toContain(`✓ A browser page at ${PAGE} connects after 2 preflights`)
    expect(after.code).toBe(0)
  })
})
