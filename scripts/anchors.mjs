// The anchors of a Markdown file's headings, slugged as GitHub does: lower case, punctuation
// dropped, spaces to hyphens, repeats numbered. Shared by links.mjs and refs.mjs.
import { readFileSync } from 'node:fs'

/** The set of anchors (`#pacing`, without the #) that the headings of `file` give. */
export const anchors = (file) => {
  const seen = new Map()
  const out = new Set()
  let fenced = false
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('```')) fenced = !fenced
    const heading = !fenced && /^#{1,6} (.*)$/.exec(line)
    if (!heading) continue
    const slug = heading[1]
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-')
    const n = seen.get(slug) ?? 0
    seen.set(slug, n + 1)
    out.add(n ? `${slug}-${n}` : slug)
  }
  return out
}
