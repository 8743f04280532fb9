import { test, expect } from './fixtures'

/** What a FollowWebSocket did in the page, in order, through onX handlers and listeners. */
interface Story {
  seen: string[]
  error?: { code: string; isFollowSocketError: boolean }
  close?: { code: number; wasClean: boolean; isCloseEvent: boolean }
  echo?: string
  resolvedUrl?: string
}

test.describe('FollowWebSocket in Chromium', () => {
  test('follows a 308 and behaves as a WebSocket: CONNECTING, open, message, close, in order', async ({ app, lab }) => {
    lab.endpoint('/v2/live')
    lab.redirect('/v1/live', lab.ws('/v2/live'))
    const story = await app.evaluate(
      (url) =>
        new Promise<Story>((done) => {
          const seen: string[] = []
          const socket = new window.FollowSocket.FollowWebSocket(url)
          seen.push(`constructed:${socket.readyState}`)
          let threw = ''
          try {
            socket.send('too early')
          } catch (error) {
            threw = (error as DOMException).name
          }
          seen.push(`send:${threw}`)
          for (const type of ['open', 'message', 'close']) {
            ;(socket as any)[`on${type}`] = () => seen.push(`on${type}:${socket.readyState}`)
            socket.addEventListener(type, () => seen.push(`${type}:${socket.readyState}`))
          }
          socket.addEventListener('open', () => socket.send('hello'))
          socket.addEventListener('message', (event) => socket.close(1000, String((event as MessageEvent).data)))
          socket.addEventListener('close', (event) => {
            const close = event as CloseEvent
            done({
              seen,
              echo: close.reason,
              resolvedUrl: socket.resolvedUrl,
              close: { code: close.code, wasClean: close.wasClean, isCloseEvent: event instanceof CloseEvent },
            })
          })
        }),
      lab.ws('/v1/live'),
    )
    expect(story.seen).toEqual([
      'constructed:0',
      'send:InvalidStateError',
      'onopen:1',
      'open:1',
      'onmessage:1',
      'message:1',
      'onclose:3',
      'close:3',
    ])
    expect(story.echo).toBe('hello')
    expect(story.close).toEqual({ code: 1000, wasClean: true, isCloseEvent: true })
    expect(story.resolvedUrl).toBe(lab.ws('/v2/live'))
    expect(lab.count('/v1/live', 'get')).toBe(1)
  })

  test('a CORS-blocked discovery is an error carrying DISCOVERY_BLOCKED, then close 1006', async ({
    app,
    lab,
    other,
  }) => {
    other.endpoint('/v2/live')
    other.redirect('/v1/live', other.ws('/v2/live'), { cors: false })
    const story = await app.evaluate(
      (url) =>
        new Promise<Story>((done) => {
          const seen: string[] = []
          const story: Story = { seen }
          const socket = new window.FollowSocket.FollowWebSocket(url)
          socket.onerror = (event: any) => {
            seen.push('error')
            story.error = {
              code: event.error?.code,
              isFollowSocketError: window.FollowSocket.isFollowSocketError(event.error),
            }
          }
          socket.onclose = (event: any) => {
            seen.push('close')
            story.close = { code: event.code, wasClean: event.wasClean, isCloseEvent: event instanceof CloseEvent }
            done(story)
          }
        }),
      other.ws('/v1/live'),
    )
    expect(story.seen).toEqual(['error', 'close'])
    expect(story.error).toEqual({ code: 'DISCOVERY_BLOCKED', isFollowSocketError: true })
    expect(story.close).toEqual({ code: 1006, wasClean: false, isCloseEvent: true })
    expect(other.count('/v2/live', 'upgrade')).toBe(0)
  })
})
