import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// Served by the demo server at /vue/ from dist/. The workspace packages resolve to their built
// dist/ (no source condition): the example runs what npm users get.
export default defineConfig({
  base: '/vue/',
  plugins: [vue()],
  build: { outDir: 'dist', emptyOutDir: true },
})
