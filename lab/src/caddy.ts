// A real Caddy for tests that check Caddy recipes: `caddy run` in the foreground on a free port
// of 127.0.0.1 with the caller's site block, its admin endpoint off (a fixed port, 2019, that
// two runs would fight over) and its data and config directories in a temporary one of its own.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './index'

/** The caddy binary, if this machine has one (.ci/run installs it on Debian). */
export const CADDY = ['/usr/bin/caddy', '/usr/local/bin/caddy', '/usr/sbin/caddy'].find(existsSync)

export interface Caddy {
  readonly port: number
  /** Stops Caddy and removes its directory. */
  stop(): Promise<void>
}

const attempt = async (site: (port: number) => string): Promise<Caddy> => {
  if (!CADDY) throw new Error('caddy is not installed: .ci/run installs it with apt-get on Debian')
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'followsocket-caddy-'))
  const file = join(dir, 'Caddyfile')
  // auto_https off: a test site has no name to get a certificate for; default_bind keeps the
  // listener on the loopback interface.
  writeFileSync(file, `{\n\tadmin off\n\tauto_https off\n\tdefault_bind 127.0.0.1\n}\n\n${site(port)}`)
  const env = { ...process.env, HOME: dir, XDG_DATA_HOME: join(dir, 'data'), XDG_CONFIG_HOME: join(dir, 'config') }
  const child = spawn(CADDY, ['run', '--config', file, '--adapter', 'caddyfile'], { env, stdio: ['ignore', 'ignore', 'pipe'] })
  let log = ''
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  try {
    await new Promise<void>((done, fail) => {
      child.stderr!.on('data', (chunk) => {
        log += chunk
        // Logged once every server of the configuration listens.
        if (log.includes('"serving initial configuration"')) done()
      })
      child.once('exit', (code) => fail(new Error(`caddy exited (${code}):\n${log}`)))
      child.once('error', fail)
    })
  } catch (error) {
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
  return {
    port,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM')
      await exited
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/**
 * Starts Caddy with the site block `site(port)`, which must listen on `port`; resolves once
 * Caddy serves it, rejects with Caddy's log if it exits. The port can be taken between the
 * probe and Caddy's bind, so it tries twice.
 */
export const startCaddy = (site: (port: number) => string): Promise<Caddy> => attempt(site).catch(() => attempt(site))
