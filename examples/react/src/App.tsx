// The React twin of examples/vanilla: the same live chat, markup and banner, with useFollowSocket.
import { useEffect, useState, type FormEvent } from 'react'
import { useFollowSocket } from '@followsocket/react'
import type { FollowSocketError } from 'followsocket'
import { banner } from './banner.js'
import { chat, feedUrl } from './message.js'
import { FeedMessage } from './feed'

// ?feed= in the page's address, else VITE_FEED_URL when the app was built, else the demo's feed
// (message.js says which).
const url = feedUrl(location, import.meta.env.VITE_FEED_URL)
// The badge and the chat below are separate components on one connection: with share: true,
// every useFollowSocket in the page with this URL and these options uses the same socket.
const FEED = { parse: 'json', schema: FeedMessage, share: true } as const

interface Item {
  key: number
  text: string
  tag: string
  /** Greyed out: a message of ours not yet seen back from the server, or a note. */
  muted: boolean
  /** Set for our own messages until the server echoes them. */
  id?: string
}

let keys = 0

export function App() {
  const [feed, setFeed] = useState<Item[]>([])
  const [tick, setTick] = useState<number>()
  const [sendError, setSendError] = useState<FollowSocketError>()
  const [text, setText] = useState('')
  const add = (item: Omit<Item, 'key'>) => setFeed((feed) => [{ key: ++keys, ...item }, ...feed])

  const { state, error, retry, resolvedUrl, send, reconnect } = useFollowSocket(url, {
    ...FEED,
    // Every message, however renders are batched: ticks, others' chat, and ours coming back.
    onMessage: ({ data }) => {
      if (data.type === 'tick') return setTick(data.n)
      setFeed((feed) =>
        feed.some((item) => item.id === data.id)
          ? feed.map((item) =>
              item.id === data.id ? { ...item, id: undefined, tag: 'delivered', muted: false } : item,
            )
          : [{ key: ++keys, text: data.text, tag: new Date(data.at).toLocaleTimeString(), muted: false }, ...feed],
      )
    },
    onOpen: () => setSendError(undefined),
    onError: (e) => {
      if (e.code === 'INVALID_MESSAGE')
        add({ text: 'A message could not be read and was skipped.', tag: 'skipped', muted: true })
    },
  })

  useClock(state === 'reconnecting')
  // A skipped message is a note in the feed, not a reason the connection is down.
  const failure = sendError ?? (error?.code === 'INVALID_MESSAGE' ? undefined : error)
  // "The feed moved" for as long as the socket is at another address than `url` (banner.js).
  const b = banner({ state, url, resolvedUrl, error: failure, retry })

  const submit = (event: FormEvent) => {
    event.preventDefault()
    const message = chat(text)
    try {
      send(JSON.stringify(message)) // queued by the connection while it is not open
    } catch (e) {
      return setSendError(e as FollowSocketError) // SEND_BUFFER_FULL or CLOSED: nothing was queued
    }
    add({ id: message.id, text: message.text, tag: state === 'open' ? 'sending…' : 'queued', muted: true })
    setText('')
  }

  return (
    <main>
      <header>
        <h1>
          Live chat <small>React · useFollowSocket</small>
        </h1>
        <Badge />
      </header>

      <div className="banner" data-tone={b.tone} data-testid="banner" role="status" aria-live="polite">
        <span>{b.text}</span>
        <button type="button" hidden={!b.retry} onClick={reconnect}>
          Retry now
        </button>
      </div>

      <p className="meta">
        {state === 'open' ? 'Connected to' : 'Last connected to'} <code data-testid="where">{resolvedUrl ?? '—'}</code>{' '}
        ·{' '}
        <span className="ticks" data-testid="ticks">
          {tick === undefined ? 'no ticks yet' : `tick ${tick}`}
        </span>
      </p>

      <form onSubmit={submit}>
        <label className="visually-hidden" htmlFor="text">
          Message
        </label>
        <input
          id="text"
          type="text"
          placeholder="Say something…"
          autoComplete="off"
          required
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <button className="primary">Send</button>
      </form>

      <div className="card">
        <ol className="feed" aria-label="Messages" data-testid="feed">
          {feed.map((item) => (
            <li key={item.key} className={item.muted ? 'queued' : undefined}>
              <span>{item.text}</span>
              <span className="tag">{item.tag}</span>
            </li>
          ))}
        </ol>
      </div>
    </main>
  )
}

/** The connection badge: a component of its own on the chat's connection, reading only `state`. */
function Badge() {
  const { state } = useFollowSocket(url, FEED)
  return (
    <span className="pill" data-state={state} data-testid="state">
      {state}
    </span>
  )
}

/** Re-renders every 250 ms while `ticking`, so the countdown counts down between events. */
function useClock(ticking: boolean) {
  const [, setNow] = useState(0)
  useEffect(() => {
    if (!ticking) return
    const timer = setInterval(() => setNow(Date.now()), 250)
    return () => clearInterval(timer)
  }, [ticking])
}
