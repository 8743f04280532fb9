// The fleet's followsocket clients, in a process of their own (run by roll.ts): one event loop
// must not serve both sides, or a busy backend would slow its own clients' reconnects. Each
// client connects to HAProxy's URL with its number in the query, keeps the library's default
// reconnect options, and sends numbered messages when told to.
import WebSocket from 'ws'
import { connect, type WebSocketConstructor } from 'followsocket'
import { messageNumber, type ClientsCommand, type ClientsReport } from './reports'

const url = process.env.FLEET_URL!
const count = Number(process.env.FLEET_CLIENTS)
// The library's default: a connection open this long counts as healthy again
// (docs/failure-path.md#pacing).
const MIN_UPTIME_MS = 5000

const say = (message: ClientsReport) => process.send!(message)
// When each client's current socket opened (performance.now()), undefined while it is down.
const openedAt: (number | undefined)[] = new Array(count).fill(undefined)
let openNow = 0
let everyOpenOnce = false
const errors: string[] = []
let waiting: (() => void) | undefined

const connections = Array.from({ length: count }, (_, i) => {
  const c = connect(`${url}?client=${i}`, { WebSocket: WebSocket as unknown as WebSocketConstructor })
  c.on('open', () => {
    openedAt[i] = performance.now()
    if (++openNow === count && !everyOpenOnce) {
      everyOpenOnce = true
      say({ t: 'open', count })
    }
    waiting?.()
  })
  c.on('close', () => {
    openedAt[i] = undefined
    openNow--
  })
  c.on('error', (error) => errors.push(error.code))
  return c
})

/** Once every client is open and the last one opened MIN_UPTIME_MS ago; re-checked on each open. */
const settle = () => {
  waiting = () => {
    if (openNow < count) return
    const left = Math.max(...(openedAt as number[])) + MIN_UPTIME_MS - performance.now()
    if (left > 0) return void setTimeout(waiting!, left)
    waiting = undefined
    say({ t: 'settled' })
  }
  waiting()
}

process.on('message', (command: ClientsCommand) => {
  if (command.t === 'settle') settle()
  else if (command.t === 'send') {
    // Client i sends message j at ((j + (i % 100) / 100) / 3) of the window: the sends cover the
    // window evenly, so some go out on an open socket, some on one closing, some while reconnecting.
    let left = count * 3
    for (let i = 0; i < count; i++)
      for (let j = 0; j < 3; j++)
        setTimeout(
          () => {
            connections[i]!.send(JSON.stringify({ c: i, n: messageNumber(command.step, j) }))
            if (--left === 0) say({ t: 'sent', step: command.step })
          },
          ((j + (i % 100) / 100) / 3) * command.windowMs,
        )
  } else if (command.t === 'stop') {
    for (const c of connections) c.close()
    process.send!({ t: 'errors', codes: errors } satisfies ClientsReport, () => process.disconnect())
  }
})
