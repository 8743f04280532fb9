// The README's nginx recipe, run: a real nginx on a runtime port with exactly the two nginx
// blocks of README.md, answering the preflight GET and the upgrade as createRedirects does.
// .ci/run installs nginx (Debian) when it is missing; elsewhere the test is skipped without it.
import { readFileSync } from 'node:fs'
import { NGINX, startNginx, type Nginx } from '@followsocket/lab/nginx'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { get, upgrade } from './server'

// CI installs nginx, so there a missing one is a failure, not a skip.
const run = NGINX || process.env.CI ? describe : describe.skip

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const [httpBlock, serverBlock] = [...readme.matchAll(/```nginx\n([\s\S]*?)```/g)].map((m) => m[1]!)

let nginx: Nginx | undefined

run("the README's nginx recipe", () => {
  beforeAll(async () => {
    nginx = await startNginx(httpBlock!, serverBlock!)
  }, 15000)

  afterAll(() => nginx?.stop())

  const url = (path: string, scheme = 'http') => `${scheme}://127.0.0.1:${nginx!.port}${path}`

  it('answers the preflight GET with 308, the Location with the query kept, and CORS for a listed origin', async () => {
    const answer = await get(url('/v1/live?token=abc'), { origin: 'https://app.example.com' })
    expect(answer.status).toBe(308)
    expect(answer.headers.location).toBe('https://live2.example.com/v2/live?token=abc')
    expect(answer.headers['access-control-allow-origin']).toBe('https://app.example.com')
    expect(answer.headers.vary).toBe('Origin')
  })

  it('admits Origin: null, and redirects an origin not listed without Access-Control-Allow-Origin', async () => {
    expect((await get(url('/v1/live'), { origin: 'null' })).headers['access-control-allow-origin']).toBe('null')
    const refused = await get(url('/v1/live'), { origin: 'https://evil.example.net' })
    expect(refused.status).toBe(308)
    expect(refused.headers.location).toBe('https://live2.example.com/v2/live')
    expect(refused.headers['access-control-allow-origin']).toBeUndefined()
    expect(refused.headers.vary).toBe('Origin')
  })

  it('answers the upgrade with the same status and Location as the GET', async () => {
    const plain = await get(url('/v1/live?token=abc'))
    const handshake = await upgrade(url('/v1/live?token=abc', 'ws'), {}, { untilEnd: false })
    expect(handshake.status).toBe(plain.status)
    expect(handshake.headers.location).toBe(plain.headers.location)
  })
})
