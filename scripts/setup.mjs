// What both quick-start commands need on a fresh machine with only Node 20+: pnpm (pinned,
// through npx because corepack cannot verify registry signatures here), the workspace's
// dependencies, the built packages, and (for tests) a Chromium.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { chromiumPath } from './browser.mjs'

export const root = resolve(import.meta.dirname, '..')
const { packageManager } = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'))

export const run = (command, args, options = {}) =>
  execFileSync(command, args, { cwd: root, stdio: 'inherit', ...options })

export const pnpm = (...args) => run('npx', ['-y', packageManager, ...args])

export const bin = (name) => resolve(root, 'node_modules/.bin', name)

export function install() {
  console.log(`› installing dependencies with ${packageManager}`)
  // The install is the one step that reads the registry, and the registry sometimes answers a
  // lookup with a 404 that passes on a second try: try three times before giving up.
  for (let attempt = 1; ; attempt++) {
    try {
      return pnpm('install', '--frozen-lockfile', '--prefer-offline')
    } catch (error) {
      if (attempt === 3) throw error
      console.log(`› install failed (attempt ${attempt} of 3), trying again`)
    }
  }
}

/**
 * Runs one workspace package's script with npm, which reads no registry to run a script. (Every
 * pnpm command resolves pnpm's own platform builds on the registry first, and that lookup
 * sometimes answers 404: after the install, nothing here may depend on the registry.)
 */
const runScript = (dir, script) => {
  console.log(`› ${dir}: ${script}`)
  run('npm', ['run', script, '--silent'], { cwd: resolve(root, dir) })
}

/**
 * The packages we publish, in the order they build: the core first, then everything that builds
 * on it. (Not one topological run: the core's tests use @followsocket/server, which depends on
 * the core, so the graph has a cycle.)
 */
export const PACKAGES = [
  'packages/core',
  'packages/server',
  'packages/react',
  'packages/vue',
  'packages/create-followsocket',
  'packages/devtools',
]

export function buildPackages() {
  console.log('› building packages')
  for (const dir of PACKAGES) runScript(dir, 'build')
}

/** The React and Vue example apps (Vite, into their dist/), which the demo serves and e2e/ drives. */
export function buildExamples() {
  console.log('› building the example apps')
  for (const dir of ['examples/react', 'examples/vue']) runScript(dir, 'build')
}

/** Makes sure Playwright has a Chromium; on Debian without one, installs the system package. */
export function ensureBrowser() {
  let path = chromiumPath()
  if (path) return path
  const ownBrowser = (() => {
    try {
      const out = execFileSync(
        process.execPath,
        ['-e', "console.log(require('@playwright/test').chromium.executablePath())"],
        {
          cwd: root,
          encoding: 'utf8',
        },
      ).trim()
      return existsSync(out) ? out : undefined
    } catch {
      return undefined
    }
  })()
  if (ownBrowser) return undefined
  if (existsSync('/usr/bin/apt-get')) {
    console.log('› no Chromium found: installing Debian chromium')
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
    const apt = (...args) =>
      process.getuid?.() === 0 ? run('apt-get', args, { env }) : run('sudo', ['apt-get', ...args], { env })
    apt('update')
    apt('install', '-y', 'chromium')
    path = chromiumPath()
    if (path) return path
  }
  console.log('› no system Chromium: asking Playwright to download its own')
  run(bin('playwright'), ['install', 'chromium'])
  return undefined
}
