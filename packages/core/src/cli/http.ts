// The doctor's two kinds of request, made with node:http(s) so that every status and header is
// visible (a browser hides them): a plain GET with exactly the Origin header a browser would
// send, and a WebSocket opening handshake (RFC 6455 §4.1) that checks Sec-WebSocket-Accept.
// Neither follows redirects: the walks in walk.ts decide, hop by hop, what to request next.
import { createHash, randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { request as httpRequest, type ClientRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { rootCertificates } from 'node:tls'
import { toHttp } from '../url'

/** How to reach servers: TLS trust and deadlines. */
export interface Net {
  /** `--insecure`: accept any certificate (a throw-away self-signed one in a test). */
  insecure: boolean
  /** `--ca <file>`: PEM certificates trusted besides the system's roots. */
  ca?: string
  /** The client's defaults: preflight.timeoutMs for a GET, connectTimeoutMs for a handshake. */
  getTimeoutMs: number
  handshakeTimeoutMs: number
}

export interface Answer {
  status: number
  headers: IncomingHttpHeaders
  /** How many times each header (lower case) was sent: two Access-Control-Allow-Origin lines fail CORS. */
  counts: Record<string, number>
}

/** A request that got no answer: connection refused, TLS refused, DNS, timeout. */
export interface NetFailure {
  error: string
  timeout?: true
}

export interface Handshake extends Partial<Answer> {
  /** For a 101: whether Sec-WebSocket-Accept is base64(SHA-1(key + GUID)) of the key sent. */
  accept?: 'ok' | 'wrong' | 'missing'
  expectedAccept?: string
  /** A 101 without `Upgrade: websocket` is not a WebSocket either (RFC 6455 §4.1, client step 2). */
  upgradeHeader?: boolean
  error?: string
  timeout?: true
}

// RFC 6455 §1.3: the GUID the server appends to Sec-WebSocket-Key before hashing.
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11'
export const acceptFor = (key: string): string =>
  createHash('sha1')
    .update(key + GUID)
    .digest('base64')

const USER_AGENT = 'followsocket-doctor'

export const loadCa = (file: string): string => readFileSync(file, 'utf8')

const tls = (net: Net) =>
  net.insecure ? { rejectUnauthorized: false } : net.ca ? { ca: [...rootCertificates, net.ca] } : {}

const countHeaders = (res: IncomingMessage): Record<string, number> => {
  const counts: Record<string, number> = {}
  for (let i = 0; i < res.rawHeaders.length; i += 2) {
    const name = res.rawHeaders[i]!.toLowerCase()
    counts[name] = (counts[name] ?? 0) + 1
  }
  return counts
}

/** Words for a failed request, with the hint a server owner needs. */
export const whyNoAnswer = (error: NodeJS.ErrnoException, url: URL, ms: number): NetFailure => {
  const where = `${url.hostname}:${url.port || (url.protocol === 'https:' || url.protocol === 'wss:' ? 443 : 80)}`
  if (error.name === 'TimeoutError' || error.name === 'AbortError')
    return { error: `no answer within ${ms} ms`, timeout: true }
  switch (error.code) {
    case 'ECONNREFUSED':
      return { error: `connection refused: nothing listens on ${where}` }
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { error: `host not found: ${url.hostname} does not resolve` }
    case 'ECONNRESET':
      return { error: `connection reset by ${where} before it answered` }
  }
  if (/CERT|SELF_SIGNED|UNABLE_TO|ALTNAME/.test(error.code ?? ''))
    return {
      error: `TLS certificate refused (${error.message}): browsers refuse it too; a test server's certificate can be trusted with --ca <file> or --insecure`,
    }
  return { error: error.message || String(error.code) }
}

const send = (url: URL, headers: Record<string, string>, net: Net, ms: number): ClientRequest => {
  const options = {
    method: 'GET',
    headers: { 'user-agent': USER_AGENT, ...headers },
    agent: false as const,
    signal: AbortSignal.timeout(ms),
  }
  return url.protocol === 'https:' ? httpsRequest(url, { ...options, ...tls(net) }) : httpRequest(url, options)
}

/**
 * A plain GET of `url` (http form), as the preflight sends it: no body, no custom header,
 * `Origin` only when `origin` is given. Resolves with the status and headers once they arrive.
 */
export const get = (url: URL, origin: string | undefined, net: Net): Promise<Answer | NetFailure> =>
  new Promise((done) => {
    const req = send(url, { accept: '*/*', ...(origin !== undefined ? { origin } : {}) }, net, net.getTimeoutMs)
    req.on('response', (res) => {
      done({ status: res.statusCode!, headers: res.headers, counts: countHeaders(res) })
      // Only the head matters, as in the client: drop the body and the connection.
      res.destroy()
    })
    req.on('error', (error) => done(whyNoAnswer(error, url, net.getTimeoutMs)))
    req.end()
  })

/**
 * A WebSocket opening handshake at `url` (ws or http form) with `Origin: origin`, as a browser's
 * `new WebSocket()` sends it. A 101 is checked and then closed politely (close frame 1000).
 */
export const handshake = (url: URL, origin: string | undefined, net: Net): Promise<Handshake> =>
  new Promise((done) => {
    const key = randomBytes(16).toString('base64')
    const target = new URL(toHttp(url))
    const req = send(
      target,
      {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': key,
        ...(origin !== undefined ? { origin } : {}),
      },
      net,
      net.handshakeTimeoutMs,
    )
    req.on('upgrade', (res, socket) => {
      const expectedAccept = acceptFor(key)
      const got = res.headers['sec-websocket-accept']
      done({
        status: res.statusCode!,
        headers: res.headers,
        counts: countHeaders(res),
        accept: got === undefined ? 'missing' : got === expectedAccept ? 'ok' : 'wrong',
        expectedAccept,
        upgradeHeader: /^websocket$/i.test(res.headers.upgrade ?? ''),
      })
      socket.on('error', () => socket.destroy())
      // A masked close frame, code 1000, no reason (RFC 6455 §5.5.1): the server sees a clean close.
      const mask = randomBytes(4)
      const payload = Buffer.from([0x03 ^ mask[0]!, 0xe8 ^ mask[1]!])
      socket.end(Buffer.concat([Buffer.from([0x88, 0x82]), mask, payload]), () => socket.destroy())
    })
    req.on('response', (res) => {
      done({ status: res.statusCode!, headers: res.headers, counts: countHeaders(res) })
      res.destroy()
    })
    req.on('error', (error) => done(whyNoAnswer(error, target, net.handshakeTimeoutMs)))
    req.end()
  })
