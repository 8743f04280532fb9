#!/usr/bin/env node
// npm create followsocket@latest my-app -- --template react|vue|vanilla
// Copies one of followsocket's example apps into my-app and says what to run next. Bad input
// exits with code 2 and touches nothing.
import { relative } from 'node:path'
import { parseArgs } from 'node:util'
import { fileURLToPath } from 'node:url'
import { UsageError, create } from './create.js'
import { DEMO_FEED, TEMPLATES } from './templates.js'

const USAGE = `Usage: npm create followsocket@latest <folder> -- --template <name>

Templates:
${Object.entries(TEMPLATES)
  .map(([name, what]) => `  ${name.padEnd(8)} ${what}`)
  .join('\n')}`

function main(argv: string[]): number {
  let args
  try {
    args = parseArgs({
      args: argv,
      options: { template: { type: 'string', short: 't' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
    })
  } catch (error) {
    return fail(`${(error as Error).message}\n\n${USAGE}`)
  }
  if (args.values.help) {
    console.log(USAGE)
    return 0
  }
  if (args.positionals.length > 1) return fail(`One folder at a time (got ${args.positionals.join(', ')})\n\n${USAGE}`)

  try {
    const { dir, template } = create({
      folder: args.positionals[0],
      template: args.values.template,
      cwd: process.cwd(),
      templates: fileURLToPath(new URL('../templates/', import.meta.url)),
    })
    const pm = packageManager()
    const cd = relative(process.cwd(), dir) || '.'
    console.log(`Created ${cd} from the ${template} template: ${TEMPLATES[template]}.

Next:
  cd ${cd.includes(' ') ? JSON.stringify(cd) : cd}
  ${pm} install && ${pm} run dev

It connects to the live feed of the followsocket demo (npm run demo in the followsocket repository), ${DEMO_FEED}; point it at yours with ?feed=wss://your.server/live in the page's address${template === 'vanilla' ? '' : ', or VITE_FEED_URL when you build'}.`)
    return 0
  } catch (error) {
    if (error instanceof UsageError) return fail(`${error.message}\n\n${USAGE}`)
    throw error
  }
}

function fail(message: string): number {
  console.error(message)
  return 2
}

/** The package manager that ran `create` (npm, pnpm, yarn, bun), from the user agent it sets. */
const packageManager = () => /^(npm|pnpm|yarn|bun)\//.exec(process.env.npm_config_user_agent ?? '')?.[1] ?? 'npm'

process.exitCode = main(process.argv.slice(2))
