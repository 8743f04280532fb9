// Size of each client's main import, measured the same way for all: one bundler (rolldown),
// every dependency bundled, minified, comments stripped, gzip level 9 (scripts/size.mjs).
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { bundle, gzipSize } from '../scripts/size.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const iife = join(here, '../packages/core/dist/followsocket.iife.js')

export const SIZE_CASES = [
  { name: 'followsocket `connect`', code: `export { connect } from 'followsocket'` },
  { name: 'followsocket/websocket `FollowWebSocket`', code: `export { FollowWebSocket } from 'followsocket/websocket'` },
  { name: 'followsocket IIFE (everything)', file: iife },
  { name: 'partysocket `WebSocket`', code: `export { WebSocket } from 'partysocket'` },
  { name: 'reconnecting-websocket', code: `export { default } from 'reconnecting-websocket'` },
  { name: 'sockette', code: `export { default } from 'sockette'` },
  { name: 'websocket-ts `WebsocketBuilder`', code: `export { WebsocketBuilder } from 'websocket-ts'` },
  { name: 'socket.io-client `io`', code: `export { io } from 'socket.io-client'` },
]

/** [{ name, minified, gzip }] for every case, measured now. */
export async function measureSizes() {
  const rows = []
  for (const c of SIZE_CASES) {
    const text = c.file ? readFileSync(c.file, 'utf8') : await bundle(c.code, { from: here })
    rows.push({ name: c.name, minified: text.length, gzip: gzipSize(text) })
  }
  return rows
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await measureSizes()
  const base = rows[0].gzip
  console.log('| import | min | min+gzip | vs followsocket connect |\n|---|---:|---:|---:|')
  for (const r of rows) console.log(`| ${r.name} | ${(r.minified / 1024).toFixed(1)} KB | ${(r.gzip / 1024).toFixed(2)} KB | ${(r.gzip / base).toFixed(2)}× |`)
}
