// Shared connections (docs/sharing.md#in-the-page) in real Chromium with Vue 3 and the built
// @followsocket/vue: composables with share: true and the same URL and options use one socket,
// counted at the server.
import { sharedConnectionSpecs } from '../../../core/test/browser/harness'

sharedConnectionSpecs('Vue 3', new URL('./harness.ts', import.meta.url), {
  __VUE_OPTIONS_API__: 'true',
  __VUE_PROD_DEVTOOLS__: 'false',
  __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
})
