// @vitest-environment jsdom
// Shared connections (docs/sharing.md#in-the-page): the cases every binding shares
// (packages/core/test/bindings/share.ts), then Vue's server rendering of a sharer.
import { createSSRApp, defineComponent, h } from 'vue'
import { renderToString } from 'vue/server-renderer'
import { describe, expect, it } from 'vitest'
import { quiet } from '@followsocket/lab/testing'
import { lab } from '../../core/test/lab'
import { base } from '../../core/test/bindings/binding'
import { shareSpecs } from '../../core/test/bindings/share'
import { useFollowSocket } from '../src'
import { vue } from './binding'

shareSpecs(vue)

describe('share: true, in Vue', () => {
  it('server rendering a sharer opens no socket', async () => {
    lab.endpoint('/live', { echo: false })
    const Sharer = defineComponent({
      setup() {
        const { state } = useFollowSocket(() => lab.ws('/live'), { ...base, share: true })
        return () => h('p', state.value)
      },
    })
    const html = await renderToString(createSSRApp(Sharer))
    expect(html).toContain('idle')
    await quiet(50)
    expect(lab.count('/live', 'upgrade')).toBe(0)
  })
})
