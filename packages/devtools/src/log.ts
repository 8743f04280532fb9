// The message log of one connection: a ring of the last `cap` messages in and out, so that a feed
// of thousands of messages a second costs a fixed amount of memory and a constant time per
// message (no array shifting). Pausing keeps the counts going but stores nothing.

export type Direction = 'in' | 'out'

export interface LogEntry {
  at: number
  dir: Direction
  /** Bytes on the wire: UTF-8 for text, byteLength or size for binary. */
  size: number
  binary: boolean
  /** The start of a text message (PREVIEW characters), or a description of a binary one. */
  text: string
  /**
   * invalid: arrived but not delivered (bad JSON, or the schema refused it; `note` says why).
   * queued: sent while not open, so it waited in the send buffer. refused: send() threw (`note`: the code).
   */
  flag?: 'invalid' | 'queued' | 'refused'
  note?: string
}

export interface LogFilter {
  /** Keeps entries whose text or note contains this, any case. */
  text?: string
  dir?: Direction | 'all'
}

export interface LogCounts {
  in: number
  out: number
  bytesIn: number
  bytesOut: number
  invalid: number
  /** Messages that passed while the log was paused: counted, not kept. */
  skipped: number
}

export const DEFAULT_CAP = 500
const PREVIEW = 200

/** UTF-8 length of a string without encoding it: 1 to 3 bytes a code unit, 4 for a surrogate pair. */
export function utf8Length(text: string): number {
  let n = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdfff ? 2 : 3
  }
  return n
}

/** What the log keeps of one frame's data: its size and a preview, never the data itself. */
export function describe(data: unknown): Pick<LogEntry, 'size' | 'binary' | 'text'> {
  if (typeof data === 'string')
    return { size: utf8Length(data), binary: false, text: data.length > PREVIEW ? `${data.slice(0, PREVIEW)}…` : data }
  const size = (data as ArrayBufferLike | ArrayBufferView)?.byteLength ?? (data as Blob)?.size
  if (typeof size === 'number') return { size, binary: true, text: `binary, ${size} bytes` }
  // A parsed value (a listener's own send of an object would have thrown before this).
  let text: string
  try {
    text = JSON.stringify(data) ?? String(data)
  } catch {
    text = String(data)
  }
  return { size: utf8Length(text), binary: false, text: text.length > PREVIEW ? `${text.slice(0, PREVIEW)}…` : text }
}

export class MessageLog {
  readonly cap: number
  paused = false
  readonly counts: LogCounts = { in: 0, out: 0, bytesIn: 0, bytesOut: 0, invalid: 0, skipped: 0 }
  private ring: (LogEntry | undefined)[]
  private next = 0
  private held = 0

  constructor(cap = DEFAULT_CAP) {
    if (!(cap >= 1)) throw new RangeError(`The log's cap must be at least 1 (got ${cap})`)
    this.cap = Math.floor(cap)
    this.ring = new Array(this.cap)
  }

  /** How many entries are kept now: at most `cap`. */
  get size(): number {
    return this.held
  }

  add(entry: LogEntry): void {
    const c = this.counts
    if (entry.dir === 'in') {
      c.in++
      c.bytesIn += entry.size
    } else {
      c.out++
      c.bytesOut += entry.size
    }
    if (entry.flag === 'invalid') c.invalid++
    if (this.paused) {
      c.skipped++
      return
    }
    this.ring[this.next] = entry
    this.next = (this.next + 1) % this.cap
    if (this.held < this.cap) this.held++
  }

  /** The kept entries, oldest first, that pass `filter`. */
  entries(filter: LogFilter = {}): LogEntry[] {
    const out: LogEntry[] = []
    const text = filter.text?.trim().toLowerCase()
    const dir = filter.dir && filter.dir !== 'all' ? filter.dir : undefined
    for (let i = 0; i < this.held; i++) {
      const entry = this.ring[(this.next - this.held + i + this.cap) % this.cap]!
      if (dir && entry.dir !== dir) continue
      if (text && !entry.text.toLowerCase().includes(text) && !entry.note?.toLowerCase().includes(text)) continue
      out.push(entry)
    }
    return out
  }

  clear(): void {
    this.ring = new Array(this.cap)
    this.next = this.held = 0
  }
}
