// The README's Workers recipe as a user deploys it: its Worker module (the ```js block under
// "Cloudflare Workers and Durable Objects") and its wrangler.jsonc, read into miniflare's options
// as wrangler would read them. Nothing of the recipe is rewritten.
import { readFileSync } from 'node:fs'

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
const section = /^### Cloudflare Workers and Durable Objects\n([\s\S]*?)^### /m.exec(readme)?.[1]
if (!section) throw new Error('the README has no "Cloudflare Workers and Durable Objects" recipe: update this harness')

/** The Worker module, as written. */
export const RECIPE_WORKER = /```js\n([\s\S]*?)```/.exec(section)![1]!

/** wrangler.jsonc, parsed: JSON with comments (none inside its strings, which hold URLs' "//"). */
export const RECIPE_WRANGLER = JSON.parse(
  /```jsonc\n([\s\S]*?)```/
    .exec(section)![1]!
    .replace(/("(?:[^"\\]|\\.)*")|\/\/[^\n]*/g, (all, string: string | undefined) => string ?? ''),
) as Wrangler

export interface Wrangler {
  name: string
  main: string
  compatibility_date: string
  compatibility_flags?: string[]
  durable_objects?: { bindings: { name: string; class_name: string }[] }
  migrations?: { tag: string; new_sqlite_classes?: string[]; new_classes?: string[] }[]
  vars?: Record<string, string>
}
