// A bad configuration throws at createRedirects(), naming the rule or field
// (docs/discovery.md#the-server-side).
import { describe, expect, it } from 'vitest'
import { createRedirects, FollowSocketConfigError, isFollowSocketConfigError, type RedirectOptions } from '../src'

const TARGET = 'wss://live2.example.com/v2/live'

/** The error createRedirects(options) throws, checked to be a FollowSocketConfigError. */
const refusal = (options: unknown): FollowSocketConfigError => {
  try {
    createRedirects(options as RedirectOptions)
  } catch (error) {
    expect(error).toBeInstanceOf(FollowSocketConfigError)
    expect(error).toBeInstanceOf(TypeError)
    expect(isFollowSocketConfigError(error)).toBe(true)
    return error as FollowSocketConfigError
  }
  throw new Error(`createRedirects(${JSON.stringify(options)}) did not throw`)
}

describe('createRedirects() refuses, naming the rule', () => {
  for (const [why, target] of [
    ['a host without a scheme', 'live2.example.com/v2/live'],
    ['a relative path', '/v2/live'],
    ['another scheme', 'ftp://live2.example.com/v2/live'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['not a string', 42],
  ] as const)
    it(`a target that is ${why}`, () => {
      const error = refusal({ rules: { '/v0/live': TARGET, '/v1/live': target } })
      expect(error.field).toBe('rules["/v1/live"]')
      expect(error.message).toMatch(/^rules\["\/v1\/live"\]: .* is not (an absolute ws\(s\): or http\(s\): URL|a URL)/)
    })

  it('a target with user:password@, which followsocket clients refuse', () => {
    const error = refusal({ rules: { '/v1/live': 'wss://user:secret@live2.example.com/v2/live' } })
    expect(error.message).toMatch(/^rules\["\/v1\/live"\]: .*user:password@/)
  })

  it('a rule key that is not an exact path', () => {
    const error = refusal({ rules: { 'v1/live': TARGET } })
    expect(error.field).toBe('rules["v1/live"]')
    expect(error.message).toContain('is not an exact path')
  })

  it('rules that are neither an object nor a function, or missing', () => {
    expect(refusal({ rules: 'wss://x' }).field).toBe('rules')
    expect(refusal({}).message).toMatch(/^rules: must be an object of exact paths → targets, or a function/)
  })
})

describe('createRedirects() refuses, naming the field', () => {
  it('an unknown status', () => {
    for (const status of [300, 200, 304, '308']) {
      const error = refusal({ rules: { '/v1/live': TARGET }, status })
      expect(error.field).toBe('status')
      expect(error.message).toContain('use 301, 302, 303, 307 or 308')
    }
  })

  it('a malformed origin, saying how browsers write it', () => {
    const trailing = refusal({
      rules: { '/v1/live': TARGET },
      origins: ['https://ok.example.com', 'https://app.example.com/'],
    })
    expect(trailing.field).toBe('origins[1]')
    expect(trailing.message).toContain('write "https://app.example.com"')
    expect(refusal({ rules: { '/v1/live': TARGET }, origins: ['HTTPS://App.Example.com:443'] }).message).toContain(
      'write "https://app.example.com"',
    )
    expect(refusal({ rules: { '/v1/live': TARGET }, origins: ['app.example.com'] }).field).toBe('origins[0]')
    expect(refusal({ rules: { '/v1/live': TARGET }, origins: 'everyone' }).field).toBe('origins')
  })

  it("'*' together with credentials", () => {
    const error = refusal({ rules: { '/v1/live': TARGET }, origins: '*', credentials: true })
    expect(error.field).toBe('credentials')
    expect(error.message).toContain('origins "*"')
  })

  it('an unknown option (a typo of origins)', () => {
    const error = refusal({ rules: { '/v1/live': TARGET }, origin: ['https://app.example.com'] })
    expect(error.field).toBe('origin')
    expect(error.message).toContain('is not an option')
  })

  it('options that are not an object', () => {
    expect(refusal(undefined).field).toBe('options')
  })
})

describe('createRedirects() accepts', () => {
  it("URL targets, http(s) and ws(s) targets, 'null' in the list and credentials with a list", () => {
    expect(() =>
      createRedirects({
        rules: { '/a': new URL(TARGET), '/b': 'https://x.example.com/b', '/c': 'ws://127.0.0.1:8080/c' },
        status: 307,
        origins: ['https://app.example.com', 'http://127.0.0.1:5173', 'null'],
        credentials: true,
      }),
    ).not.toThrow()
  })
})
