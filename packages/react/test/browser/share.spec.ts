// Shared connections (docs/sharing.md#in-the-page) in real Chromium with React 19 and the built
// @followsocket/react: hooks with share: true and the same URL and options use one socket, counted
// at the server.
import { sharedConnectionSpecs } from '../../../core/test/browser/harness'

sharedConnectionSpecs('React 19', new URL('./harness.ts', import.meta.url))
