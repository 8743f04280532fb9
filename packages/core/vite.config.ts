import '../../scripts/node20.mjs'
import { defineConfig } from 'vitest/config'

// Two builds from one config: `vite build` gives the ESM + CJS modules that bundlers and Node
// import (mitt stays a dependency); `--mode iife` gives the self-contained <script> build that
// exposes window.FollowSocket (mitt inlined).
export default defineConfig(({ mode }) => {
  const iife = mode === 'iife'
  return {
    build: {
      target: 'es2022',
      emptyOutDir: !iife,
      minify: iife,
      sourcemap: true,
      lib: {
        entry: { followsocket: 'src/index.ts' },
        name: 'FollowSocket',
        formats: iife ? ['iife'] : ['es', 'cjs'],
        fileName: (format, name) => `${name}.${format === 'es' ? 'js' : format === 'cjs' ? 'cjs' : 'iife.js'}`,
      },
      rolldownOptions: { external: iife ? [] : ['mitt'] },
    },
    test: {
      include: ['test/**/*.test.ts'],
      testTimeout: 15000,
    },
    resolve: { conditions: ['@followsocket/source'] },
  }
})
