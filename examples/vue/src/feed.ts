import { z } from 'zod'

// The demo feed's messages (examples/server/src/live.ts in the followsocket repository). As the
// connection's `schema`, a frame that does not match is skipped with INVALID_MESSAGE, and `data`
// is typed as FeedMessage.
export const FeedMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('tick'), n: z.int(), at: z.string() }),
  z.object({ type: z.literal('chat'), id: z.string(), text: z.string(), at: z.string() }),
])
export type FeedMessage = z.infer<typeof FeedMessage>

// The connection's options, the same for every component on the feed: with share: true, the
// chat and the badge use one connection (one socket for the page).
export const FEED = { parse: 'json', schema: FeedMessage, share: true } as const
