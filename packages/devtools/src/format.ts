// How the panel and the report write times and sizes.

/** 950 ms, 4.2 s, 3 min 5 s, 1 h 2 min. */
export function duration(ms: number): string {
  if (!Number.isFinite(ms)) return 'until the network is back'
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`
  const minutes = Math.floor(ms / 60_000)
  const seconds = Math.floor((ms % 60_000) / 1000)
  if (minutes < 60) return seconds ? `${minutes} min ${seconds} s` : `${minutes} min`
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`
}

/** 32 B, 1.5 KB, 64 KB, 1.2 MB (1 KB = 1024 B). */
export function bytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`
  return `${(n / 1024 / 1024).toFixed(1)} MB`
}

/** The wall-clock time of `at`, to the second: 14:03:27. */
export const clock = (at: number): string => new Date(at).toTimeString().slice(0, 8)

export const iso = (at: number): string => new Date(at).toISOString()
