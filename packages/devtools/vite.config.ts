import '../../scripts/node20.mjs'
import { defaultServerConditions } from 'vite'
import { defineConfig } from 'vitest/config'

// ESM only: the panel runs in browsers, whose bundlers all import ESM, and the main entry imports
// nothing by name, so a page without a bundler can import() it from a CDN (the vanilla example
// does). react, vue and followsocket stay imports (peers), never bundled. The build then gives
// the .d.ts files the `.js` specifiers node16 resolution needs (scripts/dts-cjs.mjs) and removes
// the .d.cts twins that script also writes: there is no require() entry for them to type.
export default defineConfig({
  build: {
    target: 'es2022',
    minify: false,
    sourcemap: true,
    lib: {
      entry: { devtools: 'src/index.ts', react: 'src/react.ts', vue: 'src/vue.ts' },
      formats: ['es'],
      fileName: (_format, name) => `${name}.js`,
    },
    rolldownOptions: {
      external: [/^react(\/|$)/, /^vue(\/|$)/, /^followsocket(\/|$)/],
      output: { chunkFileNames: 'shared-[hash].js' },
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
  },
  resolve: { conditions: ['@followsocket/source'] },
  ssr: { resolve: { conditions: ['@followsocket/source', ...defaultServerConditions] } },
})
