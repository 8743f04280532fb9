// The set-up most Node tests here share, registered by importing this module (vitest gives each
// test file its own copy): a fresh lab server for each test (`lab`, a live binding), and after the
// test, every connection it tracked closed, then the lab. A file's own hooks run before these.
import { afterEach, beforeEach } from 'vitest'
import { startLab, type Lab } from '@followsocket/lab'

export let lab: Lab
const open: { close(): void }[] = []

/** Closes `c` after the test; returns it. */
export const track = <C extends { close(): void }>(c: C): C => {
  open.push(c)
  return c
}

beforeEach(async () => {
  lab = await startLab()
})
afterEach(async () => {
  for (const c of open.splice(0)) c.close()
  await lab.close()
})
