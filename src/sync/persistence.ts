import * as Y from 'yjs'
import { IndexeddbPersistence } from 'y-indexeddb'

// Each doc of a space (standing, and each month) lives in its own IndexedDB
// database, named by its room. Writes go to the Y.Doc first and y-indexeddb stores
// them; nothing waits for the network.

export interface SpaceStorage {
  readonly whenLoaded: Promise<void>
  isFromStorage(origin: unknown): boolean
  destroy(): Promise<void>
}

export const databaseName = (room: string) => `neighbours-${room}`

export function persistSpace(doc: Y.Doc, room: string): SpaceStorage {
  const persistence = new IndexeddbPersistence(databaseName(room), doc)
  // y-indexeddb listens for updates from the start, so Yjs encodes the whole stored
  // state into one update nobody needs (it skips its own). Listen once it has loaded:
  // writes made before then are kept, as y-indexeddb stores the doc's state just
  // before it applies what was stored.
  const storeUpdate = (persistence as unknown as { _storeUpdate: (update: Uint8Array, origin: unknown) => void })._storeUpdate
  doc.off('update', storeUpdate)
  persistence.once('synced', () => doc.on('update', storeUpdate))
  return {
    whenLoaded: persistence.whenSynced.then(() => undefined),
    isFromStorage: (origin) => origin === persistence,
    destroy: () => persistence.destroy(),
  }
}

/** Removes a space's stored data from this device (leaving a community): its room's database and its months'. */
export async function deleteSpaceData(room: string): Promise<void> {
  const own = databaseName(room)
  const stored = (await indexedDB.databases?.()) ?? []
  const names = new Set([own, ...stored.flatMap((db) => (db.name?.startsWith(`${own}.`) ? [db.name] : []))])
  await Promise.all([...names].map(deleteDatabase))
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
