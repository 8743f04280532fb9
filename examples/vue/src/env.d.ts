/// <reference types="vite/client" />

declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent
  export default component
}

interface ImportMetaEnv {
  /** The live feed's address, fixed at build time (`VITE_FEED_URL=wss://… npm run build`); `?feed=` in the page's address overrides it. */
  readonly VITE_FEED_URL?: string
}
