// What a user does, for each template, in a folder outside the repository: run the packed
// create-followsocket, install the app with npm from the packed followsocket packages (nothing is
// published from here), build it, serve dist/ and drive it in Chromium against the demo's feed:
// it connects, follows a 4308 move, and counts down while the feed is down.
//
// Offline, as CI is past its one install: our packages come from `npm pack`, every other
// dependency (react, vue, vite, zod, …) from the workspace's own install, by path; npm runs with
// --offline, an empty cache and a registry nobody listens on.
import { execFileSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { extname, join, normalize, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { APPS, expect, test, type AppName } from '../../../e2e/fixtures'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const OURS = {
  followsocket: 'packages/core',
  '@followsocket/react': 'packages/react',
  '@followsocket/vue': 'packages/vue',
  '@followsocket/devtools': 'packages/devtools',
} as const
type Ours = keyof typeof OURS

let work: string
/** npm name → the packed tarball. */
const tarballs = {} as Record<Ours | 'create-followsocket', string>
/** The packed followsocket, unpacked: what unpkg would serve. */
let cdn: string

const sh = (command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) =>
  execFileSync(command, args, { cwd, encoding: 'utf8', stdio: 'pipe', env: { ...process.env, ...env } })

const unpack = (tarball: string, into: string) => {
  mkdirSync(into, { recursive: true })
  sh('tar', ['-xzf', tarball, '-C', into, '--strip-components=1'], work)
  return into
}

test.beforeAll(async () => {
  test.setTimeout(60_000)
  work = mkdtempSync(join(tmpdir(), 'followsocket-create-'))
  const packs = join(work, 'packs')
  // The README's way to the tarballs (npm run pack), on what npm test has built: --prebuilt packs
  // without rebuilding, which would empty the core's dist/ under the tests running beside this
  // one (it refuses a package that is not built). Only create-followsocket is built again, which
  // nothing else here reads: its templates/ from examples/ as they are now.
  sh('npm', ['run', 'build', '--silent'], join(root, 'packages/create-followsocket'))
  sh(process.execPath, ['scripts/pack.mjs', packs, '--prebuilt'], root, { npm_config_offline: 'true' })
  const packages: [keyof typeof tarballs, string][] = [
    ...(Object.entries(OURS) as [Ours, string][]),
    ['create-followsocket', 'packages/create-followsocket'],
  ]
  for (const [name, dir] of packages) {
    // npm's file name: @followsocket/react 0.1.0 → followsocket-react-0.1.0.tgz
    const { version } = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'))
    tarballs[name] = join(packs, `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`)
  }
  cdn = unpack(tarballs.followsocket, join(work, 'cdn'))
})
test.afterAll(() => work && rmSync(work, { recursive: true, force: true }))

/** The workspace's installed copy of a package, by its real path in pnpm's store. */
const installed = (name: string, from: string) => {
  for (const dir of [from, root]) {
    const path = join(dir, 'node_modules', name)
    if (existsSync(path)) return realpathSync(path)
  }
  throw new Error(`${name} is not installed in ${from} nor at the workspace root`)
}

/**
 * Points the app's dependencies at the packed tarballs (ours) and the workspace's installed
 * copies (the rest), and the dependencies of our packages that the app does not list (mitt) too.
 */
function offline(app: string, template: AppName) {
  const file = join(app, 'package.json')
  const manifest = JSON.parse(readFileSync(file, 'utf8'))
  const local = (name: string) =>
    name in OURS ? `file:${tarballs[name as Ours]}` : `file:${installed(name, join(root, 'examples', template))}`
  for (const field of ['dependencies', 'devDependencies'])
    for (const name of Object.keys(manifest[field] ?? {})) manifest[field][name] = local(name)
  const listed = new Set(Object.keys({ ...manifest.dependencies, ...manifest.devDependencies }))
  manifest.overrides = {}
  for (const [name, dir] of Object.entries(OURS)) {
    if (!listed.has(name)) continue
    for (const dependency of Object.keys(
      JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')).dependencies ?? {},
    ))
      if (!listed.has(dependency) && !(dependency in OURS))
        manifest.overrides[dependency] = `file:${installed(dependency, join(root, dir))}`
  }
  writeFileSync(file, JSON.stringify(manifest, null, 2))
}

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

    offline(app, template)
    const npm = {
      npm_config_offline: 'true',
      npm_config_cache: join(dir, 'npm-cache'),
      npm_config_registry: 'http://127.0.0.1:9/',
      npm_config_update_notifier: 'false',
    }
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
