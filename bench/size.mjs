// Size of each client's main import, measured the same way for all and with both bundlers users
// reach for (esbuild, rolldown): every dependency bundled, minified, comments stripped, gzip
// level 9 (scripts/size.mjs).
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { BUNDLERS, bundle, gzipSize } from '../scripts/size.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const iife = join(here, '../packages/core/dist/followsocket.iife.js')

export const SIZE_CASES = [
  { name: 'followsocket `connect`', code: `export { connect } from 'followsocket'` },
  {
    name: 'followsocket/websocket `FollowWebSocket`',
    code: `export { FollowWebSocket } from 'followsocket/websocket'`,
  },
  { name: 'followsocket IIFE (everything)', file: iife },
  { name: 'partysocket `WebSocket`', code: `export { WebSocket } from 'partysocket'` },
  { name: 'reconnecting-websocket', code: `export { default } from 'reconnecting-websocket'` },
  { name: 'sockette', code: `export { default } from 'sockette'` },
  { name: 'websocket-ts `WebsocketBuilder`', code: `export { WebsocketBuilder } from 'websocket-ts'` },
  { name: 'socket.io-client `io`', code: `export { io } from 'socket.io-client'` },
]

/**
 * [{ name, minified, gzip, esbuild }] for every case, measured now: `minified` and `gzip` with
 * rolldown, `esbuild` the gzip size with esbuild (the IIFE is measured as built).
 */
export async function measureSizes() {
  const rows = []
  for (const c of SIZE_CASES) {
    const [esbuild, rolldown] = c.file
      ? [readFileSync(c.file, 'utf8'), readFileSync(c.file, 'utf8')]
      : await Promise.all(BUNDLERS.map((bundler) => bundle(c.code, { bundler, from: here })))
    rows.push({ name: c.name, minified: rolldown.length, gzip: gzipSize(rolldown), esbuild: gzipSize(esbuild) })
  }
  return rows
}

/** The size table of results.md and the README. */
export const sizeTable = (rows) => {
  const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`
  const lines = [
    '| import | minified (rolldown) | min+gzip, rolldown | min+gzip, esbuild | × followsocket connect |',
    '|---|---:|---:|---:|---:|',
  ]
  for (const r of rows)
    lines.push(
      `| ${r.name} | ${kb(r.minified)} | ${kb(r.gzip)} | ${kb(r.esbuild)} | ${(r.gzip / rows[0].gzip).toFixed(2)} |`,
    )
  return lines.join('\n')
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(sizeTable(await measureSizes()))
