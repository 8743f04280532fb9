// `npm run demo` ends here: start the demo backend and say where to look.
import { startDemo } from './demo'

const demo = await startDemo({ host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 5173) })

console.log(`followsocket demo
  control panel  ${demo.panel}
  vanilla app    ${demo.apps.vanilla}   (the <script> build, no bundler)
  React app      ${demo.apps.react}
  Vue app        ${demo.apps.vue}
  live feed      ${demo.live.v1}  (moves to ${demo.live.v2})
Open the panel and an app side by side, then move, restart or take down the feed.
Press Ctrl+C to stop.`)
