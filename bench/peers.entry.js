// The peers as the bench page sees them (bundled to an IIFE by browser.ts).
import { WebSocket as PartySocket } from 'partysocket'
import ReconnectingWebSocket from 'reconnecting-websocket'

window.peers = { PartySocket, ReconnectingWebSocket }
