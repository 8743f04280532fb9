// Properties of what the server helpers write, checked with fast-check over generated inputs:
// whatever a rule returns and whatever a request carries.
import { PassThrough } from 'node:stream'
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { movedTo } from '../../core/src/redirect-policy'
import { moveReason, MAX_REASON_BYTES } from '../src/move'
import { locate } from '../src/rules'
import { answerUpgrade } from '../src/upgrade'
import { createRedirects } from '../src'

// A fixed seed keeps CI deterministic (the same cases every run); FC_SEED explores others.
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261206) })

const target = fc
  .record({
    scheme: fc.constantFrom('ws:', 'wss:', 'http:', 'https:'),
    host: fc.domain(),
    path: fc.webPath({ size: 'large' }),
    query: fc.webQueryParameters(),
  })
  .map(({ scheme, host, path, query }) => new URL(`${scheme}//${host}${path}${query ? `?${query}` : ''}`))

const ANY_POLICY = { maxRedirects: 10, allowInsecure: true, allowedOrigins: undefined }

describe('the close reason moveClients writes', () => {
  it('is at most 123 bytes, and when it holds the URL the client follows exactly that URL', () => {
    let carried = 0
    fc.assert(
      fc.property(target, fc.constantFrom('ws://old.example/v1/live', 'wss://old.example/v1/live'), (url, from) => {
        const reason = moveReason(url)
        expect(new TextEncoder().encode(reason).length).toBeLessThanOrEqual(MAX_REASON_BYTES)
        if (!reason) return
        carried++
        expect(movedTo(reason, from, ANY_POLICY)).toBe(url.href.replace(/^http/, 'ws'))
      }),
      { numRuns: 2000 },
    )
    console.log(`close reasons: ${carried} of 2000 carried their URL, the rest were too long and empty`)
  })
})

describe('no CR or LF reaches a header the helpers write', () => {
  /** What a client could put in a request line's path and query, CR, LF and all. */
  const requestPath = fc.oneof(
    fc.webPath(),
    fc.string({ unit: 'binary' }).map((s) => `/${s}`),
    fc.constantFrom('/v1/live?x=1\r\nSet-Cookie: a=b', '/%0d%0aX: y'),
  )
  /** What a rule function might return: a URL, or any string at all. */
  const answer = fc.oneof(
    target.map(String),
    fc.string({ unit: 'binary' }),
    fc.constant('wss://new.example/v2/live\r\nX-Injected: 1'),
  )

  it('locate(): a rule function answering anything, a request carrying anything: Locations are clean or refused', () => {
    let located = 0
    fc.assert(
      fc.property(requestPath, answer, (path, returned) => {
        let result
        try {
          result = locate({ url: path } as never, (() => returned) as never)
        } catch {
          return // refused as a bad target: the handlers answer 500 or drop the socket
        }
        if (!result) return
        located++
        for (const location of [result.get, result.upgrade]) expect(location).toMatch(/^[\x21-\x7e]+$/)
      }),
      { numRuns: 2000 },
    )
    console.log(`locate: ${located} of 2000 requests located`)
  })

  it('the upgrade answer: exactly the status line, the given headers and the blank line', () => {
    fc.assert(
      fc.property(target, (url) => {
        const socket = new PassThrough()
        let written = ''
        socket.on('data', (chunk) => (written += chunk))
        answerUpgrade(socket, 308, { location: url.href })
        const lines = written.split('\r\n')
        expect(lines).toEqual([
          'HTTP/1.1 308 Permanent Redirect',
          `location: ${url.href}`,
          'content-length: 0',
          'connection: close',
          '',
          '',
        ])
      }),
      { numRuns: 500 },
    )
  })

  it('redirects.fetch(): any request path and any rule answer give a Response or undefined, never a throw', () => {
    // A rule's bad answer is reported with console.error (and answered 500): expected here, by the hundred.
    const reported = vi.spyOn(console, 'error').mockImplementation(() => {})
    fc.assert(
      fc.property(fc.webPath(), answer, (path, returned) => {
        const redirects = createRedirects({ rules: () => returned, origins: '*' })
        const response = redirects.fetch(new Request(`http://127.0.0.1${path}`))
        if (response?.headers.has('location')) expect(response.headers.get('location')).toMatch(/^[\x21-\x7e]+$/)
        else expect(response?.status).toBe(500)
      }),
      { numRuns: 1000 },
    )
    expect(reported).toHaveBeenCalled()
    reported.mockRestore()
  })
})
