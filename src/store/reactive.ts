import { batch, createSignal, type Accessor } from 'solid-js'
import { createStore, reconcile } from 'solid-js/store'
import { readRecord, type RecordSchema } from './collection'
import type { MapChange, SpaceMap } from './space-doc'
import { periodOfKey, type Period } from '../domain/calendar'

// The Y → Solid bridge. Records sit in a Solid store keyed by id; when Yjs reports
// which keys changed, only those entries are re-read and reconciled, so a screen
// that shows one row per id re-renders the one row that changed, not the whole list.
// The id list itself changes only when a record appears or disappears.
// Given the months a phone shows, entries of other months are not read at all
// (their keys say their month), even when their doc is open for another screen.

export interface LiveCollection<T> {
  /** Valid records by id (a read-only Solid store). */
  readonly byId: Readonly<Record<string, T>>
  /** Ids of valid records; a new array only when the set of ids changes. */
  readonly ids: Accessor<readonly string[]>
  /** How many stored records failed validation and are not shown. */
  readonly skipped: Accessor<number>
  dispose(): void
}

/**
 * The months whose entries live collections read. It starts with the months a phone
 * shows and grows when a screen asks for another (a report on an older month); it
 * never shrinks while the community is open.
 */
export class ShownPeriods {
  private readonly months: Set<Period>
  private readonly listeners = new Set<(added: ReadonlySet<Period>) => void>()

  constructor(months: Iterable<Period>) {
    this.months = new Set(months)
  }

  /** Entries that belong to no month (members, groups …) are always shown. */
  covers(key: string): boolean {
    const period = periodOfKey(key)
    return period === null || this.months.has(period)
  }

  show(months: Iterable<Period>): void {
    const added = new Set([...months].filter((m) => !this.months.has(m)))
    if (added.size === 0) return
    added.forEach((m) => this.months.add(m))
    this.listeners.forEach((listener) => listener(added))
  }

  onShow(listener: (added: ReadonlySet<Period>) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}

export function liveCollection<T extends object>(
  map: SpaceMap,
  schema: RecordSchema<T>,
  onValidRecord?: (record: T) => void,
  periods?: ShownPeriods,
): LiveCollection<T> {
  const shown = (key: string) => !periods || periods.covers(key)
  // The first read builds the store in one go (far cheaper than a set per record).
  const initial: Record<string, T> = {}
  const skippedKeys = new Set<string>()
  map.forEach((raw, key) => {
    if (!shown(key)) return
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

  // Re-reads these keys from the map: each is then shown, replaced, skipped or gone.
  const refresh = (keys: Iterable<string>) => batch(() => {
    let idsChanged = false
    for (const key of keys) {
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

  const observer = (event: MapChange) => refresh([...event.keysChanged].filter(shown))
  map.observe(observer)
  const stopShowing = periods?.onShow((added) => refresh([...map.keys()].filter((key) => added.has(periodOfKey(key) ?? ''))))

  return {
    byId,
    ids,
    skipped,
    dispose: () => {
      map.unobserve(observer)
      stopShowing?.()
    },
  }
}
