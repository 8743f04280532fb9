// Checks each package as npm users meet it (STYLE: "Check the package as npm users meet it"):
// `npm pack`, then publint (the exports map, files, fields) and arethetypeswrong (types for
// import and require under node16 and bundler resolution). Prints one ✓/✗ line per package.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const bin = (name) => join(root, 'node_modules/.bin', name)
const PACKAGES = ['core', 'server', 'react', 'vue']

let failed = 0
const out = mkdtempSync(join(tmpdir(), 'fs-pack-'))
try {
  for (const name of PACKAGES) {
    const dir = join(root, 'packages', name)
    const { name: npmName } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
    const problems = []
    try {
      const file = execFileSync('npm', ['pack', '--pack-destination', out, '--silent'], { cwd: dir, encoding: 'utf8' }).trim().split('\n').pop()
      const tarball = join(out, file)
      try {
        execFileSync(bin('publint'), [tarball, '--strict'], { cwd: dir, encoding: 'utf8', stdio: 'pipe' })
      } catch (error) {
        problems.push(`publint: ${(error.stdout || error.message).trim()}`)
      }
      try {
        // node10 cannot resolve subpath exports at all; node16 and bundlers are what users run.
        execFileSync(bin('attw'), [tarball, '--profile', 'node16', '--format', 'ascii'], { encoding: 'utf8', stdio: 'pipe' })
      } catch (error) {
        problems.push(`attw: ${(error.stdout || error.message).trim()}`)
      }
    } catch (error) {
      problems.push(`npm pack: ${error.message}`)
    }
    if (problems.length) failed++
    console.log(`${problems.length ? '✗' : '✓'} ${npmName} packs clean (publint, arethetypeswrong)`)
    for (const problem of problems) console.log(problem.replace(/^/gm, '    '))
  }
} finally {
  rmSync(out, { recursive: true, force: true })
}
process.exit(failed ? 1 : 0)
