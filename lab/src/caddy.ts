// A real Caddy for tests that check Caddy recipes: `caddy run` in the foreground on a free port
// of 127.0.0.1 with the caller's site block, its admin endpoint off (a fixed port, 2019, that
// two runs would fight over) and its data and config directories in a temporary one of its own.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { findBinary, startDaemon, type Daemon } from './daemon'

/** The caddy binary, if this machine has one (.ci/run installs it on Debian). */
export const CADDY = findBinary('caddy')

export type Caddy = Pick<Daemon, 'port' | 'stop'>

/**
 * Starts Caddy with the site block `site(port)`, which must listen on `port`; resolves once
 * Caddy serves it, rejects with Caddy's log if it exits.
 */
export const startCaddy = (site: (port: number) => string): Promise<Caddy> =>
  startDaemon({
    name: 'caddy',
    binary: CADDY,
    setup(dir, port) {
      const file = join(dir, 'Caddyfile')
      // auto_https off: a test site has no name to get a certificate for; default_bind keeps the
      // listener on the loopback interface.
      writeFileSync(file, `{\n\tadmin off\n\tauto_https off\n\tdefault_bind 127.0.0.1\n}\n\n${site(port)}`)
      const env = { ...process.env, HOME: dir, XDG_DATA_HOME: join(dir, 'data'), XDG_CONFIG_HOME: join(dir, 'config') }
      return { args: ['run', '--config', file, '--adapter', 'caddyfile'], env }
    },
    // Logged once every server of the configuration listens.
    ready: { log: /"serving initial configuration"/ },
    stopSignal: 'SIGTERM',
  })
