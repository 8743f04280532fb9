// tsc emits extensionless relative imports in .d.ts files (the sources use bundler resolution).
// Node16 resolution needs explicit extensions, and CommonJS consumers (`require`) need types in
// .d.cts files beside the .cjs, or TypeScript reports them as ESM-only ("masquerading as ESM").
// So each .d.ts gets `.js` specifiers and a .d.cts twin with `.cjs` ones.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const specifier = /(from |import\()(['"])(\.{1,2}\/[^'"]+?)(\.js)?\2/g
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const file = join(dir, name)
    if (statSync(file).isDirectory()) walk(file)
    else if (name.endsWith('.d.ts')) {
      const text = readFileSync(file, 'utf8')
      writeFileSync(file, text.replace(specifier, '$1$2$3.js$2'))
      writeFileSync(file.replace(/\.d\.ts$/, '.d.cts'), text.replace(specifier, '$1$2$3.cjs$2'))
    }
  }
}
walk(process.argv[2] ?? 'dist')
