import type * as Y from 'yjs'
import { batch, createSignal, getListener, type Accessor, type Setter } from 'solid-js'
import { readByPrefix, readRecord, type RecordSchema } from './collection'
import { COLLECTIONS, type Collection, type CollectionName, type RecordOf } from '../domain/collections'
import type { HybridClock } from '../domain/hlc'
import { docNameOf, firstPart, STANDING, type DocName, type MapChange, type SpaceDocs, type SpaceMap } from './space-docs'
import type { Month } from '../domain/calendar'

// The Y → Solid bridge. Each record is a plain object behind a signal of its own,
// made the first time a screen reads it; when Yjs reports which keys changed, only
// those records are re-read, so a screen that shows one row per id re-renders the
// one row that changed, not the whole list. The id list itself changes only when a
// record appears or disappears. (A Solid store did the same, but wrapping a month of
// records in store proxies cost a phone a quarter of its start.)
// Given the months a phone shows, the docs of other months are not read at all, even
// when they are open for another screen.

export interface LiveCollection<T> {
  /** Valid records by id (read-only; reading one in a reactive scope tracks that record). */
  readonly byId: Readonly<Record<string, T>>
  /** Ids of valid records; a new array only when the set of ids changes. */
  readonly ids: Accessor<readonly string[]>
  /** How many stored records failed validation and are not shown. */
  readonly skipped: Accessor<number>
  /**
   * Ids of the valid records whose keys start with "<part>|" (one shift's sign-ups).
   * Reading it tracks that group only: a sign-up elsewhere wakes nothing here.
   */
  idsIn(part: string): readonly string[]
  dispose(): void
}

/**
 * The months whose entries live collections read. It starts with the months a phone
 * shows and grows when a screen asks for another (a report on an older month); it
 * never shrinks while the community is open.
 */
export class ShownMonths {
  private readonly months: Set<Month>
  private readonly listeners = new Set<(added: ReadonlySet<Month>) => void>()

  constructor(months: Iterable<Month>) {
    this.months = new Set(months)
  }

  /** Whether a doc's entries are shown: the standing doc's (members, groups …) always are. */
  shows(docName: DocName): boolean {
    return docName === STANDING || this.months.has(docName)
  }

  show(months: Iterable<Month>): void {
    const added = new Set([...months].filter((m) => !this.months.has(m)))
    if (added.size === 0) return
    added.forEach((m) => this.months.add(m))
    this.listeners.forEach((listener) => listener(added))
  }

  onShow(listener: (added: ReadonlySet<Month>) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}

/**
 * A collection's live records, read as its declaration says (domain/collections.ts):
 * its schema, the stamp this device's clock takes in, and whether it waits until a
 * screen first reads it. `months`: the months a feature's screens show.
 */
export function liveOf<N extends CollectionName>(docs: SpaceDocs, name: N, clock: HybridClock, months?: ShownMonths): LiveCollection<RecordOf<N> & object> {
  const declared = COLLECTIONS[name] as unknown as Collection<RecordOf<N> & object>
  const reads = declared.lazy === 'byKey' ? 'byKey' : declared.lazy ? 'whenAsked' : 'atStart'
  return liveCollection(docs.getMap(name), declared.schema, (record) => void clock.receive(declared.stamp(record)), months, reads)
}

/** When a live collection reads its records: at start, all when a screen first asks, or by key (domain/collections.ts). */
export type Reads = 'atStart' | 'whenAsked' | 'byKey'

export function liveCollection<T extends object>(
  map: SpaceMap,
  schema: RecordSchema<T>,
  onValidRecord?: (record: T) => void,
  months?: ShownMonths,
  reads: Reads = 'atStart',
): LiveCollection<T> {
  const shown = (docName: DocName) => !months || months.shows(docName)
  const records = new Map<string, T>()
  const skippedKeys = new Set<string>()
  const [ids, setIds] = createSignal<readonly string[]>([])
  const [skipped, setSkipped] = createSignal(0)

  // A record's signal exists once something reactive has read it.
  const signals = new Map<string, [Accessor<T | undefined>, Setter<T | undefined>]>()
  const read = (key: string): T | undefined => {
    if (!getListener()) return records.get(key)
    let signal = signals.get(key)
    if (!signal) signals.set(key, (signal = createSignal(records.get(key), { equals: false })))
    return signal[0]()
  }
  const byId = new Proxy({} as Record<string, T>, { get: (_, key) => (typeof key === 'string' ? (readKey(key), read(key)) : undefined) })
  const put = (key: string, record: T | undefined) => {
    if (record === undefined) records.delete(key)
    else records.set(key, record)
    signals.get(key)?.[1](() => record)
  }

  // The keys of each group (firstPart of the key), indexed the first time a group is
  // asked for (most collections never are) and then kept as records come and go. A
  // group's signal exists once something reactive has read it, and changes only when
  // a key joins or leaves that group.
  let keysByGroup: Map<string, Set<string>> | null = null
  const groups = new Map<string, [Accessor<readonly string[]>, Setter<readonly string[]>]>()
  const keysIn = (part: string): readonly string[] => [...(keysByGroup?.get(part) ?? [])]
  const groupChanged = (key: string, joined: boolean) => {
    if (!keysByGroup) return
    const part = firstPart(key)
    const keys = keysByGroup.get(part) ?? new Set<string>()
    if (joined) keysByGroup.set(part, keys.add(key))
    else if (keys.delete(key) && keys.size === 0) keysByGroup.delete(part)
    groups.get(part)?.[1](keysIn(part))
  }

  // Re-reads these keys from the doc they are filed in: each is then shown, replaced,
  // skipped or gone.
  const refresh = (keys: Iterable<string>, from: Y.Map<unknown>) => batch(() => {
    let idsChanged = false
    for (const key of keys) {
      const value = map.readFrom(from, key)
      const stored = value !== undefined
      const record = stored ? readRecord(schema, key, value) : null
      if (record === null) {
        if (stored) skippedKeys.add(key)
        else skippedKeys.delete(key)
        if (records.has(key)) {
          idsChanged = true
          put(key, undefined)
          groupChanged(key, false)
        }
      } else {
        skippedKeys.delete(key)
        onValidRecord?.(record)
        const before = records.get(key)
        if (before === undefined) idsChanged = true
        // The same record again (a peer re-sent it) changes nothing on screen.
        if (before === undefined || !samePlainData(before, record)) put(key, record)
        if (before === undefined) groupChanged(key, true)
      }
    }
    // Only what lists them all reads the ids, and that reads the whole collection first.
    if (idsChanged && reading) setIds([...records.keys()])
    setSkipped(skippedKeys.size)
  })

  // What has been read, and is then kept up to date: everything, or (read by key)
  // the groups and single keys screens asked for.
  let reading = false
  const groupsRead = new Set<string>()
  const keysRead = new Set<string>()
  const isRead = (key: string) => reading || groupsRead.has(firstPart(key)) || keysRead.has(key)
  // A doc's part of what is read, when it is first shown (at start, or when a screen
  // asks for its month); after that, its changes as they come.
  const readDoc = (docName: DocName) => {
    const shard = map.shardIn(docName)
    if (!shard || !(reading || groupsRead.size > 0 || keysRead.size > 0)) return
    refresh(reading ? map.keysIn(docName) : [...map.keysIn(docName)].filter(isRead), shard)
  }
  const start = () => {
    if (reading) return
    reading = true
    for (const docName of map.docNames()) if (shown(docName)) readDoc(docName)
    // Keys read one by one before are listed too.
    if (reads === 'byKey') setIds([...records.keys()])
  }
  const readGroup = (part: string) => {
    if (reading || groupsRead.has(part)) return
    if (reads !== 'byKey') return start()
    groupsRead.add(part)
    for (const docName of map.docNames()) if (shown(docName)) refresh(map.keysInGroup(docName, part), map.shardIn(docName)!)
  }
  const readKey = (key: string) => {
    if (isRead(key)) return
    if (reads !== 'byKey') return start()
    keysRead.add(key)
    const shard = map.shardOf(key)
    if (shard && shown(docNameOf(key))) refresh([key], shard)
  }
  if (reads === 'atStart') start()
  const observer = (change: MapChange) => {
    if (!shown(change.docName)) return
    if (reading) refresh(change.keysChanged, change.shard)
    else if (groupsRead.size > 0 || keysRead.size > 0) refresh([...change.keysChanged].filter(isRead), change.shard)
  }
  map.observe(observer)
  const stopShowing = months?.onShow((added) => added.forEach(readDoc))

  return {
    byId,
    ids: () => (start(), ids()),
    skipped: () => (start(), skipped()),
    idsIn(part) {
      if (!keysByGroup) {
        keysByGroup = new Map()
        for (const key of records.keys()) keysByGroup.set(firstPart(key), (keysByGroup.get(firstPart(key)) ?? new Set<string>()).add(key))
      }
      // After the index: the group's records join it as they are read.
      readGroup(part)
      if (!getListener()) return keysIn(part)
      let group = groups.get(part)
      if (!group) groups.set(part, (group = createSignal(keysIn(part))))
      return group[0]()
    },
    dispose: () => {
      map.unobserve(observer)
      stopShowing?.()
    },
  }
}

/**
 * A collection read one group at a time: the records whose keys start with "<part>|"
 * (one day's reservations), read the first time a screen asks for that part and then
 * kept up to date. Today asks for today's few hundred reservations, not the month's
 * thousands (reading and checking those took a phone a tenth of its start).
 */
export interface LiveGroups<T> {
  /** The valid records of one group (reading it in a reactive scope tracks that group). */
  of(part: string): readonly T[]
  dispose(): void
}

export function liveGroups<T>(map: SpaceMap, schema: RecordSchema<T>, onValidRecord?: (record: T) => void): LiveGroups<T> {
  const groups = new Map<string, Setter<readonly T[]>>()
  const accessors = new Map<string, Accessor<readonly T[]>>()
  const readGroup = (part: string) => {
    const records = readByPrefix(map, schema, `${part}|`)
    if (onValidRecord) records.forEach(onValidRecord)
    return records
  }
  const observer = (change: MapChange) => {
    const parts = new Set<string>()
    for (const key of change.keysChanged) if (groups.has(firstPart(key))) parts.add(firstPart(key))
    if (parts.size > 0) batch(() => parts.forEach((part) => groups.get(part)!(readGroup(part))))
  }
  map.observe(observer)
  return {
    of(part) {
      let group = accessors.get(part)
      if (!group) {
        // A re-check that reads the same records again redraws nothing.
        const [read, write] = createSignal<readonly T[]>(readGroup(part), { equals: (a, b) => a.length === b.length && a.every((record, i) => samePlainData(record, b[i])) })
        groups.set(part, write)
        accessors.set(part, (group = read))
      }
      return group()
    },
    dispose: () => map.unobserve(observer),
  }
}

/** Equal JSON-like values (records are plain data: strings, numbers, lists, objects). */
function samePlainData(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const keys = Object.keys(a)
  if (keys.length !== Object.keys(b).length) return false
  return keys.every((key) => samePlainData((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]))
}
