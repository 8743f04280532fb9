// A real HAProxy for tests that check HAProxy recipes: started in the foreground (-db) on a free
// port of 127.0.0.1 with the caller's configuration, in a temporary directory of its own, with a
// stats socket at admin level so a test can drive it through the runtime API (drain a server,
// read its state) as an operator does with socat.
import { existsSync, watch, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { join } from 'node:path'
import { findBinary, startDaemon } from './daemon'

/** The haproxy binary, if this machine has one (.ci/run installs it on Debian). */
export const HAPROXY = findBinary('haproxy')

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
    const check = () => {
      if (!existsSync(join(dir, file))) return
      watcher.close()
      done()
    }
    const watcher = watch(dir, { signal }, check)
    watcher.on('error', () => {})
    check()
  })

/**
 * `config(port, socket)` returns the whole configuration. When it does not bind `socket` itself,
 * a `global` section that does is put first (HAProxy merges several global sections).
 */
export type HaproxyConfig = (port: number, socket: string) => string

/**
 * Starts HAProxy with `config(port, socket)`; resolves once its stats socket answers, rejects
 * with HAProxy's log if it exits.
 */
export const startHaproxy = async (config: HaproxyConfig): Promise<Haproxy> => {
  const daemon = await startDaemon({
    name: 'haproxy',
    binary: HAPROXY,
    setup(dir, port) {
      const socket = join(dir, 'admin.sock')
      const text = config(port, socket)
      const own = text.includes(socket) ? '' : `global\n    stats socket ${socket} mode 600 level admin\n\n`
      writeFileSync(join(dir, 'haproxy.cfg'), own + text)
      return { args: ['-db', '-f', join(dir, 'haproxy.cfg')] }
    },
    // Listeners are bound before the stats socket appears; its first answer means the event
    // loop runs, so the proxy's port accepts too.
    ready: {
      when: (dir, signal) =>
        appears(dir, 'admin.sock', signal).then(() => runtimeCommand(join(dir, 'admin.sock'), 'show info')),
    },
    // A hard stop, so open tunnels (WebSockets) do not hold the test up.
    stopSignal: 'SIGTERM',
  })
  const socket = join(daemon.dir, 'admin.sock')
  return { port: daemon.port, socket, command: (line) => runtimeCommand(socket, line), stop: daemon.stop }
}
