// Every relative link in every README resolves: the file (or folder) exists, and an anchor names
// a heading of the file it points to (a folder's README.md), slugged as GitHub does. Prints one
// ✓/✗ line per README; exits 1 on a dead link.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { anchors } from './anchors.mjs'

const root = resolve(import.meta.dirname, '..')
const readmes = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*README.md'], {
  cwd: root,
  encoding: 'utf8',
})
  .split('\n')
  .filter(Boolean)

let dead = 0
for (const readme of readmes) {
  const file = join(root, readme)
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '')
  const problems = []
  for (const [, target] of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    if (/^[a-z]+:/i.test(target)) continue
    const [path, anchor] = target.split('#')
    let to = path ? resolve(dirname(file), path) : file
    if (!existsSync(to)) {
      problems.push(`${target}: no such file`)
      continue
    }
    if (statSync(to).isDirectory()) to = join(to, 'README.md')
    if (anchor && !(existsSync(to) && anchors(to).has(anchor)))
      problems.push(`${target}: no heading #${anchor} in ${relative(root, to)}`)
  }
  dead += problems.length
  console.log(`${problems.length ? '✗' : '✓'} ${readme}: every relative link resolves`)
  for (const problem of problems) console.log(`    ${problem}`)
}
process.exit(dead ? 1 : 0)
