import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

// base './': the build runs from any path, the demo's /react/ as well as a server's root.
export default defineConfig({
  base: './',
  plugins: [react()],
})
