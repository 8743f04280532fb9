// Server rendering (docs/bindings.md#server-rendering-and-strict-mode): the case every binding
// shares (packages/core/test/bindings/ssr.ts), with Vue's renderToString. Runs in Node's own
// environment, where there is no window.
import { createSSRApp, defineComponent, h } from 'vue'
import { renderToString } from 'vue/server-renderer'
import { browserGlobalsRead } from '@followsocket/lab/testing'
import { serverRenderingSpecs } from '../../core/test/bindings/ssr'

serverRenderingSpecs(async (url, options) => {
  // Imported here, not above, so that the import itself runs with the globals watched.
  let useFollowSocket!: typeof import('../src').useFollowSocket
  const readByImport = await browserGlobalsRead(async () => {
    ;({ useFollowSocket } = await import('../src'))
  })
  const Banner = defineComponent({
    setup() {
      const { state, retry } = useFollowSocket(url, options)
      return () => h('p', retry.value ? `retrying in ${retry.value.delayMs} ms` : state.value)
    },
  })
  // createSSRApp itself looks for window (Vue's devtools hook), so only the render is watched.
  const app = createSSRApp(Banner)
  let html = ''
  const readByRender = await browserGlobalsRead(async () => {
    html = await renderToString(app)
  })
  return { html, globalsRead: [...readByImport, ...readByRender] }
})
