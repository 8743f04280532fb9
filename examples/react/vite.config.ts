import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

// Served by the demo server at /react/ from dist/. The workspace packages resolve to their
// built dist/ (no source condition): the example runs what npm users get.
export default defineConfig({
  base: '/react/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
})
