// Bundles a Worker as wrangler does (esbuild, platform 'neutral', the conditions 'workerd',
// 'worker', 'browser'), without `nodejs_compat`: a Node built-in the bundle still imports is
// recorded with its importer instead of failing the build, so a test can name it.
import { builtinModules } from 'node:module'
import { relative } from 'node:path'
import { build, type Plugin } from 'esbuild'

const PACKAGE = new URL('../../', import.meta.url).pathname
const BUILTINS = new Set(builtinModules)

export interface WorkerBundle {
  /** The bundled ES module. */
  code: string
  /** Each Node built-in the bundle imports, as `<module> (from <importer>)`. */
  nodeImports: string[]
}

export interface BundleOptions {
  /** Resolve the workspace's packages to their TypeScript sources instead of their builds. */
  source?: boolean
  /** Modules the entry may import by name (`virtual:recipe`), each resolved from this package's folder. */
  modules?: Record<string, string>
}

/**
 * Bundles `entry` (a module path, or `{ contents }` resolved from this package's folder, where
 * `@followsocket/server` is the build an npm user gets). `cloudflare:*` modules are the runtime's own.
 */
export async function bundleWorker(
  entry: string | { contents: string },
  { source = false, modules = {} }: BundleOptions = {},
): Promise<WorkerBundle> {
  const nodeImports: string[] = []
  const recordNode: Plugin = {
    name: 'record-node-builtins',
    setup(b) {
      b.onResolve({ filter: /.*/ }, ({ path, importer }) => {
        if (!path.startsWith('node:') && !BUILTINS.has(path.split('/')[0]!)) return
        nodeImports.push(`${path} (from ${relative(PACKAGE, importer) || importer})`)
        return { path, external: true }
      })
    },
  }
  const virtual: Plugin = {
    name: 'virtual-modules',
    setup(b) {
      b.onResolve({ filter: /^virtual:/ }, ({ path }) => ({ path, namespace: 'virtual' }))
      b.onLoad({ filter: /.*/, namespace: 'virtual' }, ({ path }) => {
        const contents = modules[path]
        if (contents === undefined) throw new Error(`no module ${path}`)
        return { contents, resolveDir: PACKAGE, loader: 'js' }
      })
    },
  }
  const result = await build({
    ...(typeof entry === 'string'
      ? { entryPoints: [entry] }
      : { stdin: { contents: entry.contents, resolveDir: PACKAGE, loader: 'js' } }),
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    conditions: [...(source ? ['@followsocket/source'] : []), 'workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    external: ['cloudflare:*'],
    plugins: [virtual, recordNode],
    logLevel: 'silent',
  })
  return { code: result.outputFiles[0]!.text, nodeImports }
}
