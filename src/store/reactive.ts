import * as Y from 'yjs'
import { batch, createSignal, type Accessor } from 'solid-js'
import { createStore, reconcile } from 'solid-js/store'
import { readRecord, type RecordSchema } from './collection'

// The Y → Solid bridge. Records sit in a Solid store keyed by id; when Yjs reports
// which keys changed, only those entries are re-read and reconciled, so a screen
// that shows one row per id re-renders the one row that changed, not the whole list.
// The id list itself changes only when a record appears or disappears.

export interface LiveCollection<T> {
  /** Valid records by id (a read-only Solid store). */
  readonly byId: Readonly<Record<string, T>>
  /** Ids of valid records; a new array only when the set of ids changes. */
  readonly ids: Accessor<readonly string[]>
  /** How many stored records failed validation and are not shown. */
  readonly skipped: Accessor<number>
  dispose(): void
}

export function liveCollection<T extends object>(
  map: Y.Map<unknown>,
  schema: RecordSchema<T>,
  onValidRecord?: (record: T) => void,
): LiveCollection<T> {
  const initial: Record<string, T> = {}
  const skippedKeys = new Set<string>()
  map.forEach((raw, key) => {
    const record = readRecord(schema, key, raw)
    if (record === null) skippedKeys.add(key)
    else {
      initial[key] = record
      onValidRecord?.(record)
    }
  })
  const [byId, setById] = createStore<Record<string, T>>(initial)
  const [ids, setIds] = createSignal<readonly string[]>(Object.keys(initial))
  const [skipped, setSkipped] = createSignal(skippedKeys.size)
  const present = new Set(Object.keys(initial))

  const observer = (event: Y.YMapEvent<unknown>) => batch(() => {
    let idsChanged = false
    for (const key of event.keysChanged) {
      const record = map.has(key) ? readRecord(schema, key, map.get(key)) : null
      if (record === null) {
        if (map.has(key)) skippedKeys.add(key)
        else skippedKeys.delete(key)
        if (present.delete(key)) {
          idsChanged = true
          setById(key, undefined as unknown as T)
        }
      } else {
        skippedKeys.delete(key)
        onValidRecord?.(record)
        if (!present.has(key)) {
          present.add(key)
          idsChanged = true
          setById(key, record)
        } else {
          setById(key, reconcile(record))
        }
      }
    }
    if (idsChanged) setIds([...present])
    setSkipped(skippedKeys.size)
  })
  map.observe(observer)

  return { byId, ids, skipped, dispose: () => map.unobserve(observer) }
}
