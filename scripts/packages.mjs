// Checks each package as npm users meet it, so that a wrong exports map or missing types is found
// here before a user finds it: `npm pack`, then publint (the exports map, files, fields) and
// arethetypeswrong (types for import and require under node16 and bundler resolution), and no
// `workspace:` range left in what npm would install (npm refuses it). Prints one ✓/✗ line per
// package, and one for the declarations in a Node-only TypeScript project (no DOM lib).
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const bin = (name) => join(root, 'node_modules/.bin', name)
const PACKAGES = ['core', 'server', 'react', 'vue', 'devtools', 'create-followsocket']
// The devtools are ESM only (a panel for browsers, whose bundlers import ESM): attw's 'esm-only'
// profile does not ask them for a require() entry. The rest ship both.
const ATTW_PROFILE = { devtools: 'esm-only' }

let failed = 0
const out = mkdtempSync(join(tmpdir(), 'fs-pack-'))
const tarballs = {}
try {
  for (const name of PACKAGES) {
    const dir = join(root, 'packages', name)
    const { name: npmName, exports } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
    const problems = []
    try {
      const file = execFileSync('npm', ['pack', '--pack-destination', out, '--silent'], { cwd: dir, encoding: 'utf8' })
        .trim()
        .split('\n')
        .pop()
      const tarball = join(out, file)
      tarballs[npmName] = tarball
      const packed = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }))
      for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies'])
        for (const [name, range] of Object.entries(packed[field] ?? {}))
          if (range.startsWith('workspace:'))
            problems.push(`${field}: ${name} is ${range}, which npm cannot install: give a version range`)
      try {
        execFileSync(bin('publint'), [tarball, '--strict'], { cwd: dir, encoding: 'utf8', stdio: 'pipe' })
      } catch (error) {
        problems.push(`publint: ${(error.stdout || error.message).trim()}`)
      }
      // A command only (create-followsocket) has no module entries for attw to check.
      if (exports) {
        try {
          // node10 cannot resolve subpath exports at all; node16 and bundlers are what users run.
          execFileSync(bin('attw'), [tarball, '--profile', ATTW_PROFILE[name] ?? 'node16', '--format', 'ascii'], {
            encoding: 'utf8',
            stdio: 'pipe',
          })
        } catch (error) {
          problems.push(`attw: ${(error.stdout || error.message).trim()}`)
        }
      }
      // What `changeset publish` would send, short of sending it (no login needed, no registry
      // reached): the tarball, its name and version, and public access for a scoped package.
      try {
        const said = execFileSync('npm', ['publish', '--dry-run', tarball], {
          cwd: out,
          encoding: 'utf8',
          stdio: 'pipe',
        })
        if (!said.includes(`${npmName}@`) && !said.includes('dry-run'))
          problems.push(`npm publish --dry-run: ${said.trim()}`)
      } catch (error) {
        problems.push(`npm publish --dry-run: ${(error.stderr || error.message).trim()}`)
      }
      if (npmName.startsWith('@') && packed.publishConfig?.access !== 'public')
        problems.push('a scoped package is published restricted unless publishConfig.access is "public"')
    } catch (error) {
      problems.push(`npm pack: ${error.message}`)
    }
    if (problems.length) failed++
    console.log(
      `${problems.length ? '✗' : '✓'} ${npmName} packs clean (publint${exports ? ', arethetypeswrong' : ''}, no workspace: ranges, npm publish --dry-run)`,
    )
    for (const problem of problems) console.log(problem.replace(/^/gm, '    '))
  }
  failed += nodeOnlyTypes() ? 0 : 1
  failed += versionsAgree() ? 0 : 1
} finally {
  rmSync(out, { recursive: true, force: true })
}
process.exit(failed ? 1 : 0)

/**
 * A Node-only TypeScript project (lib ES2022 without "dom", skipLibCheck off) that imports every
 * entry of followsocket and @followsocket/server from the packed tarballs, as npm installs them;
 * their dependencies come from the workspace (no registry here).
 */
function nodeOnlyTypes() {
  const project = join(out, 'node-only')
  const modules = join(project, 'node_modules')
  const unpack = (name) => {
    const dir = join(modules, name)
    mkdirSync(dir, { recursive: true })
    execFileSync('tar', ['-xzf', tarballs[name], '-C', dir, '--strip-components=1'])
  }
  const link = (name, from) => {
    mkdirSync(dirname(join(modules, name)), { recursive: true })
    symlinkSync(join(root, from, 'node_modules', name), join(modules, name))
  }
  let problem = ''
  try {
    unpack('followsocket')
    unpack('@followsocket/server')
    link('mitt', 'packages/core')
    link('zod', 'packages/server')
    link('@types/node', '.')
    writeFileSync(join(project, 'package.json'), '{ "type": "module" }')
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2022'],
          types: ['node'],
          module: 'node16',
          strict: true,
          skipLibCheck: false,
          noEmit: true,
        },
        files: ['index.ts'],
      }),
    )
    writeFileSync(
      join(project, 'index.ts'),
      [
        "export * from 'followsocket'",
        "export { FollowWebSocket } from 'followsocket/websocket'",
        "export { createStore } from 'followsocket/store'",
        "export * from '@followsocket/server'",
      ].join('\n'),
    )
    execFileSync(bin('tsc'), ['-p', project], { encoding: 'utf8', stdio: 'pipe' })
  } catch (error) {
    problem = (error.stdout || error.message).trim()
  }
  console.log(
    `${problem ? '✗' : '✓'} the declarations type-check in a Node-only project (lib ES2022, no DOM, skipLibCheck off)`,
  )
  if (problem) console.log(problem.replace(/^/gm, '    '))
  return !problem
}

/**
 * What points at our own packages by version must match them: every range for a workspace
 * package in a package.json (the packages and the example apps, which create-followsocket copies
 * out) must admit its current version, and every unpkg URL of the <script> build must name a
 * version it serves. Caught here, a release that bumps a version cannot leave an app installing
 * the previous one.
 */
function versionsAgree() {
  const ours = Object.fromEntries(
    PACKAGES.map((name) => JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8'))).map((p) => [
      p.name,
      p.version,
    ]),
  )
  const parts = (version) => version.split('.').map(Number)
  // A caret range (^1.2.3 admits 1.x from 1.2.3; ^0.2.3 admits 0.2.x from 0.2.3), or an exact version.
  const admits = (range, version) => {
    const [v, w] = [parts(version), parts(range.replace(/^\^/, ''))]
    const fixed = !range.startsWith('^') ? 3 : w[0] > 0 ? 1 : 2
    // Compared part by part, the first that differs decides: at least the range's own version.
    const atLeast = (v[0] - w[0] || v[1] - w[1] || v[2] - w[2]) >= 0
    return atLeast && v.slice(0, fixed).every((n, i) => n === w[i])
  }
  const problems = []
  const files = execFileSync('git', ['ls-files', '*package.json', '*.html', '*.md'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8')
    if (file.endsWith('package.json')) {
      const json = JSON.parse(text)
      for (const field of ['dependencies', 'devDependencies', 'peerDependencies'])
        for (const [name, range] of Object.entries(json[field] ?? {}))
          if (ours[name] && !range.startsWith('workspace:') && !admits(range, ours[name]))
            problems.push(`${file}: ${field}.${name} is ${range}, which does not admit ${ours[name]}`)
    }
    // unpkg serves followsocket@0.1 as the newest 0.1.x: the URL's version must be a prefix of ours.
    for (const [, version] of text.matchAll(/unpkg\.com\/followsocket@([\w.-]+)\//g))
      if (!`${ours.followsocket}.`.startsWith(`${version}.`))
        problems.push(`${file}: unpkg.com/followsocket@${version} does not serve ${ours.followsocket}`)
  }
  const exported = /export const version = '([^']*)'/.exec(
    readFileSync(join(root, 'packages/core/src/index.ts'), 'utf8'),
  )?.[1]
  if (exported !== ours.followsocket)
    problems.push(
      `packages/core/src/index.ts: version is ${exported}, the package is ${ours.followsocket} (npm run release:version syncs it)`,
    )
  for (const [name, version] of Object.entries(ours))
    if (version !== ours.followsocket)
      problems.push(`${name} is ${version}: the packages share one version (.changeset/config.json, fixed)`)
  console.log(
    `${problems.length ? '✗' : '✓'} ranges and CDN URLs for our own packages match their versions (followsocket ${ours.followsocket})`,
  )
  for (const problem of problems) console.log(`    ${problem}`)
  return !problems.length
}
