// What the tests that create an app outside the repository share: the packages packed as npm
// would publish them, and an app's dependencies pointed at them. Offline, as CI is past its one
// install: our packages come from `npm pack`, every other dependency (react, vue, vite, zod, …)
// from the workspace's own install, by path; npm runs with --offline, an empty cache and a
// registry nobody listens on.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = fileURLToPath(new URL('../../../', import.meta.url))
export const OURS = {
  followsocket: 'packages/core',
  '@followsocket/react': 'packages/react',
  '@followsocket/vue': 'packages/vue',
  '@followsocket/devtools': 'packages/devtools',
} as const
export type Ours = keyof typeof OURS
/** npm name → the packed tarball. */
export type Tarballs = Record<Ours | 'create-followsocket', string>

export const sh = (command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) =>
  execFileSync(command, args, { cwd, encoding: 'utf8', stdio: 'pipe', env: { ...process.env, ...env } })

export const unpack = (tarball: string, into: string) => {
  mkdirSync(into, { recursive: true })
  sh('tar', ['-xzf', tarball, '-C', into, '--strip-components=1'], into)
  return into
}

/**
 * The README's way to the tarballs (npm run pack), into `packs`, on what npm test has built:
 * --prebuilt packs without rebuilding, which would empty the core's dist/ under the tests running
 * beside this one (it refuses a package that is not built). Only create-followsocket is built
 * again, which nothing else here reads: its templates/ from examples/ as they are now.
 */
export function packAll(packs: string): Tarballs {
  sh('npm', ['run', 'build', '--silent'], join(root, 'packages/create-followsocket'))
  sh(process.execPath, ['scripts/pack.mjs', packs, '--prebuilt'], root, { npm_config_offline: 'true' })
  const tarballs = {} as Tarballs
  const packages: [keyof Tarballs, string][] = [
    ...(Object.entries(OURS) as [Ours, string][]),
    ['create-followsocket', 'packages/create-followsocket'],
  ]
  for (const [name, dir] of packages) {
    // npm's file name: @followsocket/react 0.1.0 → followsocket-react-0.1.0.tgz
    const { version } = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'))
    tarballs[name] = join(packs, `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`)
  }
  return tarballs
}

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
export function offline(app: string, template: string, tarballs: Tarballs) {
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

/** npm's settings for an install that reaches no registry, with a cache in `dir`. */
export const offlineNpm = (dir: string): NodeJS.ProcessEnv => ({
  npm_config_offline: 'true',
  npm_config_cache: join(dir, 'npm-cache'),
  npm_config_registry: 'http://127.0.0.1:9/',
  npm_config_update_notifier: 'false',
})

/**
 * `npm create followsocket <folder> -- --template <template>` in `dir`, with the packed command,
 * then `npm install` offline: the new app's folder, and what the command printed.
 */
export function createApp(dir: string, template: string, tarballs: Tarballs, folder = 'my-app') {
  const create = unpack(tarballs['create-followsocket'], join(dir, 'create-followsocket'))
  const out = sh(process.execPath, [join(create, 'dist/index.js'), folder, '--template', template], dir, {
    npm_config_user_agent: 'npm/11 node/v22',
  })
  const app = join(dir, folder)
  offline(app, template, tarballs)
  sh('npm', ['install', '--offline', '--no-audit', '--no-fund'], app, offlineNpm(dir))
  return { app, out }
}
