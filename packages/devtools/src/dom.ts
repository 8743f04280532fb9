// The panel is plain DOM: a few dozen elements per connection, updated in place. A view library
// (preact, lit) would add 4–6 KB to a tool whose whole job is text in boxes, and its own copy of
// what the app may already load; docs/devtools.md#the-panel says more.

type Props = Record<string, string | number | boolean | undefined | ((event: Event) => void)>

/** An element with attributes (`on…` functions become listeners) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: (Node | string | undefined | false)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  for (const [key, value] of Object.entries(props)) {
    if (typeof value === 'function') el.addEventListener(key.slice(2).toLowerCase(), value)
    else if (value === true) el.setAttribute(key, '')
    else if (value !== undefined && value !== false) el.setAttribute(key, String(value))
  }
  for (const child of children) if (child !== undefined && child !== false) el.append(child)
  return el
}

/** Sets a node's text only when it changed (no layout work for an unchanged countdown). */
export function text(node: Element, value: string): void {
  if (node.textContent !== value) node.textContent = value
}
