import { createMemo, getOwner, runWithOwner, type Accessor } from 'solid-js'
import type { LiveCollection } from '../../store/reactive'
import { entryKey, type PlaceEntry } from '../../domain/places'

/**
 * A memo per key (a day), each made the first time it is read, so what no screen shows
 * is never computed. With `equals`, a key whose value is the same again wakes nothing.
 */
export function createDeferredMemos<K, T>(compute: (key: K) => T, equals?: (a: T, b: T) => boolean): (key: K) => T {
  const owner = getOwner()
  const memos = new Map<K, Accessor<T>>()
  return (key) => {
    let memo = memos.get(key)
    if (!memo) memos.set(key, (memo = runWithOwner(owner, () => createMemo(() => compute(key), undefined, equals ? { equals } : undefined))!))
    return memo()
  }
}

/** The same records in the same order (a live collection keeps a record's object while it is unchanged). */
export const sameItems = <T>(a: readonly T[], b: readonly T[]): boolean => a.length === b.length && a.every((item, i) => item === b[i])

/** One memo made the first time it is read. */
export function createDeferredMemo<T>(compute: () => T): Accessor<T> {
  const memo = createDeferredMemos(compute)
  return () => memo(undefined)
}

function group<I, T>(inputs: Iterable<I>, itemOf: (input: I) => T | undefined, key: (item: T) => string): Map<string, T[]> {
  const grouped = new Map<string, T[]>()
  for (const input of inputs) {
    const item = itemOf(input)
    if (!item) continue
    const k = key(item)
    const list = grouped.get(k)
    if (list) list.push(item)
    else grouped.set(k, [item])
  }
  return grouped
}

/**
 * The entries of one record (a shift's sign-ups, an activity's RSVPs), read through
 * their group of the collection so that only that group is tracked. An entry must
 * name the record too: a key's first part alone could be made to point elsewhere.
 */
export const entriesOf = <T extends { recordId: string }>(collection: LiveCollection<T>, recordId: string): T[] =>
  collection.idsIn(recordId).flatMap((id) => {
    const entry = collection.byId[id]
    return entry !== undefined && entry.recordId === recordId ? [entry] : []
  })

/** Whether this person's own entry on a record (read by its key alone) is active. */
export const isIn = (collection: LiveCollection<PlaceEntry>, recordId: string, personId: string): boolean => {
  const entry = collection.byId[entryKey(recordId, personId)]
  return entry !== undefined && entry.recordId === recordId && entry.personId === personId && entry.active
}

/** Groups the records of a live collection by a key (entries by the record they belong to). */
export const groupBy = <T>(ids: readonly string[], byId: Readonly<Record<string, T>>, key: (item: T) => string): Map<string, T[]> => group(ids, (id) => byId[id], key)

/** Groups a list by a key. */
export const groupItems = <T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> => group(items, (item) => item, key)
