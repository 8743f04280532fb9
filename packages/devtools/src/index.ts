export { mountDevtools, type DevtoolsOptions, type DevtoolsElement, type Position } from './mount'
export { inspect, type InspectOptions } from './registry'
export { redactUrl, redactText } from './redact'
export type { Report } from './report'
