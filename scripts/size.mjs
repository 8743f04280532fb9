// Size of what users import, measured as size-limit does: bundle one import with every
// dependency, minify, gzip (level 9). Fails (exit 1) over budget. SPEC §6.
import { rolldown } from 'rolldown'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'

const root = resolve(import.meta.dirname, '..')
const core = join(root, 'packages/core')
const KB = 1024

export const checks = [
  { name: 'followsocket: import { connect }', code: `export { connect } from 'followsocket'`, budget: 4 * KB },
  { name: "followsocket/websocket: { FollowWebSocket }", code: `export { FollowWebSocket } from 'followsocket/websocket'`, budget: 4 * KB },
  { name: 'followsocket IIFE (<script>)', file: join(core, 'dist/followsocket.iife.js'), budget: 5 * KB },
  // A binding, bundled with what it pulls from the core and without its framework (the app ships
  // that anyway), measured by what it adds on top of `connect`: the store and the hook. Budget
  // 1.25 KB, under a third of connect's: a binding only subscribes and renders (STYLE, Bindings).
  ...['react', 'vue'].map((framework) => ({
    name: `@followsocket/${framework}: { useFollowSocket }`,
    code: `export { useFollowSocket } from '@followsocket/${framework}'`,
    alias: { [`@followsocket/${framework}`]: join(root, `packages/${framework}/dist/followsocket-${framework}.js`) },
    external: [framework],
    onTopOf: 'followsocket: import { connect }',
    budget: 1.25 * KB,
  })),
]

export const gzipSize = (text) => gzipSync(text, { level: 9 }).length

/** Bundles `code` (an entry module) with everything it imports; `from` is where bare imports resolve. */
export async function bundle(code, alias = {}, from = tmpdir(), external = []) {
  const dir = mkdtempSync(join(from, '.fs-size-'))
  try {
    writeFileSync(join(dir, 'entry.js'), code)
    const result = await rolldown({
      input: join(dir, 'entry.js'),
      logLevel: 'silent',
      platform: 'browser',
      transform: { define: { 'process.env.NODE_ENV': '"production"' } },
      external,
      resolve: { alias: { 'followsocket/websocket': join(core, 'dist/websocket.js'), 'followsocket/store': join(core, 'dist/store.js'), followsocket: join(core, 'dist/followsocket.js'), ...alias } },
    })
    // As an application bundle ships: minified, comments (pure annotations included) stripped.
    const { output } = await result.generate({ format: 'esm', minify: true, comments: false })
    return output[0].code
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let over = 0
  console.log('size (minified + gzip -9)')
  const sizes = {}
  for (const check of checks) {
    const text = check.file ? readFileSync(check.file, 'utf8') : await bundle(check.code, check.alias, undefined, check.external)
    const total = (sizes[check.name] = gzipSize(text))
    const size = check.onTopOf ? total - sizes[check.onTopOf] : total
    const ok = size <= check.budget
    if (!ok) over++
    const what = check.onTopOf ? `+${size} B on top of connect, ${total} B in all` : `${text.length} B minified`
    console.log(`${ok ? "✓" : "✗"} ${check.name.padEnd(46)} ${(size / KB).toFixed(2)} KB = ${size} B  (budget ${+(check.budget / KB).toFixed(2)} KB, ${what})`)
  }
  process.exit(over ? 1 : 0)
}
