// What a user does, for each template, in a folder outside the repository: run the packed
// create-followsocket, install the app with npm from the packed followsocket packages (nothing is
// published from here), build it, serve dist/ and drive it in Chromium against the demo's feed:
// it connects, follows a 4308 move, and counts down while the feed is down. Offline, as CI is
// past its one install (packed.ts).
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { extname, join, normalize, resolve } from 'node:path'
import { APPS, expect, test } from '../../../e2e/fixtures'
import { offline, offlineNpm, packAll, sh, unpack, type Tarballs } from './packed'

let work: string
/** npm name → the packed tarball. */
let tarballs: Tarballs
/** The packed followsocket, unpacked: what unpkg would serve. */
let cdn: string

test.beforeAll(async () => {
  test.setTimeout(60_000)
  work = mkdtempSync(join(tmpdir(), 'followsocket-create-'))
  tarballs = packAll(join(work, 'packs'))
  cdn = unpack(tarballs.followsocket, join(work, 'cdn'))
})
test.afterAll(() => work && rmSync(work, { recursive: true, force: true }))

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' }

/** dist/ on a port of its own: another origin than the demo's, as a deployed app would be. */
async function serve(dir: string): Promise<{ origin: string; server: Server }> {
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    const file = normalize(join(dir, path.endsWith('/') ? `${path}index.html` : path))
    if (!file.startsWith(dir)) return void res.writeHead(403).end()
    try {
      res
        .writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
        .end(await readFile(file))
    } catch {
      res.writeHead(404).end()
    }
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as { port: number }
  return { origin: `http://127.0.0.1:${port}`, server }
}

/** host + path, as the banner names a place. */
const place = (url: string) => `${new URL(url).host}${new URL(url).pathname}`
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`

for (const template of APPS) {
  test(`npm create followsocket -- --template ${template}: installs from the packed packages, builds, connects, follows a 4308 move, counts down while the feed is down`, async ({
    demo,
    control,
    open,
    page,
  }) => {
    test.setTimeout(120_000)
    const dir = join(work, template)
    mkdirSync(dir)
    const create = unpack(tarballs['create-followsocket'], join(dir, 'create-followsocket'))
    const out = sh(process.execPath, [join(create, 'dist/index.js'), 'my-app', '--template', template], dir, {
      npm_config_user_agent: 'npm/11 node/v22',
    })
    expect(out).toContain('\n  cd my-app\n  npm install && npm run dev\n')
    const app = join(dir, 'my-app')
    const files = readdirSync(app, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name).slice(app.length + 1))
      .sort()
    expect(files).toContain('.gitignore')

    offline(app, template, tarballs)
    const npm = offlineNpm(dir)
    let since = performance.now()
    sh('npm', ['install', '--offline', '--no-audit', '--no-fund'], app, npm)
    const install = seconds(since)
    since = performance.now()
    sh('npm', ['run', 'build'], app, npm)
    const build = seconds(since)
    console.log(`${template}: created ${files.join(', ')}; npm install ${install}, npm run build ${build}`)

    // The vanilla page's <script> builds come from unpkg: here, from the packed followsocket.
    const fromCdn: string[] = []
    await page.route(/^https:\/\/unpkg\.com\/followsocket@0\.1\/dist\//, async (route) => {
      const path = new URL(route.request().url()).pathname.replace(/^\/followsocket@0\.1\//, '')
      fromCdn.push(path)
      await route.fulfill({ path: resolve(cdn, path), contentType: 'text/javascript' })
    })
    const { origin, server } = await serve(join(app, 'dist'))
    try {
      const at = `${origin}/?feed=${encodeURIComponent(demo.live.v1)}`
      const chat = await open(template, at)
      await expect(chat.state).toHaveText('open')
      await expect(chat.where).toHaveText(demo.live.v1)
      expect(fromCdn).toEqual(template === 'vanilla' ? ['dist/followsocket.iife.js'] : [])
      if (template === 'vanilla') {
        // The tabs toggle loads the second <script> build from the same place.
        // The toggle reloads the page, which ticks the box only once its script ran: click(), not
        // check(), which could see it unticked after the reload and click again.
        await chat.page.getByRole('checkbox', { name: 'Share one connection across tabs' }).click()
        await expect(chat.page.getByRole('checkbox', { name: 'Share one connection across tabs' })).toBeChecked()
        await expect(chat.page.getByTestId('role')).toHaveText('· this tab holds the socket')
        await expect(chat.state).toHaveText('open')
        expect(fromCdn).toContain('dist/followsocket-tabs.iife.js')
      }

      await control('move')
      await control('move-clients?spreadMs=0')
      await expect(chat.where).toHaveText(demo.live.v2)
      await expect(chat.banner).toContainText(`The live feed moved to ${place(demo.live.v2)}. You are connected there.`)
      await expect(chat.state).toHaveText('open')

      await control('down?seconds=3')
      await expect(chat.state).toHaveText('reconnecting')
      await expect(chat.banner).toContainText(/Reconnecting in \d+ s\./)
      await expect(chat.retryNow).toBeVisible()
      console.log(
        `${template}: open at ${demo.live.v1}, followed the 4308 to ${demo.live.v2}, counted down ("Reconnecting in N s.", Retry now) while the feed was down`,
      )
    } finally {
      await new Promise((done) => server.close(done))
    }
  })
}
