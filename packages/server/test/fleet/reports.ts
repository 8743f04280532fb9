// What the fleet's processes tell the orchestrator (roll.ts) over IPC.

/** From a backend: its counts, taken where a user would take them. */
export type BackendReport =
  | { t: 'listening' }
  | { t: 'open'; client: number; at: number }
  | { t: 'close'; client: number }
  | { t: 'message'; client: number; n: number }
  | { t: 'get'; path: string }
  | { t: 'draining'; at: number; open: number }
  | { t: 'drained'; at: number; drained: number }

/** To the clients' process. */
export type ClientsCommand =
  /** Each client sends its 3 messages of `step`, spread over `windowMs`. */
  | { t: 'send'; step: number; windowMs: number }
  /** Answer `settled` once every client is open and has been for reconnect.minUptimeMs. */
  | { t: 'settle' }
  | { t: 'stop' }

/** From the clients' process. */
export type ClientsReport =
  | { t: 'open'; count: number }
  | { t: 'sent'; step: number }
  | { t: 'settled' }
  | { t: 'errors'; codes: string[] }

/** Message `j` (0, 1, 2) of `step`: numbers run on across steps, so each is counted once. */
export const messageNumber = (step: number, j: number) => step * 3 + j
