/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The live feed's address, fixed at build time (`VITE_FEED_URL=wss://… npm run build`); `?feed=` in the page's address overrides it. */
  readonly VITE_FEED_URL?: string
}
