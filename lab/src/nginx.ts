// A real nginx for tests that check nginx recipes: started in the foreground on a free port of
// 127.0.0.1 with the caller's http { } and server { } lines, in a temporary prefix of its own.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './index'

/** The nginx binary, if this machine has one (.ci/run installs it on Debian). */
export const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx', '/usr/local/sbin/nginx', '/usr/local/bin/nginx'].find(existsSync)

export interface Nginx {
  readonly port: number
  /** Stops nginx (gracefully) and removes its prefix. */
  stop(): Promise<void>
}

const attempt = async (http: string, server: string): Promise<Nginx> => {
  if (!NGINX) throw new Error('nginx is not installed: .ci/run installs it with apt-get on Debian')
  const port = await freePort()
  const prefix = mkdtempSync(join(tmpdir(), 'followsocket-nginx-'))
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((name) => `${name}_temp_path ${prefix}/${name};`).join('\n  ')
  writeFileSync(
    join(prefix, 'nginx.conf'),
    `daemon off;\npid ${join(prefix, 'nginx.pid')};\nerror_log stderr notice;\nworker_processes 1;\nevents { worker_connections 64; }\n` +
      `http {\n  access_log off;\n  ${temp}\n${http}\n  server {\n    listen 127.0.0.1:${port};\n${server}\n  }\n}\n`,
  )
  const child = spawn(NGINX, ['-p', prefix, '-c', join(prefix, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] })
  let log = ''
  try {
    await new Promise<void>((done, fail) => {
      child.stderr!.on('data', (chunk) => {
        log += chunk
        if (/start worker process \d+/.test(log)) done()
      })
      child.once('exit', (code) => fail(new Error(`nginx exited (${code}):\n${log}`)))
      child.once('error', fail)
    })
  } catch (error) {
    rmSync(prefix, { recursive: true, force: true })
    throw error
  }
  return {
    port,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((done) => child.once('exit', done))
        child.kill('SIGQUIT')
        await exited
      }
      rmSync(prefix, { recursive: true, force: true })
    },
  }
}

/**
 * Starts nginx with `http` inside http { } and `server` inside a server { } listening on a free
 * port; resolves once its worker runs, rejects with nginx's log if it exits. The port can be
 * taken between the probe and nginx's bind, so it tries twice.
 */
export const startNginx = (http: string, server: string): Promise<Nginx> => attempt(http, server).catch(() => attempt(http, server))
