// After `changeset version` (npm run release:version): carries the packages' new version to the
// places that name it outside their package.json files, which changesets does not touch: the
// example apps' ranges (they are create-followsocket's templates, copied out as they are), the
// core's `version` export, unpkg URLs in the docs and the tarball names in the README.
// scripts/packages.mjs fails when any of these disagree with the packages.
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const read = (file) => readFileSync(join(root, file), 'utf8')
const { version } = JSON.parse(read('packages/core/package.json'))
const ours = [
  'followsocket',
  '@followsocket/server',
  '@followsocket/react',
  '@followsocket/vue',
  '@followsocket/devtools',
]
const [major, minor] = version.split('.')

const rewrite = (file, change) => {
  const before = read(file)
  const after = change(before)
  if (after !== before) {
    writeFileSync(join(root, file), after)
    console.log(`› ${file}`)
  }
}

for (const app of ['examples/react', 'examples/vue', 'examples/vanilla', 'examples/server'])
  rewrite(`${app}/package.json`, (text) => {
    const json = JSON.parse(text)
    for (const field of ['dependencies', 'devDependencies'])
      for (const name of ours)
        if (json[field]?.[name] && !json[field][name].startsWith('workspace:')) json[field][name] = `^${version}`
    return `${JSON.stringify(json, null, 2)}\n`
  })

rewrite('packages/core/src/index.ts', (text) =>
  text.replace(/export const version = '[^']*'/, `export const version = '${version}'`),
)

const docs = execFileSync('git', ['ls-files', '*.md', '*.html'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter((f) => f && !f.startsWith('.changeset/') && !f.endsWith('CHANGELOG.md'))
for (const file of docs)
  rewrite(file, (text) =>
    text
      .replace(/unpkg\.com\/followsocket@[\d.]+\//g, `unpkg.com/followsocket@${major}.${minor}/`)
      .replace(/((?:create-)?followsocket(?:-(?:server|react|vue|devtools))?-)\d+\.\d+\.\d+(\.tgz)/g, `$1${version}$2`),
  )
console.log(`versions: everything names ${version}`)
