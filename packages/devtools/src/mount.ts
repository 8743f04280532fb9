import { defineElement, TAG, type DevtoolsElement, type Position } from './panel'
import { registry } from './registry'

export interface DevtoolsOptions {
  /** The corner of the button (and the panel). Default 'bottom-right'. */
  position?: Position
  /** Opens the panel the first time; after that, it opens as it was left (localStorage). */
  initialIsOpen?: boolean
  /** Messages each connection's log keeps (default 500): memory stays bounded whatever the traffic. */
  logCap?: number
  /** Where the element goes; default document.body. */
  container?: Element
}

export type { DevtoolsElement, Position }

let mounted: { el: DevtoolsElement; holds: number } | undefined

/**
 * Puts the devtools in the page: a small button in a corner that opens the panel. Every connection
 * of the React and Vue bindings and of followsocket/tabs shows up by itself, including those made
 * before this ran; a connect() connection shows up once passed to inspect(). Returns the function
 * that takes the panel away (after the last of several mounts). Does nothing without a DOM.
 */
export function mountDevtools(options: DevtoolsOptions = {}): () => void {
  if (typeof document === 'undefined' || typeof customElements === 'undefined') return () => {}
  const reg = registry()
  if (options.logCap !== undefined) reg.options.logCap = options.logCap
  if (mounted) mounted.holds++
  else {
    defineElement()
    const el = document.createElement(TAG) as DevtoolsElement
    el.setAttribute('position', options.position ?? 'bottom-right')
    if (options.initialIsOpen) el.setAttribute('initially-open', '')
    ;(options.container ?? document.body).append(el)
    mounted = { el, holds: 1 }
  }
  const it = mounted
  let done = false
  return () => {
    if (done) return
    done = true
    if (--it.holds) return
    it.el.remove()
    if (mounted === it) mounted = undefined
  }
}
