// Checks each package as npm users meet it (STYLE: "Check the package as npm users meet it"):
// `npm pack`, then publint (the exports map, files, fields) and arethetypeswrong (types for
// import and require under node16 and bundler resolution), and no `workspace:` range left in what
// npm would install (npm refuses it). Prints one ✓/✗ line per package, and one for the
// declarations in a Node-only TypeScript project (no DOM lib).
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const bin = (name) => join(root, 'node_modules/.bin', name)
const PACKAGES = ['core', 'server', 'react', 'vue', 'create-followsocket']

let failed = 0
const out = mkdtempSync(join(tmpdir(), 'fs-pack-'))
const tarballs = {}
try {
  for (const name of PACKAGES) {
    const dir = join(root, 'packages', name)
    const { name: npmName, exports } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
    const problems = []
    try {
      const file = execFileSync('npm', ['pack', '--pack-destination', out, '--silent'], { cwd: dir, encoding: 'utf8' }).trim().split('\n').pop()
      const tarball = join(out, file)
      tarballs[npmName] = tarball
      const packed = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }))
      for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies'])
        for (const [name, range] of Object.entries(packed[field] ?? {}))
          if (range.startsWith('workspace:')) problems.push(`${field}: ${name} is ${range}, which npm cannot install: give a version range`)
      try {
        execFileSync(bin('publint'), [tarball, '--strict'], { cwd: dir, encoding: 'utf8', stdio: 'pipe' })
      } catch (error) {
        problems.push(`publint: ${(error.stdout || error.message).trim()}`)
      }
      // A command only (create-followsocket) has no module entries for attw to check.
      if (exports) {
        try {
          // node10 cannot resolve subpath exports at all; node16 and bundlers are what users run.
          execFileSync(bin('attw'), [tarball, '--profile', 'node16', '--format', 'ascii'], { encoding: 'utf8', stdio: 'pipe' })
        } catch (error) {
          problems.push(`attw: ${(error.stdout || error.message).trim()}`)
        }
      }
    } catch (error) {
      problems.push(`npm pack: ${error.message}`)
    }
    if (problems.length) failed++
    console.log(`${problems.length ? '✗' : '✓'} ${npmName} packs clean (publint${exports ? ', arethetypeswrong' : ''}, no workspace: ranges)`)
    for (const problem of problems) console.log(problem.replace(/^/gm, '    '))
  }
  failed += nodeOnlyTypes() ? 0 : 1
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
      JSON.stringify({ compilerOptions: { target: 'ES2022', lib: ['ES2022'], types: ['node'], module: 'node16', strict: true, skipLibCheck: false, noEmit: true }, files: ['index.ts'] }),
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
  console.log(`${problem ? '✗' : '✓'} the declarations type-check in a Node-only project (lib ES2022, no DOM, skipLibCheck off)`)
  if (problem) console.log(problem.replace(/^/gm, '    '))
  return !problem
}
