// A real nginx for tests that check nginx recipes: started in the foreground on a free port of
// 127.0.0.1 with the caller's http { } and server { } lines, in a temporary prefix of its own.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { findBinary, startDaemon, type Daemon } from './daemon'

/** The nginx binary, if this machine has one (.ci/run installs it on Debian). */
export const NGINX = findBinary('nginx')

export type Nginx = Pick<Daemon, 'port' | 'stop'>

/**
 * Starts nginx with `http` inside http { } and `server` inside a server { } listening on a free
 * port; resolves once its worker runs, rejects with nginx's log if it exits. Stops gracefully.
 */
export const startNginx = (http: string, server: string): Promise<Nginx> =>
  startDaemon({
    name: 'nginx',
    binary: NGINX,
    setup(prefix, port) {
      const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
        .map((name) => `${name}_temp_path ${prefix}/${name};`)
        .join('\n  ')
      writeFileSync(
        join(prefix, 'nginx.conf'),
        `daemon off;\npid ${join(prefix, 'nginx.pid')};\nerror_log stderr notice;\nworker_processes 1;\nevents { worker_connections 64; }\n` +
          `http {\n  access_log off;\n  ${temp}\n${http}\n  server {\n    listen 127.0.0.1:${port};\n${server}\n  }\n}\n`,
      )
      return { args: ['-p', prefix, '-c', join(prefix, 'nginx.conf')] }
    },
    ready: { log: /start worker process \d+/ },
    stopSignal: 'SIGQUIT',
  })
