// What starting a real proxy for a test takes, whichever proxy it is (nginx, HAProxy, Caddy): a
// free port of 127.0.0.1, a temporary directory of its own for its configuration and state, the
// binary in the foreground with its log collected, a wait for a sign that it serves (never a
// sleep), and a stop that waits for the exit and removes the directory.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './index'

/** Where a Debian package (or a local install) put the binary `name`, if anywhere. */
export const findBinary = (name: string): string | undefined =>
  ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin'].map((dir) => join(dir, name)).find(existsSync)

export interface Daemon {
  readonly port: number
  /** Its temporary directory. */
  readonly dir: string
  /** Stops it with the daemon's stop signal, waits for the exit and removes its directory. */
  stop(): Promise<void>
}

export interface DaemonOptions {
  name: string
  binary: string | undefined
  /** Writes the configuration into `dir` for `port`; returns the command line (and environment). */
  setup(dir: string, port: number): { args: string[]; env?: NodeJS.ProcessEnv }
  /**
   * When it serves: a line its log prints then, or a promise of its own (which should give up
   * when `signal` aborts).
   */
  ready: { log: RegExp } | { when: (dir: string, signal: AbortSignal) => Promise<unknown> }
  stopSignal: NodeJS.Signals
}

const attempt = async (o: DaemonOptions): Promise<Daemon> => {
  if (!o.binary) throw new Error(`${o.name} is not installed: .ci/run installs it with apt-get on Debian`)
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), `followsocket-${o.name}-`))
  const { args, env } = o.setup(dir, port)
  const child = spawn(o.binary, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  const giveUp = new AbortController()
  let log = ''
  try {
    await new Promise<void>((done, fail) => {
      const { ready } = o
      for (const stream of [child.stdout!, child.stderr!])
        stream.on('data', (chunk) => {
          log += chunk
          if ('log' in ready && ready.log.test(log)) done()
        })
      child.once('exit', (code) => fail(new Error(`${o.name} exited (${code}):\n${log}`)))
      child.once('error', fail)
      if ('when' in ready) ready.when(dir, giveUp.signal).then(() => done(), fail)
    })
  } catch (error) {
    giveUp.abort()
    if (child.exitCode === null) child.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
  return {
    port,
    dir,
    async stop() {
      if (child.exitCode === null) child.kill(o.stopSignal)
      await exited
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Starts the daemon; the port can be taken between the probe and its bind, so it tries twice. */
export const startDaemon = (o: DaemonOptions): Promise<Daemon> => attempt(o).catch(() => attempt(o))
