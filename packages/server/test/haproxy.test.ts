// The README's HAProxy recipe, run on a real HAProxy (see proxy-recipe.ts for what it must do).
// .ci/run installs HAProxy (Debian) when it is missing; elsewhere the test is skipped without it.
import { readFileSync } from 'node:fs'
import { HAPROXY, startHaproxy } from '@followsocket/lab/haproxy'
import { localized, proxyRecipeSpecs } from './proxy-recipe'

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const [recipe] = [...readme.matchAll(/```haproxy\n([\s\S]*?)```/g)].map((m) => m[1]!)

proxyRecipeSpecs('HAProxy', !!HAPROXY, (appPort) =>
  startHaproxy((port) => localized(recipe!, port, appPort, ['bind :8080', `bind 127.0.0.1:${port}`])),
)
