import { Card } from './card'
import { h, text } from './dom'
import { registry, type Registry } from './registry'
import { buildReport, type Report } from './report'
import { STYLES } from './styles'

// <followsocket-devtools>: a button in a corner that opens the panel, every watched connection in
// it as a Card. A custom element with an open shadow root: the app's CSS cannot reach in, and a
// test (or axe) can read it. Defined on first mount, not on import, so that importing the package
// where there is no DOM (server rendering) does nothing.

export const TAG = 'followsocket-devtools'
const STORAGE = 'followsocket-devtools'

export type Position = 'bottom-right' | 'bottom-left' | 'top-right' | 'top-left'

/** What the element offers the page (and tests) besides its DOM. */
export interface DevtoolsElement extends HTMLElement {
  open: boolean
  /** The report "Copy report" copies, as an object. */
  report(): Report
}

const stored = (): { open?: boolean } => {
  try {
    return JSON.parse(localStorage.getItem(STORAGE) ?? '{}')
  } catch {
    return {}
  }
}
const store = (open: boolean) => {
  try {
    localStorage.setItem(STORAGE, JSON.stringify({ open }))
  } catch {
    // No storage (a sandboxed frame, storage disabled): the panel just does not remember.
  }
}

// Which state the toggle's dot shows when several connections disagree: the one needing attention.
const URGENCY = ['reconnecting', 'connecting', 'resolving', 'closing', 'closed', 'idle', 'open']

export function defineElement(): void {
  if (customElements.get(TAG)) return

  class FollowSocketDevtools extends HTMLElement implements DevtoolsElement {
    private registry!: Registry
    private root!: HTMLElement
    private toggle!: HTMLButtonElement
    private panel!: HTMLElement
    private list!: HTMLElement
    private status!: HTMLElement
    private cards = new Map<object, Card>()
    private tabs = new Map<string, number>()
    private offs: (() => void)[] = []
    private timer?: ReturnType<typeof setTimeout>
    private ticker?: ReturnType<typeof setInterval>
    private isOpen = false

    connectedCallback() {
      this.registry = registry()
      const shadow = this.shadowRoot ?? this.attachShadow({ mode: 'open' })
      this.toggle = h('button', {
        type: 'button',
        class: 'toggle',
        'aria-expanded': 'false',
        'aria-controls': 'panel',
        onclick: () => (this.open = !this.isOpen),
      })
      this.status = h('p', { class: 'status', role: 'status' })
      this.list = h('div', { class: 'list' })
      this.panel = h(
        'section',
        { class: 'panel', id: 'panel', hidden: true, tabindex: -1, 'aria-labelledby': 'title' },
        h(
          'div',
          { class: 'bar' },
          h('h2', { id: 'title' }, 'followsocket devtools'),
          this.status,
          h('button', { type: 'button', 'data-action': 'copy', onclick: () => this.copy() }, 'Copy report'),
          h(
            'button',
            { type: 'button', 'data-action': 'hide', 'aria-label': 'Close devtools', onclick: () => this.hide() },
            'Close',
          ),
        ),
        this.list,
      )
      this.root = h(
        'aside',
        {
          class: 'root',
          'aria-label': 'followsocket devtools',
          'data-position': this.getAttribute('position') ?? 'bottom-right',
        },
        this.toggle,
        this.panel,
      )
      shadow.replaceChildren(h('style', {}, STYLES), this.root)
      shadow.addEventListener('keydown', (event) => {
        if ((event as KeyboardEvent).key === 'Escape' && this.isOpen) {
          event.stopPropagation()
          this.hide()
        }
      })
      this.offs.push(this.registry.subscribe(() => this.schedule()))
      this.setOpen(stored().open ?? this.hasAttribute('initially-open'), false)
      this.render()
    }

    disconnectedCallback() {
      for (const off of this.offs.splice(0)) off()
      clearTimeout(this.timer)
      clearInterval(this.ticker)
      this.timer = this.ticker = undefined
    }

    get open() {
      return this.isOpen
    }
    set open(open: boolean) {
      this.setOpen(open, true)
    }

    report(): Report {
      const now = Date.now()
      return buildReport(
        this.registry.recordings().map((recording) => {
          const entries = this.registry.entries(recording)
          const lock = entries.find((e) => e.lock)?.lock
          return {
            recording,
            name: this.registry.name(recording),
            entries,
            ended: this.registry.ended(recording),
            tabs: lock ? this.tabs.get(lock) : undefined,
          }
        }),
        { now, page: location.href, userAgent: navigator.userAgent },
      )
    }

    private hide() {
      this.setOpen(false, true)
      this.toggle.focus()
    }

    private setOpen(open: boolean, remember: boolean) {
      this.isOpen = open
      if (remember) store(open)
      this.toggle.setAttribute('aria-expanded', String(open))
      this.panel.hidden = !open
      clearInterval(this.ticker)
      this.ticker = undefined
      if (open) {
        // The countdown and the timeline move between events: a few redraws a second, only while open.
        this.ticker = setInterval(() => this.render(), 250)
        this.render(true)
        if (remember) this.panel.focus()
      }
    }

    /** Coalesces the registry's notifications (one per message, on a busy feed) into at most ten redraws a second. */
    private schedule() {
      this.timer ??= setTimeout(() => {
        this.timer = undefined
        this.render()
      }, 100)
    }

    private render(force = false) {
      // Those still held first, in the order they came; then those no one holds any more.
      const recordings = this.registry
        .recordings()
        .sort((a, b) => (this.registry.ended(a) ?? 0) - (this.registry.ended(b) ?? 0))
      const states = recordings.map((r) => r.connection.state)
      const worst = URGENCY.find((state) => states.includes(state as never))
      this.toggle.replaceChildren(
        ...(worst ? [h('span', { class: 'dot', 'data-state': worst, 'aria-hidden': 'true' })] : []),
        `followsocket · ${recordings.length}`,
      )
      this.toggle.setAttribute(
        'aria-label',
        `followsocket devtools: ${recordings.length} connection${recordings.length === 1 ? '' : 's'}${worst ? `, ${worst}` : ''}`,
      )
      if (!this.isOpen) return
      this.countTabs(recordings)
      const now = Date.now()
      if (recordings.length) this.list.querySelector('.empty')?.remove()
      const keep = new Set<object>(recordings)
      for (const [recording, card] of this.cards)
        if (!keep.has(recording)) {
          card.el.remove()
          this.cards.delete(recording)
        }
      recordings.forEach((recording, i) => {
        let card = this.cards.get(recording)
        if (!card) {
          card = new Card(recording)
          this.cards.set(recording, card)
          card.update({ registry: this.registry, tabs: this.tabs, now }, true)
        } else card.update({ registry: this.registry, tabs: this.tabs, now }, force)
        // In the registry's order. Moved only when out of place: moving a node blurs what has focus in it.
        const at = this.list.children[i]
        if (at !== card.el) this.list.insertBefore(card.el, at ?? null)
      })
      if (!recordings.length && !this.list.querySelector('.empty'))
        this.list.replaceChildren(
          h(
            'p',
            { class: 'empty' },
            'No connection yet. Connections of the React and Vue bindings and of followsocket/tabs show up by themselves; pass one of connect() to inspect().',
          ),
        )
    }

    private counting = 0
    /** Tabs sharing a connection: the lock's holder and the tabs waiting for it (Web Locks' query()), every 2 s. */
    private countTabs(recordings: ReturnType<Registry['recordings']>) {
      const locks = recordings.flatMap((r) => this.registry.entries(r).flatMap((e) => (e.lock ? [e.lock] : [])))
      if (!locks.length || !globalThis.navigator?.locks || Date.now() - this.counting < 2000) return
      this.counting = Date.now()
      navigator.locks.query().then(
        ({ held = [], pending = [] }) => {
          for (const lock of locks) this.tabs.set(lock, [...held, ...pending].filter((l) => l.name === lock).length)
        },
        () => {},
      )
    }

    private async copy() {
      const json = JSON.stringify(this.report(), null, 2)
      this.panel.querySelector('.report')?.remove()
      try {
        await navigator.clipboard.writeText(json)
        text(this.status, 'Report copied')
      } catch {
        // No clipboard here (permissions, an insecure origin): the report, selected, to copy by hand.
        const area = h('textarea', { class: 'report', readonly: true, 'aria-label': 'Report (JSON)' })
        area.value = json
        this.list.before(area)
        area.focus()
        area.select()
        text(this.status, 'Copy the report below')
      }
    }
  }

  customElements.define(TAG, FollowSocketDevtools)
}
