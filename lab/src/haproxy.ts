// A real HAProxy for tests that check HAProxy recipes: started in the foreground (-db) on a free
// port of 127.0.0.1 with the caller's configuration, in a temporary directory of its own, with a
// stats socket at admin level so a test can drive it through the runtime API (drain a server,
// read its state) as an operator does with socat.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, watch, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './index'

/** The haproxy binary, if this machine has one (.ci/run installs it on Debian). */
export const HAPROXY = ['/usr/sbin/haproxy', '/usr/bin/haproxy', '/usr/local/sbin/haproxy', '/usr/local/bin/haproxy'].find(existsSync)

export interface Haproxy {
  /** The port the caller's configuration was asked to bind. */
  readonly port: number
  /** The admin-level stats socket (a unix socket). */
  readonly socket: string
  /** One runtime API command (`show servers state`, `set server be/s state drain`); resolves with the answer. */
  command(line: string): Promise<string>
  /** Stops HAProxy at once (open WebSockets are cut) and removes its directory. */
  stop(): Promise<void>
}

/** Sends one line to a stats socket and resolves with everything it answers before it closes. */
export const runtimeCommand = (socket: string, line: string): Promise<string> =>
  new Promise((done, fail) => {
    let answer = ''
    const client = connect(socket, () => client.end(`${line}\n`))
    client.setEncoding('utf8')
    client.on('data', (chunk) => (answer += chunk))
    client.on('end', () => done(answer))
    client.on('error', fail)
  })

/** Resolves once `file` exists in `dir` (an fs.watch event, not a poll), or never once `signal` aborts. */
const appears = (dir: string, file: string, signal: AbortSignal): Promise<void> =>
  new Promise((done) => {
    const watcher = watch(dir, { signal }, () => {
      if (existsSync(join(dir, file))) watcher.close(), done()
    })
    watcher.on('error', () => {})
    if (existsSync(join(dir, file))) watcher.close(), done()
  })

/**
 * `config(port, socket)` returns the whole configuration. When it does not bind `socket` itself,
 * a `global` section that does is put first (HAProxy merges several global sections).
 */
export type HaproxyConfig = (port: number, socket: string) => string

const attempt = async (config: HaproxyConfig): Promise<Haproxy> => {
  if (!HAPROXY) throw new Error('haproxy is not installed: .ci/run installs it with apt-get on Debian')
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'followsocket-haproxy-'))
  const socket = join(dir, 'admin.sock')
  const text = config(port, socket)
  const own = text.includes(socket) ? '' : `global\n    stats socket ${socket} mode 600 level admin\n\n`
  writeFileSync(join(dir, 'haproxy.cfg'), own + text)
  const child = spawn(HAPROXY, ['-db', '-f', join(dir, 'haproxy.cfg')], { stdio: ['ignore', 'pipe', 'pipe'] })
  let log = ''
  child.stdout!.on('data', (chunk) => (log += chunk))
  child.stderr!.on('data', (chunk) => (log += chunk))
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  const giveUp = new AbortController()
  try {
    await new Promise<void>((done, fail) => {
      child.once('exit', (code) => fail(new Error(`haproxy exited (${code}):\n${log}`)))
      child.once('error', fail)
      // Listeners are bound before the stats socket appears; its first answer means the
      // event loop runs, so the proxy's port accepts too.
      appears(dir, 'admin.sock', giveUp.signal)
        .then(() => runtimeCommand(socket, 'show info'))
        .then(() => done(), fail)
    })
  } catch (error) {
    giveUp.abort()
    if (child.exitCode === null) child.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
  return {
    port,
    socket,
    command: (line) => runtimeCommand(socket, line),
    async stop() {
      // SIGTERM: hard stop, so open tunnels (WebSockets) do not hold the test up.
      if (child.exitCode === null) child.kill('SIGTERM')
      await exited
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/**
 * Starts HAProxy with `config(port, socket)`; resolves once its stats socket answers, rejects
 * with HAProxy's log if it exits. The port can be taken between the probe and HAProxy's bind,
 * so it tries twice.
 */
export const startHaproxy = (config: HaproxyConfig): Promise<Haproxy> => attempt(config).catch(() => attempt(config))
