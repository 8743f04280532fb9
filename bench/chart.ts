// A small hand-written SVG of the headline figures: three panels of horizontal bars.
import type { LatencyResult, ThroughputResult } from './browser'

interface Bar {
  label: string
  value: number
  text: string
  ours: boolean
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/'/g, '&apos;')

const panel = (title: string, bars: Bar[], top: number): { svg: string; height: number } => {
  const max = Math.max(...bars.map((b) => b.value))
  const rows = bars.map((b, i) => {
    const y = top + 28 + i * 22
    const width = Math.max(2, (b.value / max) * 300)
    return `<text x="10" y="${y + 12}" class="l">${escape(b.label)}</text>
<rect x="330" y="${y}" width="${width.toFixed(1)}" height="16" rx="3" fill="${b.ours ? '#4f46e5' : '#9ca3af'}"/>
<text x="${(336 + width).toFixed(1)}" y="${y + 12}" class="v">${escape(b.text)}</text>`
  })
  return {
    svg: `<text x="10" y="${top + 16}" class="t">${escape(title)}</text>\n${rows.join('\n')}`,
    height: 36 + bars.length * 22,
  }
}

export function chart(
  sizes: { name: string; gzip: number }[],
  latency: LatencyResult[],
  rates: ThroughputResult[],
): string {
  const panels = [
    [
      'Size, min+gzip (smaller is better)',
      sizes
        .filter((s) => !s.name.startsWith('socket.io'))
        .map((s) => ({
          label: s.name.replace(/`/g, ''),
          value: s.gzip,
          text: `${(s.gzip / 1024).toFixed(2)} KB`,
          ours: s.name.startsWith('followsocket'),
        })),
    ],
    [
      'Open latency in Chromium, median (smaller is better)',
      latency.map((r) => ({
        label: r.name,
        value: r.medianMs,
        text: `${r.medianMs.toFixed(1)} ms`,
        ours: r.name.startsWith('followsocket'),
      })),
    ],
    [
      'Messages received per second, 32 B burst (larger is better)',
      rates.map((r) => ({
        label: r.name,
        value: r.burstSmall,
        text: `${Math.round(r.burstSmall)}/s`,
        ours: r.name === 'followsocket',
      })),
    ],
  ] as const
  let top = 0
  const parts: string[] = []
  for (const [title, bars] of panels) {
    const p = panel(title, [...bars], top)
    parts.push(p.svg)
    top += p.height + 10
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="720" height="${top}" viewBox="0 0 720 ${top}" font-family="system-ui, sans-serif">
<style>.t{font-size:14px;font-weight:600;fill:#111827}.l{font-size:12px;fill:#374151}.v{font-size:12px;fill:#111827}</style>
<rect width="100%" height="100%" fill="#fff"/>
${parts.join('\n')}
</svg>
`
}
