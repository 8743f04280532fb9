// Server rendering (docs/bindings.md#server-rendering-and-strict-mode): the case every binding
// shares (packages/core/test/bindings/ssr.ts), with React's renderToString. Runs in Node's own
// environment, where there is no window.
import { renderToString } from 'react-dom/server'
import { browserGlobalsRead } from '@followsocket/lab/testing'
import { serverRenderingSpecs } from '../../core/test/bindings/ssr'

serverRenderingSpecs(async (url, options) => {
  let html = ''
  const globalsRead = await browserGlobalsRead(async () => {
    // Imported here, not above, so that the import itself runs with the globals watched.
    const { useFollowSocket } = await import('../src')
    function Banner() {
      const { state, retry } = useFollowSocket(url, options)
      return <p>{retry ? `retrying in ${retry.delayMs} ms` : state}</p>
    }
    html = renderToString(<Banner />)
  })
  return { html, globalsRead }
})
