import { iso } from './format'
import type { LogEntry } from './log'
import type { Recording } from './recorder'
import { redactText, redactUrl } from './redact'
import { fromStore, fromTabs, type Entry } from './registry'

// "Copy report": what the panel shows, as one JSON document for a bug report. Every URL and every
// text that may quote one (error messages, message previews, the tabs' lock name, which holds the
// URL) goes through redaction (redact.ts) on its way in.

export const REPORT_VERSION = 1
/** Messages a report carries, the newest: enough to see a pattern, not a transcript. */
const MESSAGES_IN_REPORT = 50

/** What the report needs of a watched connection besides its recording. */
export interface ReportItem {
  recording: Recording
  name: string
  entries: Entry[]
  ended?: number
  /** Tabs sharing the connection, where the page could count them (Web Locks). */
  tabs?: number
}

export interface ReportContext {
  now: number
  page?: string
  userAgent?: string
}

const message = (entry: LogEntry) => ({
  at: iso(entry.at),
  dir: entry.dir,
  size: entry.size,
  binary: entry.binary,
  text: redactText(entry.text),
  ...(entry.flag ? { flag: entry.flag } : {}),
  ...(entry.note ? { note: redactText(entry.note) } : {}),
})

/** Sharing: how many components hold the connection, and across tabs, which tab leads. */
export function sharing(entries: Entry[], tabs?: number) {
  const components = entries.filter(fromStore)
  const lock = entries.find(fromTabs)
  return {
    components: components.length,
    shared: components.some((entry) => entry.share) || !!lock,
    ...(lock
      ? { tabs: { lock: redactText(lock.lock!), thisTabLeads: !!lock.leads?.(), ...(tabs ? { count: tabs } : {}) } }
      : {}),
  }
}

export function buildReport(items: ReportItem[], context: ReportContext) {
  return {
    report: '@followsocket/devtools',
    version: REPORT_VERSION,
    generatedAt: iso(context.now),
    ...(context.page ? { page: redactUrl(context.page) } : {}),
    ...(context.userAgent ? { userAgent: context.userAgent } : {}),
    connections: items.map(({ recording: r, name, entries, ended, tabs }) => {
      const c = r.connection
      const states = r.transitions.map((t, i) => ({
        state: t.state,
        at: iso(t.at),
        forMs: (r.transitions[i + 1]?.at ?? context.now) - t.at,
      }))
      return {
        name: redactText(name),
        state: c.state,
        url: redactUrl(c.url),
        resolvedUrl: c.resolvedUrl === undefined ? null : redactUrl(c.resolvedUrl),
        buffered: c.buffered,
        watchedSince: iso(r.since),
        ...(ended ? { endedAt: iso(ended) } : {}),
        sharing: sharing(entries, tabs),
        attempt: r.attempt,
        handshakes: r.handshakes,
        wait: r.wait
          ? {
              attempt: r.wait.attempt,
              delayMs: r.wait.delayMs,
              nextAttemptAt: Number.isFinite(r.wait.until) ? iso(r.wait.until) : null,
              serverAskedMs: r.wait.serverAskedMs ?? null,
            }
          : null,
        redirects: r.redirects.map((x) => ({
          at: iso(x.at),
          via: x.via,
          from: redactUrl(x.from),
          to: redactUrl(x.to),
          hops: x.hops.map((hop) => ({
            from: redactUrl(hop.from),
            to: redactUrl(hop.to),
            ...(hop.status ? { status: hop.status } : {}),
          })),
        })),
        errors: r.errors.map((e) => ({
          at: iso(e.at),
          code: e.code,
          ...(e.status ? { status: e.status } : {}),
          ...(e.retryAfterMs ? { retryAfterMs: e.retryAfterMs } : {}),
          message: redactText(e.message),
        })),
        lastClose: r.lastClose
          ? { ...r.lastClose, reason: redactText(r.lastClose.reason), at: iso(r.lastClose.at) }
          : null,
        states,
        marks: r.marks.map((m) => ({ kind: m.kind, at: iso(m.at), label: redactText(m.label) })),
        messages: {
          ...r.log.counts,
          outgoingLogged: r.sendsLogged,
          kept: r.log.size,
          cap: r.log.cap,
          last: r.log.entries().slice(-MESSAGES_IN_REPORT).map(message),
        },
      }
    }),
  }
}

export type Report = ReturnType<typeof buildReport>
