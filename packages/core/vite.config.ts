import '../../scripts/node20.mjs'
import { defineConfig } from 'vitest/config'

// Two builds from one config: `vite build` gives the ESM + CJS modules that bundlers and Node
// import, one file per entry (shared code in chunks); `--mode iife` gives the one-file <script>
// build that exposes window.FollowSocket (an IIFE can have only one entry).
export default defineConfig(({ mode }) => {
  const iife = mode === 'iife'
  return {
    build: {
      target: 'es2022',
      emptyOutDir: !iife,
      minify: iife,
      sourcemap: true,
      rolldownOptions: { output: { chunkFileNames: 'shared-[hash].[format].js' } },
      lib: {
        entry: (iife ? { followsocket: 'src/index.ts' } : { followsocket: 'src/index.ts', websocket: 'src/websocket.ts' }) as Record<string, string>,
        name: 'FollowSocket',
        formats: iife ? ['iife'] : ['es', 'cjs'],
        fileName: (format, name) => `${name}.${format === 'es' ? 'js' : format === 'cjs' ? 'cjs' : 'iife.js'}`,
      },
    },
    test: {
      include: ['test/**/*.test.ts'],
      testTimeout: 15000,
    },
    resolve: { conditions: ['@followsocket/source'] },
  }
})
