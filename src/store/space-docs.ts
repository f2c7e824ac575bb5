import * as Y from 'yjs'
import { monthOfKey, today, type Day } from '../domain/calendar'
import { isCollection, type CollectionName } from '../domain/collections'

// One space's data is filed in several Y.Docs: a standing doc for what belongs to no
// month (members, groups, help requests, standing orders …) and one doc per month
// for dated records and every entry keyed under them. Each doc gets its own storage
// and peer room (session/space.ts), so a phone opens the months it shows and a year of
// history costs nothing until someone asks for it. Keys say their month
// (`monthOfKey`), so every read and write is routed by its key alone; store code
// sees one map per collection, as if the space were a single doc.

export const STANDING = 'standing'
/** A doc's name: STANDING or a month ("2026-11"). */
export type DocName = string

export const docNameOf = (key: string): DocName => monthOfKey(key) ?? STANDING

/** Whether a name a peer sent can be a doc's (it also names a database or a file). */
export const isDocName = (name: string): boolean => name === STANDING || /^\d{4}-(0[1-9]|1[0-2])$/.test(name)

/**
 * Whether a peer may make this device keep a doc of that name: the standing doc, or a
 * month from three years back to two years ahead of today. Any other name a peer
 * offers is not asked for or stored: every month is a database of its own, and names
 * run from 0000 to 9999.
 */
export function isDocNameNear(name: string, day: Day = today()): boolean {
  if (name === STANDING) return true
  if (!isDocName(name)) return false
  const index = (text: string) => Number(text.slice(0, 4)) * 12 + Number(text.slice(5, 7)) - 1
  const offset = index(name) - index(day)
  return offset >= -36 && offset <= 24
}

/** Each doc has its own database and peer room; the standing doc keeps the space's room name. */
export const docRoom = (room: string, name: DocName): string => (name === STANDING ? room : `${room}.${name}`)

/** Whether a key belongs in this doc (`docNameOf`, without its regex for months: it runs per key read). */
const isFiledIn = (key: string, docName: DocName): boolean => {
  if (docName === STANDING) return monthOfKey(key) === null
  const after = key[docName.length]
  return key.startsWith(docName) && (after === '-' || after === '_')
}

/** What a gate returns for a record that failed its check: shown as nothing, counted as skipped (no schema accepts it). */
export const REFUSED: unique symbol = Symbol('refused')

/**
 * Decides what of each stored value may be read (trust/signatures.ts checks each
 * record's signature and whether its author may write it). Without a gate, every
 * stored value is read as it is.
 */
export interface Gate {
  /** What to read for `key` in `shard`: the stored value, the last one that passed, REFUSED, or undefined (nothing yet). */
  read(map: SpaceMap, key: string, shard: Y.Map<unknown>): unknown
  /** A peer's update has replaced or deleted `previous`, the value that was stored under `key`. */
  replaced(map: SpaceMap, key: string, previous: unknown): void
  /** This device's command has just stored `value` under `key` (the very object: what makes it this device's own). */
  written(map: SpaceMap, key: string, value: unknown): void
}

export interface MapChange {
  keysChanged: Set<string>
  /** The doc the change happened in, and its part of the collection. */
  docName: DocName
  shard: Y.Map<unknown>
}

export class SpaceDocs {
  private readonly docs = new Map<DocName, Y.Doc>()
  private readonly maps = new Map<string, SpaceMap>()
  private readonly openListeners = new Set<(name: DocName, doc: Y.Doc) => void>()
  private readonly writeListeners = new Set<(docName: DocName, collection: string, key: string) => void>()
  /** Set by the session in a community with signed records, before anything reads. */
  gate: Gate | null = null
  /** Whether a transaction's origin is this device's own storage loading a doc (set by the session): nothing there is a peer's replacement. */
  fromStorage: (origin: unknown) => boolean = () => false
  /** The origin of the transaction running in `transact`, for docs opened inside it. */
  private running: { origin: unknown } | null = null

  constructor() {
    this.open(STANDING)
  }

  /** The docs open on this device, by name. */
  get opened(): ReadonlyMap<DocName, Y.Doc> {
    return this.docs
  }

  get(name: DocName): Y.Doc | undefined {
    return this.docs.get(name)
  }

  /** Opens a doc if it is not open yet; listeners give it storage and a room. */
  open(name: DocName): Y.Doc {
    const existing = this.docs.get(name)
    if (existing) return existing
    const doc = new Y.Doc()
    this.docs.set(name, doc)
    this.openListeners.forEach((listener) => listener(name, doc))
    return doc
  }

  /** Called for every doc already open and every doc opened later. */
  onOpen(listener: (name: DocName, doc: Y.Doc) => void): () => void {
    this.openListeners.add(listener)
    this.docs.forEach((doc, name) => listener(name, doc))
    return () => this.openListeners.delete(listener)
  }

  /** Called after each record a command writes on this device (not signing or healing, which write to shards). */
  onWrite(listener: (docName: DocName, collection: string, key: string) => void): () => void {
    this.writeListeners.add(listener)
    return () => this.writeListeners.delete(listener)
  }

  /** A command wrote a record (SpaceMap.set). */
  wrote(map: SpaceMap, key: string, value: unknown): void {
    this.gate?.written(map, key, value)
    const docName = docNameOf(key)
    this.writeListeners.forEach((listener) => listener(docName, map.name, key))
  }

  /** Every collection read or written so far. */
  get collections(): IterableIterator<SpaceMap> {
    return this.maps.values()
  }

  /** A declared collection's map (domain/collections.ts); any other name is a mistake in the code, said at once. */
  getMap(name: CollectionName): SpaceMap {
    if (!isCollection(name)) throw new Error(`"${name}" is not a declared collection (domain/collections.ts)`)
    let map = this.maps.get(name)
    if (!map) this.maps.set(name, (map = new SpaceMap(this, name)))
    return map
  }

  /**
   * Runs writes as one transaction in every open doc, so each doc sends one update
   * and observers see the command's writes together. A doc first opened by a write
   * inside gets that write in a transaction of its own, with the same origin.
   */
  transact<T>(write: () => T, origin: unknown = null): T {
    if (this.running) return write()
    const docs = [...this.docs.values()]
    let result!: T
    const nest = (i: number): void => {
      if (i < docs.length) docs[i]!.transact(() => nest(i + 1), origin)
      else result = write()
    }
    this.running = { origin }
    try {
      nest(0)
    } finally {
      this.running = null
    }
    return result
  }

  /** Writes to one doc, inside the running command's transaction if there is one. */
  writeTo(doc: Y.Doc, write: () => void): void {
    if (this.running && !doc._transaction) doc.transact(write, this.running.origin)
    else write()
  }

  /** The encoded size of the open docs, in bytes (diagnostics). */
  encodedBytes(): number {
    return [...this.docs.values()].reduce((sum, doc) => sum + Y.encodeStateAsUpdate(doc).length, 0)
  }

  destroy(): void {
    this.openListeners.clear()
    this.docs.forEach((doc) => doc.destroy())
  }
}

/** What an entry's key begins with: the id of what it belongs to (a shift, a day). */
export const firstPart = (key: string): string => {
  const bar = key.indexOf('|')
  return bar < 0 ? key : key.slice(0, bar)
}

/** One collection across a space's open docs; each key lives in the doc of its month. */
export class SpaceMap {
  private readonly listeners = new Set<(change: MapChange) => void>()
  // Entry keys begin with the id of what they belong to ("<shift id>|<person id>",
  // "<day>|<meal>|<elder code>"). Each doc's keys are grouped by that first part, built
  // when first asked for and kept up to date before any listener hears of a change,
  // so a reader finds one record's entries without walking a month.
  private readonly groups = new WeakMap<Y.Map<unknown>, Map<string, Set<string>>>()

  constructor(
    private readonly space: SpaceDocs,
    readonly name: string,
  ) {
    space.onOpen((docName, doc) => {
      const shard = doc.getMap<unknown>(name)
      shard.observe((event) => {
        const change = { keysChanged: new Set([...event.keysChanged].filter((key) => isFiledIn(key, docName))), docName, shard }
        const index = this.groups.get(shard)
        if (index) {
          for (const key of event.keysChanged) {
            if (shard.has(key)) this.group(index, key)
            else index.get(firstPart(key))?.delete(key)
          }
        }
        if (space.gate) {
          // What a peer's update replaced or deleted is handed to the gate as it goes, so
          // the last valid version is known even where no screen ever read the key.
          if (!event.transaction.local && !space.fromStorage(event.transaction.origin)) {
            event.changes.keys.forEach((keyChange, key) => {
              if (keyChange.action !== 'add' && change.keysChanged.has(key)) space.gate!.replaced(this, key, keyChange.oldValue)
            })
          }
          // A gate must see a deletion even where no screen reads the key (to write it back).
          for (const key of change.keysChanged) if (!shard.has(key)) space.gate.read(this, key, shard)
        }
        this.listeners.forEach((l) => l(change))
      })
    })
  }

  private group(index: Map<string, Set<string>>, key: string): void {
    const part = firstPart(key)
    let keys = index.get(part)
    if (!keys) index.set(part, (keys = new Set()))
    keys.add(key)
  }

  /** The keys in one doc's part of the collection that begin with `part` and a bar (or are `part`). */
  keysOfGroup(shard: Y.Map<unknown>, part: string): ReadonlySet<string> {
    let index = this.groups.get(shard)
    if (!index) {
      index = new Map()
      for (const key of shard.keys()) this.group(index, key)
      this.groups.set(shard, index)
    }
    return index.get(part) ?? new Set()
  }

  /** The keys of one group (`part` and a bar) filed in one doc. */
  keysInGroup(docName: DocName, part: string): string[] {
    const shard = this.shardIn(docName)
    return shard ? [...this.keysOfGroup(shard, part)].filter((key) => key.startsWith(`${part}|`) && isFiledIn(key, docName)) : []
  }

  /** The Y.Map that holds this key, if its doc is open here. */
  shardOf(key: string): Y.Map<unknown> | undefined {
    return this.shardIn(docNameOf(key))
  }

  /** The docs open on this device (STANDING and months). */
  docNames(): IterableIterator<DocName> {
    return this.space.opened.keys()
  }

  /** This collection's part of one open doc. */
  shardIn(docName: DocName): Y.Map<unknown> | undefined {
    return this.space.get(docName)?.getMap<unknown>(this.name)
  }

  /** The keys filed in one doc. A key filed in the wrong doc (only a buggy or hostile peer writes one) is not read. */
  *keysIn(docName: DocName): IterableIterator<string> {
    for (const key of this.shardIn(docName)?.keys() ?? []) if (isFiledIn(key, docName)) yield key
  }

  private *filed(): IterableIterator<[string, Y.Map<unknown>]> {
    for (const docName of this.docNames()) {
      const shard = this.shardIn(docName)!
      for (const key of this.keysIn(docName)) yield [key, shard]
    }
  }

  /** What may be read of `key` in the shard it is filed in (the gate decides, if there is one). */
  readFrom(shard: Y.Map<unknown>, key: string): unknown {
    return this.space.gate ? this.space.gate.read(this, key, shard) : shard.get(key)
  }

  get(key: string): unknown {
    const shard = this.shardOf(key)
    return shard && this.readFrom(shard, key)
  }

  /** Whether a readable record is stored under `key`. */
  has(key: string): boolean {
    const value = this.get(key)
    return value !== undefined && value !== REFUSED
  }

  /** Writing to a month that is not open opens it: the write is stored and shared. */
  set(key: string, value: unknown): void {
    const doc = this.space.open(docNameOf(key))
    this.space.writeTo(doc, () => doc.getMap<unknown>(this.name).set(key, value))
    this.space.wrote(this, key, value)
  }

  /** Writes one whole record: an edit replaces the object, which stays small to store. */
  put<T extends object>(key: string, record: T): void {
    this.set(key, { ...record })
  }

  delete(key: string): void {
    const doc = this.space.get(docNameOf(key))
    if (doc) this.space.writeTo(doc, () => doc.getMap<unknown>(this.name).delete(key))
  }

  get size(): number {
    let size = 0
    for (const _ of this.filed()) size++
    return size
  }

  /** Visits what may be read of each key (REFUSED included, so readers count it as skipped). */
  forEach(visit: (value: unknown, key: string) => void): void {
    for (const [key, shard] of this.filed()) {
      const value = this.readFrom(shard, key)
      if (value !== undefined) visit(value, key)
    }
  }

  /**
   * Each key with its value as stored, which the gate has not judged: only for choosing
   * which few keys to read (through `get`) where most need not be; never shown or acted on.
   */
  *unjudged(): IterableIterator<[string, unknown]> {
    for (const [key, shard] of this.filed()) yield [key, shard.get(key)]
  }

  *keys(): IterableIterator<string> {
    for (const [key] of this.filed()) yield key
  }

  /** Called with the keys that changed in one doc's transaction (local or from a peer). */
  observe(listener: (change: MapChange) => void): void {
    this.listeners.add(listener)
  }

  unobserve(listener: (change: MapChange) => void): void {
    this.listeners.delete(listener)
  }

  /** Tells observers these keys may read differently now (the gate has checked them, or who may write changed). */
  recheck(docName: DocName, keys: Set<string>): void {
    const shard = this.shardIn(docName)
    if (shard && keys.size > 0) this.listeners.forEach((l) => l({ keysChanged: keys, docName, shard }))
  }
}
