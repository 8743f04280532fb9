import { h, text } from './dom'
import { bytes, clock, duration } from './format'
import type { LogEntry, LogFilter } from './log'
import type { Recording } from './recorder'
import { fromStore, fromTabs, type Registry } from './registry'
import { bands, describeStrip, placeMarks, windowFor } from './timeline'

// One connection in the panel. Built once; update() changes text in place and rebuilds only the
// lists whose data moved, so focus stays where it is (a button, the filter box) while messages
// stream in.

/** Rows of the message log drawn at once (the log keeps more: its cap, and the report carries 50). */
const ROWS = 100
const FULL_REDRAW_MS = 1000
const ERRORS_SHOWN = 5
const MOVES_SHOWN = 5
/** How each way of finding a new location reads (the redirect event's `via`). */
const VIA = { preflight: 'preflight', cache: 'cache', 'close-frame': 'close frame 4308' } as const

let ids = 0

export interface CardContext {
  registry: Registry
  /** Tabs holding or waiting for each Web Lock, where the page could count them. */
  tabs: Map<string, number>
  now: number
}

export class Card {
  readonly el: HTMLElement
  private readonly id = `fsd-${++ids}`
  private readonly f: Record<string, HTMLElement> = {}
  private seen = { version: -1, log: '', strip: 0, fullDraw: 0 }
  /** The newest entry drawn, and the filter it was drawn with: later entries are added on top, not redrawn. */
  private top?: { entry: LogEntry; filter: string }
  private filter: LogFilter = { dir: 'all', text: '' }

  constructor(readonly recording: Recording) {
    const f = this.f
    const field = <E extends HTMLElement>(name: string, el: E) => {
      f[name] = el
      el.setAttribute('data-field', name)
      return el
    }
    // Plain groups under a heading, not <section>s: a named section is a landmark, and every card has the same four.
    const section = (title: string, ...children: (Node | string)[]) =>
      h('div', { class: 'part' }, h('h4', {}, title), ...children)
    const row = (term: string, name: string, el: HTMLElement = h('span')) => [
      h('dt', {}, term),
      h('dd', {}, field(name, el)),
    ]

    field('pause', h('button', { type: 'button', 'aria-pressed': 'false', onclick: () => this.pause() }, 'Pause'))
    field(
      'filter',
      h('input', {
        type: 'search',
        size: 14,
        oninput: (e) => this.setFilter({ text: (e.target as HTMLInputElement).value }),
      }),
    )
    field(
      'dir',
      h(
        'select',
        { onchange: (e) => this.setFilter({ dir: (e.target as HTMLSelectElement).value as LogFilter['dir'] }) },
        h('option', { value: 'all' }, 'in and out'),
        h('option', { value: 'in' }, 'in'),
        h('option', { value: 'out' }, 'out'),
      ),
    )

    this.el = h(
      'article',
      { class: 'card', 'aria-labelledby': `${this.id}-name` },
      h(
        'div',
        { class: 'card-head' },
        field('name', h('h3', { id: `${this.id}-name` })),
        field('state', h('span', { class: 'pill' })),
        field('ended', h('span', { class: 'muted' })),
        h(
          'div',
          { class: 'actions' },
          h(
            'button',
            { type: 'button', 'data-action': 'reconnect', onclick: () => recording.reconnect() },
            'Reconnect now',
          ),
          h(
            'button',
            { type: 'button', 'data-action': 'close', onclick: () => recording.connection.close() },
            'Close connection',
          ),
        ),
      ),
      h(
        'dl',
        {},
        ...row('Requested', 'url', h('code')),
        ...row('Resolved', 'resolved', h('code')),
        ...row('Attempts', 'attempts'),
        ...row('Buffered', 'buffered'),
        ...row('Shared', 'sharing'),
      ),
      field('wait', h('p', { class: 'wait' })),
      section('How it got there', field('chain', h('ol', { class: 'chain' }))),
      section(
        'Timeline',
        field('strip', h('div', { class: 'strip', role: 'img' })),
        h('div', { class: 'scale', 'aria-hidden': 'true' }, field('scale', h('span')), h('span', {}, 'now')),
        h(
          'div',
          { class: 'legend', 'aria-hidden': 'true' },
          ...[
            ['connecting', '#7dd3fc'],
            ['open', '#4ade80'],
            ['reconnecting', '#fbbf24'],
            ['closed', '#64748b'],
            ['move', '#c084fc'],
            ['error', '#ef4444'],
            ['wake-up', '#0ea5e9'],
          ].map(([name, swatch]) => h('span', { style: `--swatch: ${swatch}` }, name!)),
        ),
      ),
      section('Errors', field('errors', h('ol', { class: 'errors' }))),
      section(
        'Messages',
        h(
          'div',
          { class: 'controls' },
          f.pause!,
          h('label', {}, 'Filter', f.filter!),
          h('label', {}, 'Show', f.dir!),
          h(
            'button',
            {
              type: 'button',
              onclick: () => {
                recording.log.clear()
                this.update(this.last!, true)
              },
            },
            'Clear',
          ),
        ),
        field('counts', h('p', { class: 'muted', style: 'margin: 0 0 4px' })),
        field('log', h('ol', { class: 'log', tabindex: 0, 'aria-label': 'Message log, newest first' })),
      ),
    )
  }

  private last?: CardContext

  private pause() {
    const log = this.recording.log
    log.paused = !log.paused
    this.f.pause!.setAttribute('aria-pressed', String(log.paused))
    text(this.f.pause!, log.paused ? 'Resume' : 'Pause')
    this.update(this.last!, true)
  }

  private setFilter(patch: LogFilter) {
    this.filter = { ...this.filter, ...patch }
    this.update(this.last!, true)
  }

  /** Redraws what changed since the last call (everything, with `force`). */
  update(context: CardContext, force = false): void {
    this.last = context
    const { recording: r, f } = this
    const { registry, now } = context
    const c = r.connection
    const changed = force || r.version !== this.seen.version
    this.seen.version = r.version

    // Live values: cheap, read every time (the countdown moves between events).
    text(f.name!, registry.name(r))
    f.state!.dataset.state = c.state
    text(f.state!, c.state)
    const ended = registry.ended(r)
    text(f.ended!, ended ? `no longer held since ${clock(ended)}` : '')
    text(f.url!, c.url || '(a URL function, not called yet)')
    text(f.resolved!, c.resolvedUrl ?? 'not open yet')
    text(f.buffered!, `${c.buffered} message${c.buffered === 1 ? '' : 's'} waiting to be sent`)
    text(
      f.attempts!,
      `${r.handshakes} handshake${r.handshakes === 1 ? '' : 's'} since watched${r.attempt ? ` · latest reconnect attempt ${r.attempt}` : ''}`,
    )
    text(f.sharing!, this.sharing(context))
    text(f.wait!, this.waitText(now))
    f.wait!.hidden = !r.wait

    if (force || now - this.seen.strip >= 1000 || changed) this.drawStrip(now)
    this.drawLog(now, force)
    if (!changed) return
    this.drawChain()
    this.drawErrors()
  }

  private sharing({ registry, tabs }: CardContext): string {
    const entries = registry.entries(this.recording)
    const components = entries.filter(fromStore)
    const lock = entries.find(fromTabs)
    const parts: string[] = []
    if (components.length > 1) parts.push(`by ${components.length} components (share: true)`)
    else if (components.length === 1)
      parts.push(
        components[0]!.share ? 'share is on; 1 component holds it' : 'not shared: 1 component, its own connection',
      )
    else if (!entries.length) parts.push('no component, tab or inspect() holds it any more')
    else if (!lock) parts.push('not shared (watched with inspect())')
    if (lock) {
      const count = tabs.get(lock.lock!)
      parts.push(
        `across ${count ? `${count} tab${count === 1 ? '' : 's'}` : 'tabs'}: ${lock.leads?.() ? 'this tab leads (holds the socket)' : 'another tab leads; this one follows'}`,
      )
    }
    return parts.join(' · ')
  }

  private waitText(now: number): string {
    const wait = this.recording.wait
    if (!wait) return ''
    const left = Number.isFinite(wait.until)
      ? `in ${duration(Math.max(0, wait.until - now))} (of ${duration(wait.delayMs)})`
      : 'when the network is back'
    const why = wait.serverAskedMs
      ? `the server asked for ${duration(wait.serverAskedMs)} (Retry-After${wait.status ? ` on a ${wait.status}` : ''}), plus back-off`
      : `back-off${wait.code ? ` after ${wait.code}${wait.status ? ` (${wait.status})` : ''}` : ''}`
    return `Next attempt (${wait.attempt}) ${left}: ${why}.`
  }

  /** Every move recorded (the last MOVES_SHOWN), oldest first, hop by hop: how the connection got where it is. */
  private drawChain() {
    const r = this.recording
    const list = this.f.chain!
    if (!r.redirects.length)
      return void list.replaceChildren(
        h('li', { class: 'muted' }, 'No redirect seen: it opened where it was asked to.'),
      )
    const shown = r.redirects.slice(-MOVES_SHOWN)
    list.replaceChildren(
      ...(r.redirects.length > shown.length
        ? [h('li', { class: 'muted' }, `${r.redirects.length - shown.length} earlier moves not shown (in the report)`)]
        : []),
      ...shown.flatMap((move) => {
        const via = VIA[move.via]
        const hops = move.hops.length ? move.hops : [{ from: move.from, to: move.to }]
        return hops.map((hop) =>
          h(
            'li',
            { 'data-via': move.via },
            h('span', { class: 'muted' }, clock(move.at)),
            h('code', {}, hop.from),
            '→',
            h('code', {}, hop.to),
            h('span', { class: 'via' }, hop.status ? `${via} · ${hop.status}` : via),
          ),
        )
      }),
    )
  }

  private drawStrip(now: number) {
    this.seen.strip = now
    const r = this.recording
    const windowMs = windowFor(r.since, now)
    const list = bands(r.transitions, now, windowMs)
    const marks = placeMarks(r.marks, now, windowMs)
    const strip = this.f.strip!
    text(this.f.scale!, `${duration(windowMs)} ago`)
    strip.setAttribute('aria-label', describeStrip(list, marks, windowMs))
    strip.replaceChildren(
      ...list.map((b) =>
        h('div', { class: 'band', 'data-kind': b.kind, style: `left: ${b.left}%; width: ${b.width}%` }),
      ),
      ...marks.map((m) =>
        h('div', { class: 'mark', 'data-kind': m.kind, title: `${clock(m.at)} ${m.label}`, style: `left: ${m.left}%` }),
      ),
    )
  }

  private drawErrors() {
    const errors = this.recording.errors
    const list = this.f.errors!
    if (!errors.length) return void list.replaceChildren(h('li', { class: 'muted' }, 'None since watched.'))
    list.replaceChildren(
      ...errors
        .slice(-ERRORS_SHOWN)
        .reverse()
        .map((e) =>
          h(
            'li',
            { 'data-code': e.code },
            h('span', { class: 'muted' }, clock(e.at)),
            ' ',
            h('code', { class: 'code' }, e.code),
            e.status ? ` ${e.status}` : '',
            e.retryAfterMs ? ` · asked to wait ${duration(e.retryAfterMs)}` : '',
            h('div', {}, e.message),
          ),
        ),
      ...(errors.length > ERRORS_SHOWN
        ? [h('li', { class: 'muted' }, `${errors.length - ERRORS_SHOWN} earlier not shown (in the report)`)]
        : []),
    )
  }

  private drawLog(now: number, force: boolean) {
    const { log, sendsLogged } = this.recording
    const c = log.counts
    const key = `${c.in}:${c.out}:${log.size}:${log.paused}:${this.filter.dir}:${this.filter.text}`
    if (key === this.seen.log) return
    // Rows drawn, else left for a later redraw (a feed faster than anyone reads): the key stays old.
    if (!this.drawRows(log.entries(this.filter), now, force)) return
    this.seen.log = key
    text(
      this.f.counts!,
      `${c.in} in (${bytes(c.bytesIn)}) · ${c.out} out (${bytes(c.bytesOut)})${c.invalid ? ` · ${c.invalid} invalid` : ''}` +
        ` · keeps the last ${log.cap}${log.paused ? ` · paused, ${c.skipped} not kept` : ''}${sendsLogged ? '' : ' · outgoing not recorded'}`,
    )
  }

  /**
   * The newest ROWS entries, newest first. Only rows for entries newer than the last drawn are
   * made, and the oldest dropped. When more than ROWS came since, every row is new: that redraw
   * happens at most once a second (FULL_REDRAW_MS), since nobody reads a feed that fast, and
   * redrawing costs the page's main thread (style, layout, paint) what the messages need. Returns
   * whether it drew.
   */
  private drawRows(entries: LogEntry[], now: number, force: boolean): boolean {
    const list = this.f.log!
    const filter = `${this.filter.dir}\n${this.filter.text}`
    const newest = entries[entries.length - 1]
    const from = this.top?.filter === filter ? entries.lastIndexOf(this.top.entry) : -1
    const full = from < 0 || entries.length - from - 1 >= ROWS
    if (full && newest && !force && now - this.seen.fullDraw < FULL_REDRAW_MS) return false
    this.top = newest && { entry: newest, filter }
    if (!newest)
      list.replaceChildren(
        h('li', { class: 'muted' }, this.recording.log.size ? 'Nothing matches the filter.' : 'No messages yet.'),
      )
    else if (full) {
      this.seen.fullDraw = now
      list.replaceChildren(...entries.slice(-ROWS).reverse().map(logRow))
    } else {
      list.prepend(
        ...entries
          .slice(from + 1)
          .reverse()
          .map(logRow),
      )
      while (list.children.length > ROWS) list.lastElementChild!.remove()
    }
    return true
  }
}

const logRow = (e: LogEntry) =>
  h(
    'li',
    { 'data-dir': e.dir, ...(e.flag ? { 'data-flag': e.flag } : {}) },
    h('span', { class: 'muted' }, clock(e.at)),
    h('span', { class: 'dir' }, e.dir),
    h('span', { class: 'muted' }, bytes(e.size)),
    h(
      'span',
      { class: 'mono' },
      e.flag ? h('span', { class: 'flag' }, `${e.flag}${e.note ? `: ${e.note}` : ''} `) : '',
      e.text,
    ),
  )
