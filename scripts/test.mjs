// The whole test suite, from a fresh clone: set-up, size budgets, vitest (Node) and
// Playwright (real Chromium). Ends with one line "N passed, N failed" and exits non-zero on
// any failure, including an unhandled error that no single test owns.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { resolve } from 'node:path'
import { bin, buildExamples, buildPackages, ensureBrowser, install, root } from './setup.mjs'

install()
// The install is the one step that may touch the registry: past it, npm works offline, so a
// step that would reach the registry fails here every time instead of failing now and then.
process.env.npm_config_offline = 'true'
buildPackages()
buildExamples() // e2e/ drives the built React and Vue apps
const browser = ensureBrowser()

const reports = resolve(root, '.reports')
rmSync(reports, { recursive: true, force: true })
mkdirSync(reports, { recursive: true })

let passed = 0
let failed = 0
const step = (name, command, args, env = {}) => {
  console.log(`\n› ${name}`)
  const { status } = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } })
  return status ?? 1
}

// Size budgets (docs/budgets.md#size), one check per import; then each package as npm users meet
// it; then every relative link of every README; then every reference to a note in docs/, and no
// citation of a document the repository does not have.
for (const [title, script] of [
  ['size budgets', 'scripts/size.mjs'],
  ['packages (npm pack, publint, arethetypeswrong)', 'scripts/packages.mjs'],
  ['README links', 'scripts/links.mjs'],
  ['format and lint', 'scripts/lint.mjs'],
  ['references to the design notes', 'scripts/refs.mjs'],
]) {
  const out = spawnSync(process.execPath, [script], { cwd: root, encoding: 'utf8' })
  process.stdout.write(`\n› ${title}\n${out.stdout}${out.stderr}`)
  const lines = out.stdout.split('\n')
  passed += lines.filter((l) => l.startsWith('✓')).length
  failed += lines.filter((l) => l.startsWith('✗')).length
  if (out.status !== 0 && !lines.some((l) => l.startsWith('✗'))) failed++
}

// Node: vitest, every package.
{
  const file = resolve(reports, 'vitest.json')
  const status = step('vitest', bin('vitest'), [
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${file}`,
  ])
  if (existsSync(file)) {
    const report = JSON.parse(readFileSync(file, 'utf8'))
    passed += report.numPassedTests
    failed += report.numFailedTests
    // Unhandled errors (an unhandled rejection, say) fail the run without failing a test.
    if (status !== 0 && report.numFailedTests === 0) failed++
  } else failed++
}

// Browser: Playwright in Chromium.
{
  const file = resolve(reports, 'playwright.json')
  const status = step('playwright', bin('playwright'), ['test'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: file,
    ...(browser ? { CHROMIUM_PATH: browser } : {}),
  })
  if (existsSync(file)) {
    const { stats } = JSON.parse(readFileSync(file, 'utf8'))
    passed += stats.expected + (stats.flaky ?? 0)
    failed += stats.unexpected
    if (status !== 0 && stats.unexpected === 0) failed++
  } else failed++
}

console.log(`\n${passed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)
