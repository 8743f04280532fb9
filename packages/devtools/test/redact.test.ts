import { describe, expect, it } from 'vitest'
import { redactText, redactUrl } from '../src/redact'

describe('redactUrl', () => {
  it.each([
    ['wss://api.example.com/live?token=abc123', 'wss://api.example.com/live?token=redacted'],
    [
      'wss://api.example.com/live?room=7&access_token=abc&x=1',
      'wss://api.example.com/live?room=7&access_token=redacted&x=1',
    ],
    [
      'https://h.example/p?apiKey=k&api_key=k&KEY=k',
      'https://h.example/p?apiKey=redacted&api_key=redacted&KEY=redacted',
    ],
    [
      'wss://h.example/p?auth=a&Authorization=b&password=c&passwd=d&pwd=e',
      'wss://h.example/p?auth=redacted&Authorization=redacted&password=redacted&passwd=redacted&pwd=redacted',
    ],
    [
      'wss://h.example/p?client_secret=a&session_id=b&sig=c&X-Amz-Signature=d&jwt=e',
      'wss://h.example/p?client_secret=redacted&session_id=redacted&sig=redacted&X-Amz-Signature=redacted&jwt=redacted',
    ],
    ['wss://user:pa55@h.example/p', 'wss://redacted@h.example/p'],
    ['wss://user@h.example/p', 'wss://redacted@h.example/p'],
    ['https://h.example/cb#access_token=xyz&state=1', 'https://h.example/cb#access_token=redacted&state=1'],
  ])('%s → %s', (url, redacted) => {
    expect(redactUrl(url)).toBe(redacted)
  })

  it('leaves everything else as written: other parameters, their encoding, the path', () => {
    const url = 'wss://h.example/a%20b/live?q=a+b&name=J%C3%BCrgen&empty=&flag'
    expect(redactUrl(url)).toBe(url)
  })

  it('tests encoded parameter names decoded', () => {
    expect(redactUrl('wss://h.example/?%74oken=x')).toBe('wss://h.example/?%74oken=redacted')
  })

  it('returns what is not a URL unchanged', () => {
    expect(redactUrl('')).toBe('')
    expect(redactUrl('not a url ?token=x')).toBe('not a url ?token=x')
  })
})

describe('redactText', () => {
  it('redacts every URL in prose and keeps the punctuation after it', () => {
    expect(redactText('wss://h.example/live?token=abc failed: is it up? Then https://u:p@o.example/x?key=1.')).toBe(
      'wss://h.example/live?token=redacted failed: is it up? Then https://redacted@o.example/x?key=redacted.',
    )
  })

  it('redacts URLs quoted inside JSON text', () => {
    expect(redactText('{"url":"wss://h.example/?token=abc","n":1}')).toBe(
      '{"url":"wss://h.example/?token=redacted","n":1}',
    )
  })
})
