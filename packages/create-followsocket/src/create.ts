// Copies a template into a new folder. Everything is checked before the first write: bad input
// leaves the disk as it was.
import { cpSync, existsSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import { GITIGNORE, TEMPLATES, isTemplate, type TemplateName } from './templates.js'

/** Input the command cannot act on; the message says what to do instead. */
export class UsageError extends Error {
  override name = 'UsageError'
}

export interface CreateOptions {
  /** The new folder, relative to `cwd`. */
  folder: string | undefined
  template: string | undefined
  cwd: string
  /** The folder that holds one folder per template. */
  templates: string
}

export interface Created {
  dir: string
  template: TemplateName
  /** The package name written into the new app's package.json. */
  name: string
}

const names = Object.keys(TEMPLATES).join('|')

export function create({ folder, template, cwd, templates }: CreateOptions): Created {
  if (!folder)
    throw new UsageError(`Name the folder to create: npm create followsocket@latest my-app -- --template ${names}`)
  if (!template) throw new UsageError(`Choose a template with --template ${names}`)
  if (!isTemplate(template)) throw new UsageError(`There is no template "${template}": choose ${names}`)
  const dir = resolve(cwd, folder)
  if (existsSync(dir) && (!statSync(dir).isDirectory() || readdirSync(dir).length > 0))
    throw new UsageError(`${folder} already exists and is not empty: choose a new folder name`)

  cpSync(join(templates, template), dir, { recursive: true })
  if (existsSync(join(dir, GITIGNORE))) renameSync(join(dir, GITIGNORE), join(dir, '.gitignore'))
  const name = packageName(basename(dir))
  const manifest = join(dir, 'package.json')
  writeFileSync(manifest, JSON.stringify({ ...JSON.parse(readFileSync(manifest, 'utf8')), name }, null, 2) + '\n')
  return { dir, template, name }
}

/** A folder name as an npm package name: lower case, no spaces or characters npm refuses. */
const packageName = (folder: string) =>
  folder
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '-')
    .replace(/^[._]/, '')
    .replace(/[^a-z0-9-~._]+/g, '-') || 'followsocket-app'
