// Quick-start command 1: set up (pnpm, dependencies, build) and run the demo server, which
// prints the URL to open.
import { bin, buildPackages, install, run } from './setup.mjs'

install()
buildPackages()
run(bin('tsx'), ['examples/server/src/main.ts'])
