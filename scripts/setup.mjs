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
  // Not --frozen-lockfile: pnpm 12 then insists on recording packageManager in the lockfile,
  // which it cannot do for a version the registry metadata lacks (it warns and continues).
  // That same lookup of pnpm's own builds sometimes gets a 404 from the registry and fails the
  // install: it passes on a second try, so try three times before giving up.
  for (let attempt = 1; ; attempt++) {
    try {
      return pnpm('install', '--prefer-offline')
    } catch (error) {
      if (attempt === 3) throw error
      console.log(`› install failed (attempt ${attempt} of 3), trying again`)
    }
  }
}

export function buildPackages() {
  console.log('› building packages')
  // The core first, then everything that builds on it. (Not one topological `-r` run: the core's
  // tests use @followsocket/server, which depends on the core, and pnpm refuses that cycle.)
  pnpm('--filter', 'followsocket', 'run', 'build')
  pnpm('-r', '--filter', './packages/*', '--filter', '!followsocket', 'run', 'build')
}

/** The React and Vue example apps (Vite, into their dist/), which the demo serves and e2e/ drives. */
export function buildExamples() {
  console.log('› building the example apps')
  pnpm('--filter', './examples/*', 'run', 'build')
}

/** Makes sure Playwright has a Chromium; on Debian without one, installs the system package. */
export function ensureBrowser() {
  let path = chromiumPath()
  if (path) return path
  const ownBrowser = (() => {
    try {
      const out = execFileSync(process.execPath, ['-e', "console.log(require('@playwright/test').chromium.executablePath())"], {
        cwd: root,
        encoding: 'utf8',
      }).trim()
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
