import '../../scripts/node20.mjs'
import { defaultServerConditions } from 'vite'
import { defineConfig } from 'vitest/config'

// ESM + CJS, like the core. react and followsocket stay imports (peer and dependency), never bundled.
export default defineConfig({
  build: {
    target: 'es2022',
    minify: false,
    sourcemap: true,
    lib: {
      entry: { 'followsocket-react': 'src/index.ts' },
      formats: ['es', 'cjs'],
      fileName: (format, name) => `${name}.${format === 'es' ? 'js' : 'cjs'}`,
    },
    rolldownOptions: { external: [/^react(\/|$)/, /^react-dom(\/|$)/, /^followsocket(\/|$)/] },
  },
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    testTimeout: 15000,
  },
  // Tests run the core's source through its @followsocket/source export condition: in jsdom (the
  // client environment) and in Node (ssr), which has conditions of its own.
  resolve: { conditions: ['@followsocket/source'] },
  ssr: { resolve: { conditions: ['@followsocket/source', ...defaultServerConditions] } },
})
