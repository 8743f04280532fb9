/**
 * The templates: the three example apps of the followsocket repository (examples/), copied into
 * this package when it is built (templates.mjs). Each is the demo's live chat, whole on its own.
 */
export const TEMPLATES = {
  vanilla: 'one HTML page with the <script> build from unpkg (window.FollowSocket), no bundler needed; Vite serves it',
  react: 'Vite + React with useFollowSocket from @followsocket/react, a zod schema, two components on one connection',
  vue: 'Vite + Vue with the useFollowSocket composable from @followsocket/vue, a zod schema, two components on one connection',
} as const

export type TemplateName = keyof typeof TEMPLATES

export const isTemplate = (name: string): name is TemplateName => Object.hasOwn(TEMPLATES, name)

/** npm leaves every .gitignore out of a package, so a template's travels under this name (as create-vite's do). */
export const GITIGNORE = '_gitignore'

/** Where a new app connects by default: the demo's feed at its default address (the templates' message.js). */
export const DEMO_FEED = 'ws://127.0.0.1:5174/v1/live'
