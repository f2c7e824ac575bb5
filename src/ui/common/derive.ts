import { createMemo, getOwner, runWithOwner, type Accessor } from 'solid-js'

/** A memo made the first time it is read, so what no screen shows is never computed. */
export function createDeferredMemo<T>(compute: () => T): Accessor<T> {
  const owner = getOwner()
  let memo: Accessor<T> | undefined
  return () => (memo ??= runWithOwner(owner, () => createMemo(compute))!)()
}

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
