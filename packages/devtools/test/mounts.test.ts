// @vitest-environment jsdom
// The thin mounts: mountDevtools(), <FollowSocketDevtools /> in React and in Vue put one
// <followsocket-devtools> in the page while mounted, and take it away after.
import { createElement } from 'react'
import { act } from 'react'
import { createRoot } from 'react-dom/client'
import { createApp, h } from 'vue'
import { afterEach, describe, expect, it } from 'vitest'
import { mountDevtools } from '../src/mount'
import { FollowSocketDevtools as ReactDevtools } from '../src/react'
import { FollowSocketDevtools as VueDevtools } from '../src/vue'

;(globalThis as any).IS_REACT_ACT_ENVIRONMENT = true
const panels = () => document.querySelectorAll('followsocket-devtools')

afterEach(() => localStorage.clear())

describe('mounting the devtools', () => {
  it('mountDevtools() adds one element with a shadow root, however often it is called, and the last unmount removes it', () => {
    const first = mountDevtools({ position: 'top-left' })
    const second = mountDevtools()
    expect(panels()).toHaveLength(1)
    const root = panels()[0]!.shadowRoot!
    expect(root.querySelector('aside')!.getAttribute('data-position')).toBe('top-left')
    expect(root.querySelector('button.toggle')!.getAttribute('aria-expanded')).toBe('false')
    first()
    first()
    expect(panels()).toHaveLength(1)
    second()
    expect(panels()).toHaveLength(0)
  })

  it('opens as it was left: initialIsOpen only counts the first time', () => {
    const unmount = mountDevtools({ initialIsOpen: true })
    const toggle = () => panels()[0]!.shadowRoot!.querySelector('button.toggle') as HTMLButtonElement
    expect(toggle().getAttribute('aria-expanded')).toBe('true')
    toggle().click()
    unmount()
    const again = mountDevtools({ initialIsOpen: true })
    expect(toggle().getAttribute('aria-expanded')).toBe('false')
    again()
  })

  it('<FollowSocketDevtools /> in React', async () => {
    const root = createRoot(document.body.appendChild(document.createElement('div')))
    await act(() => root.render(createElement(ReactDevtools, { initialIsOpen: true })))
    expect(panels()).toHaveLength(1)
    expect(panels()[0]!.shadowRoot!.querySelector('section.panel')!.hasAttribute('hidden')).toBe(false)
    await act(() => root.unmount())
    expect(panels()).toHaveLength(0)
  })

  it('<FollowSocketDevtools /> in Vue', () => {
    const app = createApp({ render: () => h(VueDevtools, { position: 'bottom-left' }) })
    app.mount(document.body.appendChild(document.createElement('div')))
    expect(panels()).toHaveLength(1)
    expect(panels()[0]!.shadowRoot!.querySelector('aside')!.getAttribute('data-position')).toBe('bottom-left')
    app.unmount()
    expect(panels()).toHaveLength(0)
  })
})
