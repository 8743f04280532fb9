import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// base './': the build runs from any path, the demo's /vue/ as well as a server's root.
export default defineConfig({
  base: './',
  plugins: [vue()],
})
