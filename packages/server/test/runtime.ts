// Starts a server script under another JavaScript runtime (Bun, Deno) as a child process on a
// port picked at run time, and resolves once the script prints "listening": no sleeps. The
// runtimes come from the npm packages `bun` and `deno`, which ship their binaries.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from '@followsocket/lab'

/**
 * The runtime binary inside an npm package (installed there by its postinstall), or undefined.
 * Not the package's `node_modules/.bin` entry: deno's is a Node wrapper that runs the binary
 * as its own child, which killing the wrapper would leave behind.
 */
export const packagedBinary = (pkg: string, file: string): string | undefined => {
  try {
    const path = join(dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`)), file)
    return existsSync(path) ? path : undefined
  } catch {
    return undefined
  }
}

export interface RuntimeServer {
  readonly port: number
  http(path: string): string
  ws(path: string): string
  stop(): Promise<void>
}

/** Runs `binary` with `args(port)`; resolves when its stdout says "listening", rejects with its stderr if it exits first. */
/** The package's own folder: runtimes resolve `@followsocket/server` from its package.json and node_modules. */
const PACKAGE = fileURLToPath(new URL('..', import.meta.url))

export async function startRuntime(binary: string, args: (port: number) => string[]): Promise<RuntimeServer> {
  const port = await freePort()
  const child = spawn(binary, args(port), { cwd: PACKAGE, stdio: ['ignore', 'pipe', 'pipe'] })
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  await new Promise<void>((done, fail) => {
    let stdout = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
      if (/^listening$/m.test(stdout)) done()
    })
    child.once('error', fail)
    child.once('exit', (code, signal) =>
      fail(new Error(`${binary} exited (${code ?? signal}) before listening:\n${stdout}${stderr}`)),
    )
  })
  return {
    port,
    http: (path) => `http://127.0.0.1:${port}${path}`,
    ws: (path) => `ws://127.0.0.1:${port}${path}`,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill()
      await exited
    },
  }
}

/** Where test/runtimes/<name> is. */
const script = (name: string) => new URL(`./runtimes/${name}`, import.meta.url).pathname

/**
 * The runtimes the tests run, each with its binary (undefined when not installed) and how it runs
 * one of test/runtimes/*.mjs on a port. Deno: --no-lock leaves no deno.lock behind (the script's
 * imports are the workspace's node_modules); no --check, which on a fresh clone cannot resolve the
 * declarations' Node types in pnpm's layout and makes Deno rewrite the workspace's package.json
 * (it migrates pnpm-workspace.yaml into it).
 */
export const RUNTIMES = {
  bun: {
    binary: packagedBinary('bun', 'bin/bun.exe'),
    args: (file: string) => (port: number) => [script(file), String(port)],
  },
  deno: {
    binary: packagedBinary('deno', 'deno'),
    args: (file: string) => (port: number) => [
      'run',
      '--no-lock',
      '--allow-net=127.0.0.1',
      '--allow-read',
      script(file),
      String(port),
    ],
  },
}
