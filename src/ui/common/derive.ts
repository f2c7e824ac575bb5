/** Groups the records of a live collection by a key (entries by the record they belong to). */
export function groupBy<T>(ids: readonly string[], byId: Readonly<Record<string, T>>, key: (item: T) => string): Map<string, T[]> {
  const grouped = new Map<string, T[]>()
  for (const id of ids) {
    const item = byId[id]
    if (!item) continue
    const k = key(item)
    const list = grouped.get(k)
    if (list) list.push(item)
    else grouped.set(k, [item])
  }
  return grouped
}
