import '../../scripts/node20.mjs'
import { builtinModules } from 'node:module'
import { defineConfig } from 'vitest/config'

// ESM + CJS for Node. Node's built-ins and zod (a dependency) stay imports, never bundled.
export default defineConfig({
  build: {
    target: 'node20',
    minify: false,
    sourcemap: true,
    lib: {
      entry: { server: 'src/index.ts' },
      formats: ['es', 'cjs'],
      fileName: (format, name) => `${name}.${format === 'es' ? 'js' : 'cjs'}`,
    },
    rolldownOptions: { external: [/^node:/, ...builtinModules, /^zod(\/|$)/] },
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 15000,
  },
  resolve: { conditions: ['@followsocket/source'] },
})
