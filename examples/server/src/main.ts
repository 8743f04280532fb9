// `npm run demo` ends here: start the demo backend and say where to look.
import { DEMO_FEED } from '../../vanilla/message.js'
import { startDemo } from './demo'

const demo = await startDemo({ host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 5173) })

console.log(`followsocket demo
  control panel  ${demo.panel}
  vanilla app    ${demo.apps.vanilla}   (the <script> build, no bundler)
  React app      ${demo.apps.react}
  Vue app        ${demo.apps.vue}
  live feed      ${demo.live.v1}  (moves to ${demo.live.v2})
An app made by npm create followsocket, on its dev server beside the demo, connects to the feed too:
  the feed lets pages on http://localhost:<any port> and http://127.0.0.1:<any port> read its answers
  ${demo.live.v1 === DEMO_FEED ? 'it is the address such an app connects to by default' : `open the app with ?feed=${demo.live.v1} (it connects to ${DEMO_FEED} by default)`}
Open the panel and an app side by side, then move, restart or take down the feed.
Press Ctrl+C to stop.`)
