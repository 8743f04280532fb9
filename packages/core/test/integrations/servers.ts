// Real servers of real libraries, mounted on the lab so that every request (preflight GET or
// upgrade) is counted by `lab.count`. Used by the Node tests here and the Chromium specs in
// ../browser. The lab's endpoint() accepts the upgrade with its own WebSocketServer; these hand
// each accepted socket to the library's server code, as its own WebSocketServer would.
import type { IncomingMessage } from 'node:http'
import { createRequire } from 'node:module'
import type { Endpoint, Lab } from '@followsocket/lab'
import { useServer } from 'graphql-ws/use/ws'
import { setupWSConnection } from '@y/websocket-server/utils'
import { WebSocketServer, type WebSocket } from 'ws'

/**
 * An endpoint at `path` whose every accepted socket goes to `accept`. The lab records upgrades
 * and drops the sockets on close(); `clients` holds the live server-side sockets.
 */
export function mount(
  lab: Lab,
  path: string,
  accept: (socket: WebSocket, request: IncomingMessage) => void,
  protocols?: string[],
): Endpoint {
  const endpoint = lab.endpoint(path, { echo: false, ...(protocols ? { protocols } : {}) })
  // The lab runs nextConnection's waiters before it returns to the event loop, so no frame of
  // the client can arrive before `accept` attached its listeners.
  void (async () => {
    for (;;) accept(await endpoint.nextConnection(), { url: path, headers: {} } as IncomingMessage)
  })()
  return endpoint
}

// graphql 16 has no "exports" map: Node (and so graphql-ws, loaded by Node) gets its CommonJS
// build, while Vite would hand this file its "module" build, and graphql refuses a schema built
// by "another module or realm". Taking it as Node does keeps one graphql.
const { GraphQLInt, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString } = createRequire(import.meta.url)(
  'graphql',
) as typeof import('graphql')

/** One value of the `ticks` subscription: which location served it, and its number there. */
export interface Tick {
  at: string
  n: number
}

const TickType = new GraphQLObjectType({
  name: 'Tick',
  fields: { at: { type: new GraphQLNonNull(GraphQLString) }, n: { type: new GraphQLNonNull(GraphQLInt) } },
})

/**
 * `subscription { ticks(everyMs) { at n } }` yields { at, n } with n = 1, 2, 3 … every `everyMs`
 * (default 20), `at` being the path of the endpoint that serves it (from the context).
 */
export const schema = new GraphQLSchema({
  query: new GraphQLObjectType({ name: 'Query', fields: { hello: { type: GraphQLString, resolve: () => 'world' } } }),
  subscription: new GraphQLObjectType({
    name: 'Subscription',
    fields: {
      ticks: {
        type: new GraphQLNonNull(TickType),
        args: { everyMs: { type: GraphQLInt } },
        subscribe: async function* (_root: unknown, args: { everyMs?: number | null }, context: { at: string }) {
          for (let n = 1; ; n++) {
            yield { ticks: { at: context.at, n } satisfies Tick }
            await new Promise((done) => setTimeout(done, args.everyMs ?? 20))
          }
        },
      },
    },
  }),
})

export const TICKS = 'subscription { ticks { at n } }'

/** graphql-ws's own server (`useServer` from graphql-ws/use/ws) at `path` on the lab. */
export function graphqlEndpoint(lab: Lab, path: string): Endpoint {
  const wss = new WebSocketServer({ noServer: true })
  useServer({ schema, context: { at: path } }, wss)
  return mount(lab, path, (socket, request) => wss.emit('connection', socket, request), ['graphql-transport-ws'])
}

/**
 * @y/websocket-server's setupWSConnection at `path` on the lab, serving the Yjs document
 * `docName` (kept in that module's memory across locations, as one server process keeps it when
 * it moves an endpoint).
 */
export function yjsEndpoint(lab: Lab, path: string, docName: string): Endpoint {
  return mount(lab, path, (socket, request) => setupWSConnection(socket, request, { docName }))
}

/** Closes every server-side socket with 4308 and `to` as the reason: "moved there". */
export const moveAll = (endpoint: Endpoint, to: string): number => {
  let moved = 0
  for (const client of endpoint.clients) {
    client.close(4308, to)
    moved++
  }
  return moved
}

/** The counts that tell a story, per path: preflight GETs and upgrades. */
export const counts = (lab: Lab, ...paths: string[]): Record<string, { get: number; upgrade: number }> =>
  Object.fromEntries(paths.map((path) => [path, { get: lab.count(path, 'get'), upgrade: lab.count(path, 'upgrade') }]))
