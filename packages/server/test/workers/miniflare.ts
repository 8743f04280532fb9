// Runs a bundled Worker under workerd (miniflare 4, whose npm package `workerd` ships the
// runtime's binary) on 127.0.0.1 at a port picked at run time, configured from a wrangler.jsonc.
// If workerd cannot start on this machine the error says so: the tests fail, never skip.
import { Miniflare, type MiniflareOptions } from 'miniflare'
import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import { freePort } from '@followsocket/lab'
import type { Wrangler } from './recipe'

export interface RunningWorker {
  readonly mf: Miniflare
  readonly port: number
  http(path: string): string
  ws(path: string): string
  /** Restarts workerd with these vars over the config's, on the same port, as a deploy would: open sockets are dropped. */
  setVars(vars: Record<string, string>): Promise<void>
  stop(): Promise<void>
}

/**
 * workerd's output, less the error (and its stack line) it logs for each write to a client that
 * was already gone, as a restart (setVars) leaves: expected there, and noise in a test's output.
 */
const passOutput = (stdout: Readable, stderr: Readable) => {
  stdout.pipe(process.stdout)
  let skipStack = false
  createInterface({ input: stderr }).on('line', (line) => {
    const dropped = /disconnected: ::write\(.*\): (Broken pipe|Connection reset by peer)$/.test(line)
    if (!dropped && !(skipStack && line.startsWith('stack: '))) process.stderr.write(`${line}\n`)
    skipStack = dropped
  })
}

/** Starts `code` (an ES module) with `config`'s compatibility date, flags, Durable Objects and vars; `vars` override the config's. */
export async function startWorker(
  code: string,
  config: Wrangler,
  vars: Record<string, string> = {},
): Promise<RunningWorker> {
  const sqlite = new Set(config.migrations?.flatMap((m) => m.new_sqlite_classes ?? []))
  const port = await freePort()
  const options: MiniflareOptions = {
    name: config.name,
    modules: [{ type: 'ESModule', path: config.main, contents: code }],
    compatibilityDate: config.compatibility_date,
    compatibilityFlags: config.compatibility_flags ?? [],
    durableObjects: Object.fromEntries(
      (config.durable_objects?.bindings ?? []).map(({ name, class_name }) => [
        name,
        { className: class_name, useSQLite: sqlite.has(class_name) },
      ]),
    ),
    bindings: { ...config.vars, ...vars },
    host: '127.0.0.1',
    port,
    // Durable Objects' storage in memory: nothing is left on disk.
    durableObjectsPersist: false,
    handleRuntimeStdio: passOutput,
  }
  const mf = new Miniflare(options)
  try {
    await mf.ready
  } catch (error) {
    await mf.dispose().catch(() => {})
    throw new Error(
      `workerd (the runtime under miniflare, from the npm package workerd) could not start on this machine: ${String(error)}`,
      { cause: error },
    )
  }
  return {
    mf,
    port,
    http: (path) => `http://127.0.0.1:${port}${path}`,
    ws: (path) => `ws://127.0.0.1:${port}${path}`,
    setVars: (more) => mf.setOptions({ ...options, bindings: { ...config.vars, ...more } }),
    stop: () => mf.dispose(),
  }
}
