// `npm run bench`: set up like the tests (pnpm, dependencies, build, a Chromium), then run every
// benchmark (bench/run.ts). Pass --quick for a short smoke run.
import { bin, buildPackages, ensureBrowser, install, run } from './setup.mjs'

install()
buildPackages()
const browser = ensureBrowser()
run(bin('tsx'), ['bench/run.ts', ...process.argv.slice(2)], {
  env: { ...process.env, ...(browser ? { CHROMIUM_PATH: browser } : {}) },
})
