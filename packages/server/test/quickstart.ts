// The README's quick start, run as a user runs it: its first ```js block, with its port 8080
// replaced by a free one, as a module inside this package (so `@followsocket/server` resolves to
// the build, as it does for an npm user) in a child Node process.
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { freePort } from '@followsocket/lab'
import { fileURLToPath } from 'node:url'

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
export const QUICK_START = /```js\n([\s\S]*?)```/.exec(readme)![1]!

export interface QuickStart {
  readonly port: number
  http(path: string): string
  ws(path: string): string
  stop(): Promise<void>
}

/** Starts the quick start; resolves once it answers HTTP. */
export async function startQuickStart(): Promise<QuickStart> {
  const port = await freePort()
  if (!QUICK_START.includes('8080')) throw new Error('the quick start no longer listens on 8080: update this harness')
  const file = fileURLToPath(new URL(`../.quickstart-${port}.mjs`, import.meta.url))
  writeFileSync(file, QUICK_START.replaceAll('8080', String(port)))
  const child: ChildProcess = spawn(process.execPath, [file], { stdio: ['ignore', 'inherit', 'inherit'] })
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  const http = (path: string) => `http://127.0.0.1:${port}${path}`
  try {
    // Until it listens: each refused request is answered at once, so this waits for the event.
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the quick start exited with ${child.exitCode}`)
      const answered = await fetch(http('/'), { method: 'HEAD' }).then(
        () => true,
        () => false,
      )
      if (answered) break
    }
  } finally {
    rmSync(file, { force: true })
  }
  return {
    port,
    http,
    ws: (path) => `ws://127.0.0.1:${port}${path}`,
    stop: async () => {
      child.kill()
      await exited
    },
  }
}
