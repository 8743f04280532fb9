// Every reference to a design note (or any other Markdown file of the repository) resolves, and
// nothing cites a document a clone does not have. Scans the files git knows (tracked and new, not
// ignored: so no node_modules, dist or .reports) for:
// - paths to Markdown files, `docs/moves.md` or `docs/failure-path.md#pacing`: the file must
//   exist (from the repository root, or from the citing file for ./ and ../ paths) and an anchor
//   must name one of its headings, slugged as GitHub does (docs/README.md, "Citing a note");
// - relative Markdown links in the notes and other .md files that are not READMEs (links.mjs
//   checks those): `[pacing](failure-path.md#pacing)`;
// - a citation of the product spec or the style guides by name, which live outside the
//   repository, and a bare section sign that is not an RFC's (`§9` where `RFC 6455 §7.4` is fine).
// Prints one ✓/✗ line per file that cites anything; exits 1 on a problem.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { anchors } from './anchors.mjs'

const root = resolve(import.meta.dirname, '..')
const TEXT = /\.(?:[cm]?[jt]sx?|vue|md|html|json|ya?ml|sh|css|cfg|conf|toml)$/
const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
  cwd: root,
  encoding: 'utf8',
})
  .split('\n')
  .filter((file) => TEXT.test(file) && !/(^|\/)(node_modules|dist|\.reports)\//.test(file))
  // Its own patterns and comments would match.
  .filter((file) => file !== 'scripts/refs.mjs' && existsSync(join(root, file)))
  .sort()

// A path with at least one folder, ending in .md, not inside a URL or a longer path.
const PATH = /(?<![\w@/.:-])((?:\.\.?\/)*(?:[\w.-]+\/)+[\w.-]+\.md)(?:#([\w-]+))?/g
const LINK = /\]\(([^)\s#]+\.md)?(?:#([^)\s]*))?\)/g
// Each with a kind: a line gets one problem per kind (`SPEC §3, §5` is one citation).
const GONE = [
  [/\bSPEC\b/g, 'cites SPEC, which is not in the repository: cite a note in docs/ (docs/README.md)', 'SPEC'],
  [
    /\b(?:STYLE|LAYOUT)(?:\.md\b|(?= ?["“:]))/g,
    'cites a style guide that is not in the repository: say the reason, or cite a note in docs/',
    'STYLE',
  ],
  [/(?<!\bRFC \d+ )§/g, 'a section sign that is not an RFC’s: cite a note in docs/ by its heading', 'SPEC'],
]

const cache = new Map()
const headings = (file) => cache.get(file) ?? cache.set(file, anchors(file)).get(file)

/** What is wrong with a reference to `path` (#`anchor`), resolved against `base`, or undefined. */
const check = (path, anchor, base) => {
  const to = resolve(base, path)
  if (!existsSync(to) || statSync(to).isDirectory()) return `${path}: no such file`
  if (anchor && !headings(to).has(anchor))
    return `${path}#${anchor}: no heading with that anchor in ${relative(root, to)}`
}

let bad = 0
for (const name of files) {
  const file = join(root, name)
  const text = readFileSync(file, 'utf8')
  const problems = []
  const said = new Set()
  let refs = 0
  const lineOf = (index) => text.slice(0, index).split('\n').length
  for (const match of text.matchAll(PATH)) {
    const [, path, anchor] = match
    refs++
    const problem = check(path, anchor, path.startsWith('.') || !existsSync(join(root, path)) ? dirname(file) : root)
    if (problem) problems.push(`line ${lineOf(match.index)}: ${problem}`)
  }
  if (name.endsWith('.md') && !/(^|\/)README\.md$/.test(name))
    for (const match of text.replace(/```[\s\S]*?```/g, (block) => block.replace(/[^\n]/g, ' ')).matchAll(LINK)) {
      const [, path, anchor] = match
      if ((!path && !anchor) || /^[a-z]+:/i.test(path ?? '')) continue
      refs++
      const problem = check(path ?? name.split('/').pop(), anchor, dirname(file))
      if (problem) problems.push(`line ${lineOf(match.index)}: ${problem}`)
    }
  for (const [pattern, why, kind] of GONE)
    for (const match of text.matchAll(pattern)) {
      refs++
      const line = lineOf(match.index)
      if (said.has(`${line} ${kind}`)) continue
      said.add(`${line} ${kind}`)
      problems.push(`line ${line}: ${why}`)
    }
  if (!refs) continue
  bad += problems.length
  console.log(`${problems.length ? '✗' : '✓'} ${name}: every reference to a note resolves`)
  for (const problem of problems) console.log(`    ${problem}`)
}
process.exit(bad ? 1 : 0)
