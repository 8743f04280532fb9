// `npm run pack`: every package we publish, as npm would publish it, in one folder (.packs/, or
// the folder given), for apps to install before the packages are on npm (README: "Before the
// packages are on npm"). Installs the dependencies, then packs each package with npm, whose
// `prepack` builds it: the core first, since the rest build against its dist/. Prints the
// tarballs and the line that installs them in an app.
//
//   node scripts/pack.mjs [folder] [--prebuilt]
//
// --prebuilt: no install and no build (npm pack --ignore-scripts); pack what is built. For the
// tests, which run after `npm test` has installed and built everything: rebuilding there would
// empty dist/ under the Playwright tests running beside them.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { install, PACKAGES, root } from './setup.mjs'

const args = process.argv.slice(2)
const prebuilt = args.includes('--prebuilt')
const folder = args.find((arg) => !arg.startsWith('--'))
const into = resolve(folder ?? join(root, '.packs'))

if (!prebuilt) install()
// As in the tests: past the install, nothing reads the registry (building and packing need none).
process.env.npm_config_offline = 'true'

// Our own folder starts empty, so it holds no tarball of an older version; a folder given is the
// caller's, and only gains files.
if (!folder) rmSync(into, { recursive: true, force: true })
mkdirSync(into, { recursive: true })

const manifests = PACKAGES.map((dir) => ({ dir, ...JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) }))
if (prebuilt)
  for (const { dir, files } of manifests) {
    // A `!pattern` names what to leave out, not a file that must be there.
    const missing = files.filter((file) => !file.startsWith('!') && !existsSync(join(root, dir, file)))
    if (missing.length) {
      console.error(`✗ ${dir} has no ${missing.join(', ')}: run npm run build (or npm run pack, which builds)`)
      process.exit(1)
    }
  }

const tarballs = []
for (const { dir, name, version } of manifests) {
  console.log(`› ${dir}: npm pack${prebuilt ? ' (as built)' : ' (its prepack builds it)'}`)
  try {
    execFileSync('npm', ['pack', '--pack-destination', into, '--silent', ...(prebuilt ? ['--ignore-scripts'] : [])], {
      cwd: join(root, dir),
      stdio: ['ignore', 'pipe', 'inherit'],
    })
  } catch (error) {
    process.stdout.write(error.stdout ?? '')
    console.error(`✗ ${name}: npm pack failed in ${dir}`)
    process.exit(1)
  }
  // npm's name for a tarball: the scope's @ dropped, its / turned into -.
  tarballs.push(join(into, `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`))
}

const shown = (file) => (relative(process.cwd(), file).startsWith('..') ? file : relative(process.cwd(), file))
console.log(`\n${tarballs.map((file) => `  ${shown(file)}`).join('\n')}`)
const [core, , react] = tarballs
console.log(
  `\nIn an app, followsocket's tarball beside a binding's (README: "Before the packages are on npm"):\n  npm install ${core} ${react}`,
)
