import { rolldown } from 'rolldown'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

// The libraries under test, bundled for the browser at test time from ./entries (each sets a
// window global) into one IIFE per library, as an application bundle would carry them.
const entries = fileURLToPath(new URL('./entries/', import.meta.url))
export const LIBRARIES = ['graphql-ws', 'y-websocket', 'tabs'] as const

let built: Promise<string> | undefined

/** Builds the bundles once per worker; resolves with the folder holding `<library>.js`. */
export const libraryBundles = (): Promise<string> =>
  (built ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'followsocket-libraries-'))
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }))
    for (const name of LIBRARIES) {
      const bundle = await rolldown({ input: join(entries, `${name}.ts`), platform: 'browser', logLevel: 'silent' })
      await bundle.write({ file: join(dir, `${name}.js`), format: 'iife', minify: true })
      await bundle.close()
    }
    return dir
  })())
