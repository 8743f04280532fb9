// The README's Worker wrapped for the tests, the recipe itself untouched (imported as
// `virtual:recipe`): the Worker counts its requests per kind and path, each room counts in its
// storage the sockets it accepted (storage outlives hibernation), and a move returns when each
// close went out, read inside the Durable Object. Routes under /__test/ drive it. Beside the
// recipe's Room, a PromptRoom (bound as PROMPT_ROOMS, served at /prompt/<room>) holds its sockets
// with accept() instead of the Hibernation API, to compare what a move costs.
import type { Wrangler } from './recipe'

export const COUNTED_WORKER = `
import { DurableObject } from 'cloudflare:workers'
import { moveClients } from '@followsocket/server'
import recipe, { Room as RecipeRoom } from 'virtual:recipe'

// "GET /v1/live", "upgrade /rooms/lobby": what reached the Worker, and how often.
const requests = {}

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url)
    const test = /^\\/__test\\/(?:requests|rooms\\/([\\w-]+)\\/(move|stats))$/.exec(url.pathname)
    if (test) {
      if (!test[1]) return Response.json(requests)
      const room = env.ROOMS.getByName(test[1])
      if (test[2] === 'stats') return Response.json(await room.stats())
      if (url.searchParams.has('prompt')) return Response.json({ moved: await env.PROMPT_ROOMS.getByName(test[1]).move(url.searchParams.get('to')) })
      return Response.json(await room.timedMove(url.searchParams.get('to'), Number(url.searchParams.get('spreadMs') ?? 0)))
    }
    const key = (request.headers.get('upgrade')?.toLowerCase() === 'websocket' ? 'upgrade ' : request.method + ' ') + url.pathname
    requests[key] = (requests[key] ?? 0) + 1
    const prompt = /^\\/prompt\\/([\\w-]+)$/.exec(url.pathname)
    if (prompt) return env.PROMPT_ROOMS.getByName(prompt[1]).fetch(request)
    return recipe.fetch(request, env, ctx)
  },
}

export class Room extends RecipeRoom {
  async fetch(request) {
    const response = await super.fetch(request)
    if (response.status === 101) await this.ctx.storage.put('accepted', ((await this.ctx.storage.get('accepted')) ?? 0) + 1)
    return response
  }

  async stats() {
    const open = this.ctx.getWebSockets().filter((ws) => ws.readyState === WebSocket.OPEN).length
    return { accepted: (await this.ctx.storage.get('accepted')) ?? 0, open }
  }

  // The recipe's move(), its sockets seen through a context that notes, by the object's clock,
  // when each one is closed. Date.now() in workerd moves on between events (each timer is one).
  async timedMove(url, spreadMs) {
    const closes = []
    const ctx = this.ctx
    this.ctx = new Proxy(ctx, {
      get(target, key) {
        if (key === 'getWebSockets')
          return (...tag) =>
            target.getWebSockets(...tag).map((ws) => ({
              get readyState() { return ws.readyState },
              close(code, reason) { closes.push(Date.now()); ws.close(code, reason) },
            }))
        const value = Reflect.get(target, key)
        return typeof value === 'function' ? value.bind(target) : value
      },
    })
    const started = Date.now()
    try {
      const moved = await this.move(url, spreadMs)
      return { moved, closes: closes.map((at) => at - started) }
    } finally {
      this.ctx = ctx
    }
  }
}

export class PromptRoom extends DurableObject {
  sockets = new Set()

  fetch(request) {
    const { 0: client, 1: server } = new WebSocketPair()
    server.accept()
    this.sockets.add(server)
    server.addEventListener('message', (event) => server.send(event.data))
    server.addEventListener('close', () => {
      this.sockets.delete(server)
      server.close()
    })
    return new Response(null, { status: 101, webSocket: client })
  }

  async move(url) {
    return (await moveClients(this.sockets, url)).moved
  }
}
`

/** The recipe's wrangler.jsonc, plus the PromptRoom binding. */
export const countedConfig = (recipe: Wrangler): Wrangler => ({
  ...recipe,
  durable_objects: {
    bindings: [...(recipe.durable_objects?.bindings ?? []), { name: 'PROMPT_ROOMS', class_name: 'PromptRoom' }],
  },
})
