// create-followsocket as a user runs it: the built command in an empty folder outside the
// repository. What it creates is the example app, whole: nothing it imports lies outside it.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_FEED, TEMPLATES } from '../src/templates'

const here = fileURLToPath(new URL('..', import.meta.url))
const examples = resolve(here, '../../examples')
const bin = join(here, 'dist/index.js')
const names = Object.keys(TEMPLATES) as (keyof typeof TEMPLATES)[]

let cwd: string
// A build (templates copied from examples/, then vite): on two busy cores it can pass the default
// 10 s hook timeout; nothing here measures time.
beforeAll(() => {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: here, stdio: 'pipe' })
  cwd = mkdtempSync(join(tmpdir(), 'create-followsocket-'))
}, 120_000)
afterAll(() => rmSync(cwd, { recursive: true, force: true }))

const run = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_user_agent: 'npm/11.0.0 node/v22' },
  })

/** Every file under `dir`, relative to it. */
const files = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort()

/** The example's files as git knows them (no node_modules/, no dist/). */
const exampleFiles = (name: string) =>
  execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '.'], {
    cwd: join(examples, name),
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean)
    .sort()

describe('the example apps', () => {
  it('carry identical copies of banner.js, message.js and app.css', () => {
    for (const file of ['banner.js', 'message.js', 'app.css']) {
      const vanilla = readFileSync(join(examples, 'vanilla', file), 'utf8')
      expect(readFileSync(join(examples, 'react/src', file), 'utf8'), `react/src/${file}`).toBe(vanilla)
      expect(readFileSync(join(examples, 'vue/src', file), 'utf8'), `vue/src/${file}`).toBe(vanilla)
    }
  })
})

describe.each(names)('npm create followsocket my-app -- --template %s', (template) => {
  const folder = `app-${template}`

  it('copies the example app and prints the next two commands', () => {
    const { status, stdout, stderr } = run(folder, '--template', template)
    expect(stderr).toBe('')
    expect(status).toBe(0)
    expect(stdout).toContain(`\n  cd ${folder}\n  npm install && npm run dev\n`)
    // The address the app connects to by default, as its message.js has it.
    expect(readFileSync(join(examples, 'vanilla/message.js'), 'utf8')).toContain(
      `export const DEMO_FEED = '${DEMO_FEED}'`,
    )
    expect(stdout).toContain(`followsocket demo (npm run demo in the followsocket repository), ${DEMO_FEED};`)

    const app = join(cwd, folder)
    expect(files(app)).toEqual(exampleFiles(template))
    for (const file of exampleFiles(template).filter((file) => file !== 'package.json'))
      expect(readFileSync(join(app, file), 'utf8'), file).toBe(readFileSync(join(examples, template, file), 'utf8'))
    const manifest = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'))
    expect(manifest).toEqual({
      ...JSON.parse(readFileSync(join(examples, template, 'package.json'), 'utf8')),
      name: folder,
    })
  })

  it('creates an app that needs nothing outside its folder', () => {
    const app = join(cwd, folder)
    const { dependencies = {}, devDependencies = {} } = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'))
    for (const [name, range] of Object.entries<string>({ ...dependencies, ...devDependencies }))
      expect(range, name).toMatch(/^\^\d+\.\d+\.\d+$/) // a published version range, not workspace:* or a path

    // Every local import, <script src> and <link href> names a file of the app.
    const local = /(?:\bfrom\s*|\bimport\s*\(?\s*|\bsrc=|\bhref=)["']((?:\.{1,2})?\/[^"']*)["']/g
    for (const file of files(app).filter((file) => /\.(html|[jt]sx?|vue)$/.test(file)))
      for (const [, specifier] of readFileSync(join(app, file), 'utf8').matchAll(local)) {
        const target = specifier!.startsWith('/') ? join(app, specifier!) : resolve(app, dirname(file), specifier!)
        const found = ['', '.ts', '.tsx'].some((extension) => existsSync(target + extension))
        expect(target.startsWith(app + '/') && found, `${file} → ${specifier}`).toBe(true)
      }
  })
})

describe('bad input: a message, exit code 2, nothing touched', () => {
  it('refuses a folder that exists and is not empty', () => {
    mkdirSync(join(cwd, 'taken'))
    writeFileSync(join(cwd, 'taken', 'notes.txt'), 'mine')
    const { status, stderr } = run('taken', '--template', 'react')
    expect(status).toBe(2)
    expect(stderr).toContain('taken already exists and is not empty: choose a new folder name')
    expect(readdirSync(join(cwd, 'taken'))).toEqual(['notes.txt'])
  })

  it('refuses an unknown template', () => {
    const { status, stderr } = run('svelte-app', '--template', 'svelte')
    expect(status).toBe(2)
    expect(stderr).toContain('There is no template "svelte": choose vanilla|react|vue')
    expect(existsSync(join(cwd, 'svelte-app'))).toBe(false)
  })

  it('asks for a folder name, and for a template', () => {
    const before = readdirSync(cwd).sort()
    expect(run('--template', 'vue')).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('Name the folder to create'),
    })
    expect(run('no-template')).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('Choose a template with --template vanilla|react|vue'),
    })
    expect(run('typo', '--tempalte', 'vue')).toMatchObject({
      status: 2,
      stderr: expect.stringContaining("Unknown option '--tempalte'"),
    })
    expect(readdirSync(cwd).sort()).toEqual(before)
  })

  it('fills an empty folder that exists', () => {
    mkdirSync(join(cwd, 'empty'))
    expect(run('empty', '--template', 'vanilla').status).toBe(0)
    expect(existsSync(join(cwd, 'empty', 'index.html'))).toBe(true)
  })
})
