import { build } from 'esbuild'
import { rolldown } from 'rolldown'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'

// Which redirect walk ships where (package.json "imports" → #runtime): a bundle for browsers
// carries the one-request follow of runtime.browser.js, anything else the hop-by-hop walk of runtime.js.
// Checked on the build users install, with the two bundlers the size budget is measured with.
const root = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '')
const entry = `${root}/dist/followsocket.js`

const esbuildInputs = async (platform: 'browser' | 'node') => {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    platform,
    format: 'esm',
    external: ['mitt'],
    logLevel: 'silent',
  })
  return Object.keys(result.metafile.inputs)
}

const rolldownInputs = async (platform: 'browser' | 'node') => {
  const bundle = await rolldown({ input: entry, platform, external: ['mitt'], logLevel: 'silent' })
  const { output } = await bundle.generate({ format: 'esm' })
  await bundle.close()
  return output.flatMap((chunk) => ('moduleIds' in chunk ? chunk.moduleIds : []))
}

const walks = (inputs: string[]) => ({
  browser: inputs.some((path) => path.endsWith('dist/runtime.browser.js')),
  node: inputs.some((path) => path.endsWith('dist/runtime.js')),
})

describe('#runtime: the redirect walk each runtime gets', () => {
  it('esbuild: browsers get runtime.browser.js, Node gets runtime.js', async () => {
    expect(walks(await esbuildInputs('browser'))).toEqual({ browser: true, node: false })
    expect(walks(await esbuildInputs('node'))).toEqual({ browser: false, node: true })
  })

  it('rolldown: browsers get runtime.browser.js, Node gets runtime.js', async () => {
    expect(walks(await rolldownInputs('browser'))).toEqual({ browser: true, node: false })
    expect(walks(await rolldownInputs('node'))).toEqual({ browser: false, node: true })
  })

  it('the <script> builds carry the browser follow, not the hop walk (its list of redirect statuses)', () => {
    for (const file of ['followsocket.iife.js', 'followsocket-tabs.iife.js']) {
      const code = readFileSync(`${root}/dist/${file}`, 'utf8')
      expect(code, file).toContain('redirected')
      expect(code, file).not.toMatch(/301,\s*302,\s*303,\s*307,\s*308/)
    }
    expect(readFileSync(`${root}/dist/runtime.js`, 'utf8')).toMatch(/301,\s*302,\s*303,\s*307,\s*308/)
  })

  it('Node resolves #runtime to the hop walk, for import and for require', () => {
    const resolve = (type: string, code: string) =>
      execFileSync(process.execPath, [`--input-type=${type}`, '-e', code], { cwd: root, encoding: 'utf8' }).trim()
    expect(resolve('module', `console.log(import.meta.resolve('#runtime'))`)).toBe(
      pathToFileURL(`${root}/dist/runtime.js`).href,
    )
    expect(resolve('commonjs', `console.log(require.resolve('#runtime'))`)).toBe(`${root}/dist/runtime.cjs`)
  })
})
