// Format and lint (biome.json): the tree as Biome formats it, and the rules that keep the code
// plain (eqeqeq, no comma operator, no assignment inside an expression). One ✓/✗ line for the
// test summary; Biome's own report below a ✗ says what to change (`npx biome check --write .`
// fixes the formatting).
import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const { status, stdout, stderr } = spawnSync(resolve(root, 'node_modules/.bin/biome'), ['ci', '.', '--colors=off'], {
  cwd: root,
  encoding: 'utf8',
})
const summary = `${stdout}${stderr}`
  .trim()
  .split('\n')
  .filter((line) => line.startsWith('Checked'))
  .join(' ')
console.log(`${status === 0 ? '✓' : '✗'} formatted and lint-clean (biome ci${summary ? `: ${summary}` : ''})`)
if (status !== 0) console.log(`${stdout}${stderr}`.replace(/^/gm, '    '))
process.exit(status === 0 ? 0 : 1)
