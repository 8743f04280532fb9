// The one rule the command cannot show against servers on 127.0.0.1: browsers exempt loopback
// from mixed-content blocking, so a blocked http: URL needs a host the tests cannot serve.
import { describe, expect, it } from 'vitest'
import { blocksMixed } from '../../src/cli/walk'

describe('followsocket doctor, mixed content (docs/discovery.md#what-browsers-can-and-cannot-see)', () => {
  it('flags an http: URL requested by an https: page', () => {
    expect(blocksMixed('https://app.example.com', new URL('http://api.example.com/v1/live'))).toBe(true)
    expect(blocksMixed('https://app.example.com', new URL('http://10.0.0.7:8080/v1/live'))).toBe(true)
  })

  it('lets through https: URLs, http: pages, and loopback, which browsers treat as secure', () => {
    expect(blocksMixed('https://app.example.com', new URL('https://api.example.com/v1/live'))).toBe(false)
    expect(blocksMixed('http://app.example.com', new URL('http://api.example.com/v1/live'))).toBe(false)
    for (const host of ['127.0.0.1:5173', '127.4.5.6', 'localhost:8080', 'app.localhost', '[::1]:9000'])
      expect(blocksMixed('https://app.example.com', new URL(`http://${host}/v1/live`))).toBe(false)
  })
})
