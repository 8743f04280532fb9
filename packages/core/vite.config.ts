import '../../scripts/node20.mjs'
import { defineConfig } from 'vitest/config'

// Two builds from one config: `vite build` gives the ESM + CJS modules that bundlers and Node
// import, one file per entry (shared code in chunks); `--mode iife` gives the one-file <script>
// build that exposes window.FollowSocket (an IIFE can have only one entry).
// The <script> builds' global is a plain object: no Symbol.toStringTag 'Module' on it (about 40 B
// gzipped that no page reads).
const SCRIPT_OUTPUT = { generatedCode: { symbols: false } }

export default defineConfig(({ mode }) => {
  // `--mode cli`: the `followsocket` command (package.json "bin",
  // packages/core/README.md#is-my-server-ready) as one Node ESM file, dist/cli.js, node: built-ins
  // left external. Added to dist, never imported by a browser entry.
  if (mode === 'cli')
    return {
      build: {
        ssr: 'src/cli/cli.ts',
        target: 'node20',
        emptyOutDir: false,
        sourcemap: true,
        rolldownOptions: { output: { format: 'es', entryFileNames: 'cli.js', banner: '#!/usr/bin/env node' } },
      },
    }
  // `--mode iife-tabs`: a second <script> build for pages that share one connection across tabs
  // (docs/sharing.md#across-tabs): connect() from followsocket/tabs as
  // window.FollowSocketTabs.connect. Its own file, so the main IIFE does not carry it.
  if (mode === 'iife-tabs')
    return {
      build: {
        target: 'es2022',
        emptyOutDir: false,
        minify: true,
        sourcemap: true,
        lib: {
          entry: { 'followsocket-tabs': 'src/tabs.ts' },
          name: 'FollowSocketTabs',
          formats: ['iife'],
          fileName: (_format, name) => `${name}.iife.js`,
        },
        rolldownOptions: { output: SCRIPT_OUTPUT },
      },
      resolve: { conditions: ['@followsocket/source', 'browser'] },
    }
  const iife = mode === 'iife'
  return {
    build: {
      target: 'es2022',
      emptyOutDir: !iife,
      minify: iife,
      sourcemap: true,
      // One output per format, so that a CommonJS chunk ends in .cjs: in this "type": "module"
      // package Node loads any .js file as ESM, and 'shared-….cjs.js' requiring another chunk fails.
      // mitt is a dependency: the ES and CJS builds import it (the user's bundler dedupes it), the
      // IIFE carries it.
      rolldownOptions: iife
        ? { output: SCRIPT_OUTPUT }
        : {
            // '#runtime' stays an import, resolved when the package is used: package.json maps it to
            // runtime.browser.js for bundlers targeting browsers and to runtime.js elsewhere.
            external: ['mitt', '#runtime'],
            output: (['es', 'cjs'] as const).map((format) => ({
              format,
              chunkFileNames: `shared-[hash].${format === 'es' ? 'js' : 'cjs'}`,
            })),
          },
      lib: {
        entry: (iife
          ? { followsocket: 'src/index.ts' }
          : {
              followsocket: 'src/index.ts',
              websocket: 'src/websocket.ts',
              store: 'src/store.ts',
              tabs: 'src/tabs.ts',
              runtime: 'src/runtime.ts',
              'runtime.browser': 'src/runtime.browser.ts',
            }) as Record<string, string>,
        name: 'FollowSocket',
        formats: iife ? ['iife'] : undefined, // else ES + CJS, from the outputs above
        fileName: (format, name) => `${name}.${format === 'es' ? 'js' : format === 'cjs' ? 'cjs' : 'iife.js'}`,
      },
    },
    test: {
      include: ['test/**/*.test.ts'],
      testTimeout: 15000,
    },
    // The <script> builds run in browsers: '#runtime' is the browser's (see package.json "imports").
    resolve: { conditions: iife ? ['@followsocket/source', 'browser'] : ['@followsocket/source'] },
    // Tests run in Node on the source: '#runtime' is the source of the Node walk there.
    ssr: { resolve: { conditions: ['@followsocket/source', 'module', 'node', 'development|production'] } },
  }
})
