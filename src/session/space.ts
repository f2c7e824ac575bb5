import { createSignal, type Accessor } from 'solid-js'
import * as Y from 'yjs'
import { keptMonths, today } from '../domain/calendar'
import { spacesOf, type Membership, type SpaceKey, type SpaceKind } from '../domain/community'
import type { ProblemKey } from '../domain/validation'
import { docRoom, isDocNameNear, SpaceDocs, STANDING, type DocName } from '../store/space-docs'
import { idleStatus, loadActivity, type SpaceSyncStatus } from '../sync/activity'
import { databaseName, deleteSpaceData, homeOf, mergeIntoDoc, persistSpace, readStoredDoc, storedMonths, storeIntoDoc, storeOf, type SpaceStorage } from '../sync/persistence'
import type { PeerInfo } from '../sync/replication'
import type { SpaceShelf } from '../sync/shelf'
import type { SpaceSync } from '../sync/transport'
import { copyChecks, replacesSigned } from '../trust/signatures'

// One space of a community on this device (public or staff): its docs (a standing doc
// and one per month, see store/space-docs.ts), each with its storage, and its one
// peer-to-peer room, which carries all of them.


export interface OpenSpace {
  kind: SpaceKind
  key: SpaceKey
  /** Where its docs are stored on this device (`storeOf`: community, space and room). */
  store: string
  docs: SpaceDocs
  /** Each open doc's storage, by doc name (STANDING or a month). */
  storage: Map<DocName, SpaceStorage>
  /** The space's one peer-to-peer room, carrying all its docs; null until the transport has loaded. */
  sync: SpaceSync | null
  /** What this device holds of the space, for replication (with the transport). */
  shelf: SpaceShelf | null
  /** Why sync could not start (e.g. no WebCrypto over plain http), if it could not. */
  syncProblem: ProblemKey | null
  status: Accessor<SpaceSyncStatus>
  /** Resolves once the docs open now have loaded what this device stored. */
  loaded(): Promise<void>
  closed: boolean
}

export type Transport = typeof import('../sync/connect')

/** Where a file's docs come from: the open doc if there is one, else its database. */
export async function spaceDocs(space: OpenSpace): Promise<Map<DocName, Uint8Array>> {
  const names = new Set([STANDING, ...space.docs.opened.keys(), ...(await storedMonths(space.store))])
  const docs = new Map<DocName, Uint8Array>()
  for (const name of [...names].sort()) {
    const open = space.docs.get(name)
    docs.set(name, open ? Y.encodeStateAsUpdate(open) : await readStoredDoc(docRoom(space.store, name)))
  }
  return docs
}

const FROM_FILE = 'file'

/** Each doc wherever it is (mergeIntoDoc): open ones show it at once and tell peers; stored ones are told to the shelf. */
export async function mergeIntoSpace(space: OpenSpace, docs: Map<DocName, Uint8Array>): Promise<number> {
  let changed = 0
  const home = homeOf(space.docs, space.storage, space.store)
  for (const [name, update] of docs) {
    // A file that replaces a signed record goes through the open doc, where the gate sees it (replacesSigned).
    const declines = space.docs.gate ? (doc: Y.Doc) => replacesSigned(doc, update) : undefined
    const merged = await mergeIntoDoc(home, name, update, FROM_FILE, declines && { declines })
    if (merged.changed) changed++
    if (!merged.open) space.shelf?.written(name)
  }
  return changed
}

export interface SpacePlan {
  community: string
  signaling: string[]
  transport: Promise<Transport>
  self: PeerInfo
  /** This device is the community's hub: it keeps every doc and passes on what it receives. */
  hub: boolean
}

/** `left`: a public room left for a new one, whose standing doc is only offered, as it was (nothing is taken in). */
export function openSpace(kind: SpaceKind, key: SpaceKey, { community, signaling, transport, self, hub }: SpacePlan, { left = false } = {}): OpenSpace {
  const store = storeOf(community, kind, key.room)
  const docs = new SpaceDocs()
  const storage = new Map<DocName, SpaceStorage>()
  const [status, setStatus] = createSignal<SpaceSyncStatus>(idleStatus(loadActivity(key.room)))
  // y-webrtc encrypts with WebCrypto, which browsers offer only to https and localhost.
  const noCrypto = typeof crypto === 'undefined' || !crypto.subtle
  const space: OpenSpace = {
    kind,
    key,
    store,
    docs,
    storage,
    sync: null,
    shelf: null,
    syncProblem: noCrypto ? 'problem.noCrypto' : null,
    status,
    loaded: () => Promise.all([...storage.values()].map((part) => part.whenLoaded)).then(() => undefined),
    closed: false,
  }
  docs.fromStorage = (origin) => [...storage.values()].some((stored) => stored.isFromStorage(origin))
  docs.onOpen((name, ydoc) => {
    const stored = persistSpace(ydoc, docRoom(store, name))
    storage.set(name, stored)
    // A month opened on a screen later asks peers for what they hold of it.
    void stored.whenLoaded.then(() => space.sync?.replicator.fetch(name))
  })
  if (noCrypto) return space
  // Every device keeps last month to six months ahead, and whatever a screen opened; a hub keeps all.
  const kept = new Set(keptMonths(today()))
  const keeps = (name: DocName) => (left ? name === STANDING : hub || name === STANDING || kept.has(name) || docs.opened.has(name))
  // Peers are met once what this device holds of the standing doc is loaded.
  void Promise.all([storage.get(STANDING)!.whenLoaded, transport]).then(async ([, { connectSpace, makeSpaceShelf, sendOnly }]) => {
    if (space.closed) return
    const shelf = await makeSpaceShelf({ store, standing: STANDING, docs: homeOf(docs, storage, store), keeps, gated: !hub })
    if (space.closed) return shelf.close()
    space.shelf = shelf
    const sync = connectSpace({ room: key.room, secret: key.secret, signaling, shelf: left ? sendOnly(shelf) : shelf, self, relay: hub && !left, isDocName: (name) => isDocNameNear(name) })
    space.sync = sync
    sync.onChange(() => setStatus(sync.status()))
    setStatus(sync.status())
  })
  return space
}

export async function closeSpace(space: OpenSpace): Promise<void> {
  space.closed = true
  await space.sync?.destroy()
  await space.shelf?.close()
  await Promise.all([...space.storage.values()].map((part) => part.destroy()))
  space.docs.destroy()
}


/**
 * Moves each space's docs from databases named by room alone (as builds before
 * `storeOf` kept them) into its store, once per device. A room two communities on this
 * device both name is not moved: whose data it was cannot be told, and an invite that
 * named another community's room must get nothing of it.
 */
export async function moveRoomStores(memberships: readonly Membership[]): Promise<void> {
  const named = memberships.flatMap((membership) => spacesOf(membership).map(([space, key]) => ({ id: membership.id, space, room: key.room })))
  const stored = new Set(((await indexedDB.databases?.()) ?? []).map((db) => db.name))
  for (const { id, space, room } of named) {
    if (named.filter((other) => other.room === room).length > 1) continue
    if (!stored.has(databaseName(room)) && (await storedMonths(room)).length === 0) continue
    await copySpaceData(room, storeOf(id, space, room))
    await deleteSpaceData(room)
  }
}

/** Copies every stored doc of a space into another store (a space made anew takes the old one's data, and what was checked of it). */
export async function copySpaceData(from: string, to: string): Promise<void> {
  for (const name of [STANDING, ...(await storedMonths(from))]) {
    await storeIntoDoc(docRoom(to, name), await readStoredDoc(docRoom(from, name)))
    copyChecks(docRoom(from, name), docRoom(to, name))
  }
}
