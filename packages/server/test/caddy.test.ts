// The README's Caddy recipe, run on a real Caddy (see proxy-recipe.ts for what it must do).
// .ci/run installs Caddy (Debian) when it is missing; elsewhere the test is skipped without it.
import { readFileSync } from 'node:fs'
import { CADDY, startCaddy } from '@followsocket/lab/caddy'
import { localized, proxyRecipeSpecs } from './proxy-recipe'

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const [recipe] = [...readme.matchAll(/```caddy\n([\s\S]*?)```/g)].map((m) => m[1]!)

proxyRecipeSpecs('Caddy', !!CADDY, (appPort) =>
  startCaddy((port) => localized(recipe!, port, appPort, [':8080 {', `:${port} {`])),
)
