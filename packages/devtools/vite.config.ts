import '../../scripts/node20.mjs'
import { defaultServerConditions } from 'vite'
import { defineConfig } from 'vitest/config'

// ESM only: the panel runs in browsers, whose bundlers all import ESM, and the main entry imports
// nothing by name, so a page without a bundler can import() it from a CDN (the vanilla example
// does). react, vue and followsocket stay imports (peers), never bundled.
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
    rolldownOptions: { external: [/^react(\/|$)/, /^vue(\/|$)/, /^followsocket(\/|$)/], output: { chunkFileNames: 'shared-[hash].js' } },
  },
  test: {
    include: ['test/**/*.test.ts'],
  },
  resolve: { conditions: ['@followsocket/source'] },
  ssr: { resolve: { conditions: ['@followsocket/source', ...defaultServerConditions] } },
})
