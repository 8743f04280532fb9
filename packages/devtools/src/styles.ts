// The panel's only CSS, inside its shadow root: no app style reaches it (`all: initial` also stops
// inherited ones: font, color, line-height), and none of it leaks out. Colours keep WCAG AA
// contrast (4.5:1 for text), which the axe test checks.
export const STYLES = `
:host { all: initial; }
.root { position: fixed; z-index: 2147483647; font: 12px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #e2e8f0; }
.root[data-position$='right'] { right: 12px; }
.root[data-position$='left'] { left: 12px; }
.root[data-position^='bottom'] { bottom: 12px; }
.root[data-position^='top'] { top: 12px; }
button, input, select, textarea { font: inherit; color: inherit; }
button, select, input { background: #1e293b; border: 1px solid #475569; border-radius: 4px; padding: 2px 8px; }
button { cursor: pointer; }
button:hover { background: #334155; }
button[aria-pressed='true'] { background: #334155; border-color: #94a3b8; }
:focus-visible { outline: 2px solid #38bdf8; outline-offset: 1px; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 11px; overflow-wrap: anywhere; }
.toggle { display: inline-flex; align-items: center; gap: 6px; background: #0f172a; border-color: #475569; border-radius: 999px; padding: 4px 10px; box-shadow: 0 2px 8px rgb(0 0 0 / 0.35); }
.panel { position: absolute; width: min(760px, calc(100vw - 24px)); max-height: min(72vh, 760px); overflow: auto; background: #0f172a; border: 1px solid #475569; border-radius: 8px; box-shadow: 0 4px 12px rgb(0 0 0 / 0.45); contain: content; }
.root[data-position^='bottom'] .panel { bottom: calc(100% + 8px); }
.root[data-position^='top'] .panel { top: calc(100% + 8px); }
.root[data-position$='right'] .panel { right: 0; }
.root[data-position$='left'] .panel { left: 0; }
.panel[hidden] { display: none; }
.bar { position: sticky; top: 0; z-index: 1; display: flex; align-items: center; gap: 8px; padding: 8px 12px; background: #0f172a; border-bottom: 1px solid #334155; }
.bar h2 { margin: 0 auto 0 0; font-size: 13px; font-weight: 600; }
.status { margin: 0; color: #94a3b8; }
.empty { padding: 16px 12px; margin: 0; color: #cbd5e1; }
.card { padding: 10px 12px 12px; border-bottom: 1px solid #334155; contain: content; }
.card-head { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
.card h3 { margin: 0; font-size: 13px; font-weight: 600; overflow-wrap: anywhere; }
.card .actions { margin-left: auto; display: flex; gap: 6px; }
.card h4 { margin: 10px 0 4px; font-size: 11px; font-weight: 600; text-transform: uppercase; letter-spacing: 0.04em; color: #cbd5e1; }
.muted { color: #94a3b8; }
.pill, .dot { display: inline-block; border-radius: 999px; }
.pill { padding: 0 8px; font-weight: 600; }
.dot { width: 8px; height: 8px; }
[data-state='open'] { background: #4ade80; color: #052e16; }
[data-state='resolving'], [data-state='connecting'] { background: #7dd3fc; color: #082f49; }
[data-state='reconnecting'] { background: #fbbf24; color: #422006; }
[data-state='closing'], [data-state='closed'] { background: #cbd5e1; color: #0f172a; }
[data-state='idle'] { background: #475569; color: #f8fafc; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; margin: 8px 0 0; }
dt { color: #94a3b8; }
dd { margin: 0; }
ol { margin: 0; padding: 0; list-style: none; }
.chain li { display: flex; gap: 6px; align-items: baseline; flex-wrap: wrap; padding: 1px 0; }
.via { border: 1px solid #64748b; border-radius: 4px; padding: 0 4px; color: #cbd5e1; }
.strip { position: relative; height: 16px; background: #1e293b; border-radius: 3px; overflow: hidden; }
.band { position: absolute; top: 0; bottom: 0; }
.band[data-kind='open'] { background: #4ade80; }
.band[data-kind='connecting'] { background: #7dd3fc; }
.band[data-kind='reconnecting'] { background: #fbbf24; }
.band[data-kind='closed'] { background: #64748b; }
.band[data-kind='idle'] { background: #334155; }
.mark { position: absolute; top: 0; bottom: 0; width: 2px; margin-left: -1px; }
.mark[data-kind='move'] { background: #c084fc; width: 4px; margin-left: -2px; }
.mark[data-kind='error'] { background: #ef4444; }
.mark[data-kind='wake'] { background: #0ea5e9; width: 3px; }
.mark[data-kind='retry'] { background: #f8fafc; }
.mark[data-kind='close'] { background: #0f172a; }
.scale, .legend { display: flex; justify-content: space-between; color: #94a3b8; font-size: 11px; }
.legend { justify-content: flex-start; flex-wrap: wrap; gap: 4px 10px; margin-top: 2px; }
.legend span::before { content: ''; display: inline-block; width: 8px; height: 8px; margin-right: 4px; border-radius: 2px; background: var(--swatch); }
.wait { margin: 8px 0 0; padding: 4px 8px; border-left: 3px solid #fbbf24; background: #1e293b; }
.errors li { padding: 3px 0; border-top: 1px solid #1e293b; }
.errors .code { color: #fca5a5; }
.controls { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin-bottom: 4px; }
.controls label { display: inline-flex; gap: 4px; align-items: center; }
.log { max-height: 220px; overflow: auto; contain: content; border: 1px solid #334155; border-radius: 4px; background: #020617; }
.log li { display: grid; grid-template-columns: 64px 36px 64px 1fr; gap: 6px; padding: 1px 6px; border-bottom: 1px solid #0f172a; content-visibility: auto; contain-intrinsic-size: auto 18px; }
.log li[data-dir='in'] .dir::before { content: '↓ '; }
.log li[data-dir='out'] .dir::before { content: '↑ '; }
.log li.muted { display: block; }
.log li[data-flag='invalid'] { background: #450a0a; }
.log li[data-flag='refused'] { background: #431407; }
.log .flag { color: #fcd34d; }
.log li[data-flag='invalid'] .flag { color: #fecaca; }
.report { width: 100%; box-sizing: border-box; height: 120px; margin: 0; background: #020617; border: 1px solid #475569; }
`
