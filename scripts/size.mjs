// Size of what users import, measured as size-limit does: bundle one import with every dependency,
// minify, gzip (level 9). Users bundle with esbuild or with rolldown (Vite), and the two disagree
// by about a hundred bytes, so every entry is measured with both and each figure must meet the
// budget. Fails (exit 1) over budget. Why the budgets are what they are, raised on 2026-12-06:
// docs/budgets.md#size.
import { build } from 'esbuild'
import { rolldown } from 'rolldown'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'

const root = resolve(import.meta.dirname, '..')
const core = join(root, 'packages/core')
const KB = 1024

const CONNECT = 'followsocket: import { connect }'
export const checks = [
  { name: CONNECT, code: `export { connect } from 'followsocket'`, budget: 5.5 * KB },
  {
    name: 'followsocket/websocket: { FollowWebSocket }',
    code: `export { FollowWebSocket } from 'followsocket/websocket'`,
    budget: 4.5 * KB,
  },
  { name: 'followsocket IIFE (<script>)', file: join(core, 'dist/followsocket.iife.js'), budget: 6.5 * KB },
  // Sharing across tabs (docs/sharing.md#across-tabs) is its own entry, so `connect` does not grow
  // for it: measured by what it adds to the connect path it wraps.
  {
    name: 'followsocket/tabs: { connect }',
    code: `export { connect } from 'followsocket/tabs'`,
    onTopOf: CONNECT,
    budget: 1.75 * KB,
  },
  // Its <script> build, for pages without a bundler: connect and tabs together, so within both budgets.
  { name: 'followsocket/tabs IIFE (<script>)', file: join(core, 'dist/followsocket-tabs.iife.js'), budget: 7 * KB },
  // A binding, bundled with what it pulls from the core and without its framework (the app ships
  // that anyway), measured by what it adds on top of `connect`: the store and the hook.
  ...['react', 'vue'].map((framework) => ({
    name: `@followsocket/${framework}: { useFollowSocket }`,
    code: `export { useFollowSocket } from '@followsocket/${framework}'`,
    alias: { [`@followsocket/${framework}`]: join(root, `packages/${framework}/dist/followsocket-${framework}.js`) },
    external: [framework],
    onTopOf: CONNECT,
    budget: 1.75 * KB,
  })),
  // The devtools (docs/devtools.md#size): what loads when an app calls mountDevtools(), the panel
  // and everything it needs. Loaded on demand, in development, in no other package's budget; 12 KB
  // leaves room to grow the panel but not to take a view library (preact or lit would spend half
  // of it) or anything of followsocket itself.
  {
    name: '@followsocket/devtools: { mountDevtools }',
    code: `export { mountDevtools } from '@followsocket/devtools'`,
    alias: { '@followsocket/devtools': join(root, 'packages/devtools/dist/devtools.js') },
    budget: 12 * KB,
  },
]

export const BUNDLERS = ['esbuild', 'rolldown']

export const gzipSize = (text) => gzipSync(text, { level: 9 }).length

const ALIAS = {
  'followsocket/websocket': join(core, 'dist/websocket.js'),
  'followsocket/store': join(core, 'dist/store.js'),
  'followsocket/tabs': join(core, 'dist/tabs.js'),
  followsocket: join(core, 'dist/followsocket.js'),
}

/**
 * Bundles `code` (an entry module) with everything it imports, as an application bundle ships:
 * ESM, minified, comments (pure annotations included) stripped. `from` is where bare imports
 * resolve; `alias` maps package names to files. Code behind a dynamic import() is split into
 * chunks of its own, loaded only when used (followsocket/store loads followsocket/tabs that way):
 * what is returned is what loads up front, the entry and every chunk it imports statically.
 */
export async function bundle(code, { bundler = 'rolldown', alias = {}, from = tmpdir(), external = [] } = {}) {
  const dir = mkdtempSync(join(from, '.fs-size-'))
  try {
    const input = join(dir, 'entry.js')
    writeFileSync(input, code)
    const define = { 'process.env.NODE_ENV': '"production"' }
    if (bundler === 'esbuild') {
      const result = await build({
        entryPoints: [input],
        bundle: true,
        write: false,
        format: 'esm',
        splitting: true,
        outdir: join(dir, 'out'),
        metafile: true,
        platform: 'browser',
        minify: true,
        legalComments: 'none',
        logLevel: 'silent',
        define,
        external,
        alias: { ...ALIAS, ...alias },
      })
      const text = new Map(result.outputFiles.map((file) => [relative(process.cwd(), file.path), file.text]))
      const outputs = result.metafile.outputs
      const entry = Object.keys(outputs).find((path) => outputs[path].entryPoint)
      return upFront(
        entry,
        (path) => text.get(path),
        (path) => outputs[path].imports.filter((i) => i.kind === 'import-statement').map((i) => i.path),
      )
    }
    const result = await rolldown({
      input,
      logLevel: 'silent',
      platform: 'browser',
      transform: { define },
      external,
      resolve: { alias: { ...ALIAS, ...alias } },
    })
    const { output } = await result.generate({ format: 'esm', minify: true, comments: false })
    const chunks = new Map(output.map((chunk) => [chunk.fileName, chunk]))
    return upFront(
      output.find((chunk) => chunk.isEntry).fileName,
      (name) => chunks.get(name)?.code,
      (name) => chunks.get(name).imports,
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The code of `entry` and of every chunk it imports statically, transitively, joined. */
const upFront = (entry, codeOf, importsOf) => {
  const seen = new Set()
  const visit = (name) => {
    if (seen.has(name) || codeOf(name) === undefined) return
    seen.add(name)
    importsOf(name).forEach(visit)
  }
  visit(entry)
  return [...seen].map(codeOf).join('\n')
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let over = 0
  console.log('size (minified + gzip -9), per bundler')
  const sizes = {}
  for (const check of checks) {
    for (const bundler of check.file ? ['(built)'] : BUNDLERS) {
      const text = check.file
        ? readFileSync(check.file, 'utf8')
        : await bundle(check.code, { bundler, alias: check.alias, external: check.external })
      const total = gzipSize(text)
      sizes[check.name + bundler] = total
      const size = check.onTopOf ? total - sizes[check.onTopOf + bundler] : total
      const ok = size <= check.budget
      if (!ok) over++
      const what = check.onTopOf ? `+${size} B on top of connect, ${total} B in all` : `${text.length} B minified`
      console.log(
        `${ok ? '✓' : '✗'} ${check.name.padEnd(44)} ${bundler.padEnd(8)} ${size} B  (budget ${check.budget} B, ${what})`,
      )
    }
  }
  process.exit(over ? 1 : 0)
}
