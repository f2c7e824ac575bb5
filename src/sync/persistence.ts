import * as Y from 'yjs'
import { IndexeddbPersistence, storeState } from 'y-indexeddb'
import { forgetChecks } from '../trust/gate/memory'
import { docRoom, type SpaceDocs } from '../store/space-docs'

// Each doc of a space (standing, and each month) lives in its own IndexedDB
// database, named by its community, space and room (`storeOf`). Writes go to the Y.Doc first and y-indexeddb stores
// them; nothing waits for the network.

export interface SpaceStorage {
  readonly whenLoaded: Promise<void>
  isFromStorage(origin: unknown): boolean
  /** Resolves once every change made so far is written (its transaction has completed). */
  flushed(): Promise<void>
  destroy(): Promise<void>
}

/**
 * Where a space's docs are stored: named by its community, which space, and its room.
 * Rooms travel in clear to the signaling server, so a room alone would let an invite
 * naming another community's room open that community's stored docs and send them on.
 */
export const storeOf = (community: string, space: 'public' | 'staff', room: string): string => `${community}.${space}.${room}`

/** A doc's database: `store` is `storeOf(…)`, or with a month appended, `docRoom(store, month)`. */
export const databaseName = (store: string) => `neighbours-${store}`

/**
 * y-indexeddb on a doc, without the update listener it adds from the start: with it,
 * Yjs encodes the whole stored state again into one update nobody needs (y-indexeddb
 * skips its own). Returns the listener, for a doc that should store its changes.
 */
function quietPersistence(doc: Y.Doc, store: string): [IndexeddbPersistence, (update: Uint8Array, origin: unknown) => void] {
  const persistence = new IndexeddbPersistence(databaseName(store), doc)
  const storeUpdate = (persistence as unknown as { _storeUpdate: (update: Uint8Array, origin: unknown) => void })._storeUpdate
  doc.off('update', storeUpdate)
  return [persistence, storeUpdate]
}

export function persistSpace(doc: Y.Doc, store: string): SpaceStorage {
  // Listen once it has loaded: writes made before then are kept, as y-indexeddb
  // stores the doc's state just before it applies what was stored.
  const [persistence, storeUpdate] = quietPersistence(doc, store)
  persistence.once('synced', () => doc.on('update', storeUpdate))
  return {
    whenLoaded: persistence.whenSynced.then(() => undefined),
    isFromStorage: (origin) => origin === persistence,
    flushed: () => persistence.whenSynced.then(() => flush(persistence)),
    destroy: () => persistence.destroy(),
  }
}

/**
 * Waits for y-indexeddb's writes queued so far: a transaction on the same store
 * created later runs only after every earlier write has completed.
 */
export function flush(persistence: IndexeddbPersistence): Promise<void> {
  const db = persistence.db
  if (!db) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const tx = db.transaction(['updates'], 'readonly')
    tx.oncomplete = () => resolve()
    tx.onabort = () => resolve()
    tx.onerror = () => reject(tx.error)
  })
}

/** The months this device has stored for a space's store, open or not (their databases). */
export async function storedMonths(store: string): Promise<string[]> {
  const prefix = `${databaseName(store)}.`
  const stored = (await indexedDB.databases?.()) ?? []
  return stored.flatMap((db) => (db.name?.startsWith(prefix) ? [db.name.slice(prefix.length)] : []))
}

/**
 * A doc that is not open: read from its database into a doc of its own, then let go.
 * Nothing `use` changes is stored unless it stores it (storeIntoDoc does, at once).
 */
export async function withStoredDoc<T>(store: string, use: (doc: Y.Doc, persistence: IndexeddbPersistence) => Promise<T> | T): Promise<T> {
  const doc = new Y.Doc()
  const [persistence] = quietPersistence(doc, store)
  try {
    await persistence.whenSynced
    return await use(doc, persistence)
  } finally {
    await persistence.destroy()
    doc.destroy()
  }
}

/** The whole stored state of a doc that is not open. */
export const readStoredDoc = (store: string): Promise<Uint8Array> => withStoredDoc(store, (doc) => Y.encodeStateAsUpdate(doc))

/**
 * Merges an update into a doc that is not open, without opening it for screens (a
 * month received from a peer or a file). Resolves once it is written; true if it
 * brought anything this device did not have. `afterwards` sees the doc while it is
 * still loaded (replication notes its state then). If `declines` says so of the doc as
 * stored, nothing is written and 'declined' comes back (the caller opens the doc).
 */
export const storeIntoDoc = (store: string, update: Uint8Array, afterwards?: (doc: Y.Doc) => Promise<void>, declines?: (doc: Y.Doc) => boolean): Promise<boolean | 'declined'> =>
  withStoredDoc(store, async (doc, persistence) => {
    if (declines?.(doc)) return 'declined' as const
    if (!mergeUpdate(doc, update)) return false
    await storeState(persistence, true)
    await flush(persistence)
    await afterwards?.(doc)
    return true
  })

/** Where one space's docs are: open on a screen (stored by y-indexeddb as they change) or only in their databases. */
export interface DocHome {
  /** The doc if a screen has opened it (loaded or not yet). */
  opened(name: string): Y.Doc | undefined
  /** The names of the docs open now. */
  openNames(): Iterable<string>
  /** Opens it now (what the gate must see goes through an open doc). */
  open(name: string): Y.Doc
  /** Called for every doc open now and every doc opened later. */
  onOpen(listener: (name: string, doc: Y.Doc) => void): () => void
  /** Resolves once an open doc holds what was stored for it. */
  whenLoaded(name: string): Promise<void>
  /** Whether an update was a load from this device's storage (not a change). */
  isFromStorage(name: string, origin: unknown): boolean
  /** Resolves once an open doc's changes so far are written. */
  flushed(name: string): Promise<void>
  /** The doc's database (`docRoom(store, name)`). */
  database(name: string): string
}

/** A space's docs (store/space-docs.ts), each stored as `persistSpace` stores it once opened. */
export function homeOf(docs: Pick<SpaceDocs, 'get' | 'open' | 'opened' | 'onOpen'>, storage: ReadonlyMap<string, SpaceStorage>, store: string): DocHome {
  return {
    opened: (name) => docs.get(name),
    openNames: () => docs.opened.keys(),
    open: (name) => docs.open(name),
    onOpen: (listener) => docs.onOpen(listener),
    whenLoaded: (name) => storage.get(name)?.whenLoaded ?? Promise.resolve(),
    isFromStorage: (name, origin) => storage.get(name)?.isFromStorage(origin) ?? false,
    flushed: (name) => storage.get(name)?.flushed() ?? Promise.resolve(),
    database: (name) => docRoom(store, name),
  }
}

export interface MergeOptions {
  /** Runs work on the stored doc in turn with other work on it (a read must not overlap a write). */
  inTurn?: <T>(work: () => Promise<T>) => Promise<T>
  /** Sees the stored doc after the update is written, while it is loaded. */
  afterwards?: (doc: Y.Doc) => Promise<void>
  /** Whether the update must go through the open doc instead (it replaces a signed record: replacesSigned). */
  declines?: (doc: Y.Doc) => boolean
}

/**
 * Merges an update into one doc of a space, wherever the doc is: open, being opened,
 * or only stored. It is the one way in for what peers and files bring. Resolves once
 * it is written. `changed`: it brought something new; `open`: an open doc took it (its
 * update listeners heard it), else only the database did. A doc a screen opened while
 * the update was being stored may have read its database first, so it is given the
 * update too: a month opened while it arrives shows what arrived.
 */
export async function mergeIntoDoc(home: DocHome, name: string, update: Uint8Array, origin: unknown, { inTurn = (work) => work(), afterwards, declines }: MergeOptions = {}): Promise<{ changed: boolean; open: boolean }> {
  const intoOpen = async (doc: Y.Doc) => {
    await home.whenLoaded(name)
    const changed = mergeUpdate(doc, update, origin)
    await home.flushed(name)
    return { changed, open: true }
  }
  const open = home.opened(name)
  if (open) return intoOpen(open)
  const stored = await inTurn(() => storeIntoDoc(home.database(name), update, afterwards, declines))
  if (stored === 'declined') return intoOpen(home.open(name))
  const openedSince = home.opened(name)
  if (openedSince) return { ...(await intoOpen(openedSince)), changed: stored }
  return { changed: stored, open: false }
}

/** Applies an update; true if the doc changed (new items or new deletions, as a snapshot tells). */
export function mergeUpdate(doc: Y.Doc, update: Uint8Array, origin?: unknown): boolean {
  const before = Y.snapshot(doc)
  Y.applyUpdate(doc, update, origin)
  return !Y.equalSnapshots(before, Y.snapshot(doc))
}

/** A doc's state vector and digest, as replication asks for them. */
export interface RecordedState {
  stateVector: Uint8Array
  digest: string
}

const RECORD_KEY = 'neighbours.state'

/** Opens an existing doc database (never creates one); null if there is none. */
function openExisting(name: string): Promise<IDBDatabase | null> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name)
    request.onupgradeneeded = () => request.transaction?.abort()
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => (request.error?.name === 'AbortError' ? resolve(null) : reject(request.error))
  })
}

/** The key of the newest update stored (y-indexeddb appends, and replaces all when it compacts). */
function lastUpdateKey(updates: IDBObjectStore): Promise<IDBValidKey | null> {
  return new Promise((resolve, reject) => {
    const request = updates.openKeyCursor(null, 'prev')
    request.onsuccess = () => resolve(request.result?.key ?? null)
    request.onerror = () => reject(request.error)
  })
}

/**
 * Notes a doc's state beside its updates, with the key of the newest update it covers,
 * so the next session can answer a peer without reading the whole doc. Any update
 * stored after it (a change, or a compaction) makes the note stale, and it is not used.
 */
export async function recordState(store: string, state: RecordedState): Promise<void> {
  const db = await openExisting(databaseName(store))
  if (!db) return
  try {
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction(['updates', 'custom'], 'readwrite')
      void lastUpdateKey(tx.objectStore('updates')).then((lastKey) => {
        if (lastKey !== null) tx.objectStore('custom').put({ lastKey, stateVector: state.stateVector, digest: state.digest }, RECORD_KEY)
      }, reject)
      tx.oncomplete = () => resolve()
      tx.onerror = () => reject(tx.error)
    })
  } finally {
    db.close()
  }
}

/** The state noted for a doc, if nothing has been stored in it since; null otherwise. */
export async function recordedState(store: string): Promise<RecordedState | null> {
  const db = await openExisting(databaseName(store))
  if (!db) return null
  try {
    const tx = db.transaction(['updates', 'custom'], 'readonly')
    const [lastKey, note] = await Promise.all([
      lastUpdateKey(tx.objectStore('updates')),
      new Promise<unknown>((resolve, reject) => {
        const request = tx.objectStore('custom').get(RECORD_KEY)
        request.onsuccess = () => resolve(request.result)
        request.onerror = () => reject(request.error)
      }),
    ])
    const n = note as { lastKey?: unknown; stateVector?: unknown; digest?: unknown } | undefined
    if (!n || lastKey === null || n.lastKey !== lastKey || !(n.stateVector instanceof Uint8Array) || typeof n.digest !== 'string') return null
    return { stateVector: n.stateVector, digest: n.digest }
  } catch {
    return null // no such stores (not a doc database): read the doc instead
  } finally {
    db.close()
  }
}

/** Removes a space's stored data from this device (leaving a community): its standing doc's database and its months' (or only the months'). */
export async function deleteSpaceData(store: string, { keepStanding = false } = {}): Promise<void> {
  const own = databaseName(store)
  const months = await storedMonths(store)
  await Promise.all([...(keepStanding ? [] : [own]), ...months.map((month) => `${own}.${month}`)].map(deleteDatabase))
  forgetChecks(store, { keepStanding })
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name)
    request.onsuccess = () => resolve()
    request.onerror = () => reject(request.error)
    // Another tab still has it open: it is deleted once that tab lets go.
    request.onblocked = () => resolve()
  })
}
