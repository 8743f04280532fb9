// Quick-start command 1: set up (pnpm, dependencies, the packages and the example apps built)
// and run the demo server, which prints the URLs to open.
import { bin, buildExamples, buildPackages, install, run } from './setup.mjs'

install()
buildPackages()
buildExamples()
run(bin('tsx'), ['examples/server/src/main.ts'])
