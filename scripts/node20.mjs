// Vitest 5 targets Node 22 and its reporter calls Map.groupBy, which Node 20 lacks.
// Loaded by the vitest configs so the suite runs on the Node 20 this project supports.
if (typeof Map.groupBy !== 'function') {
  Map.groupBy = (items, key) => {
    const groups = new Map()
    let index = 0
    for (const item of items) {
      const k = key(item, index++)
      if (!groups.has(k)) groups.set(k, [])
      groups.get(k).push(item)
    }
    return groups
  }
}
