// The build's second half: copies the example apps into templates/, which the package ships.
// examples/ stays the one source; only node_modules/ and dist/ stay behind, and .gitignore
// travels as _gitignore (npm packs no .gitignore), which the command renames back.
import { cpSync, existsSync, renameSync, rmSync } from 'node:fs'
import { basename } from 'node:path'
import { fileURLToPath } from 'node:url'
import { GITIGNORE, TEMPLATES } from './dist/templates.js'

const examples = fileURLToPath(new URL('../../examples/', import.meta.url))
const templates = fileURLToPath(new URL('./templates/', import.meta.url))

rmSync(templates, { recursive: true, force: true })
for (const name of Object.keys(TEMPLATES)) {
  const to = `${templates}${name}`
  cpSync(`${examples}${name}`, to, {
    recursive: true,
    filter: (path) => !['node_modules', 'dist'].includes(basename(path)),
  })
  if (existsSync(`${to}/.gitignore`)) renameSync(`${to}/.gitignore`, `${to}/${GITIGNORE}`)
}
