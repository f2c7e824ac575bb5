import * as Y from 'yjs'
import { stateOf, type DocName, type DocState, type PeerOrigin, type Shelf } from './replication'
import { mergeIntoDoc, recordedState, recordState, storedMonths, withStoredDoc, type DocHome } from './persistence'
import { replacesSigned } from '../trust/signatures'

// What a device holds of one space, for replication: the docs open on screen (in
// memory, stored by y-indexeddb as they change) and the months only stored (each in
// its own database). A stored month is read when a peer needs it and let go again,
// and what peers send for it is written straight to its database: a month received
// in the background never reaches a screen or stays in memory. Only each stored
// doc's state vector and digest are kept, to answer the next peer quickly.

type Listener = (name: DocName, update: Uint8Array, origin: unknown) => void

export interface SpaceShelf extends Shelf {
  /** A doc was written outside the shelf (a file was loaded): forget what was known of it. */
  written(name: DocName): void
  /** Notes each open doc's state in its database (the next session reads it instead of the doc), and stops. */
  close(): Promise<void>
}

export interface ShelfPlan {
  /** Where the space is stored (persistence.ts `storeOf`). */
  store: string
  standing: DocName
  docs: DocHome
  keeps: (name: DocName) => boolean
  /**
   * Whether a signature gate checks the open docs: then an update that replaces a
   * signed record in a doc only stored goes through the opened doc instead, where the
   * gate sees it (replacesSigned). A hub checks nothing, and stores every update.
   */
  gated: boolean
}

export async function makeSpaceShelf({ store, standing, docs, keeps, gated }: ShelfPlan): Promise<SpaceShelf> {
  const stored = new Set<DocName>([standing, ...(await storedMonths(store))])
  const states = new Map<DocName, DocState>()
  const listeners = new Set<Listener>()
  /** Work on a stored doc, one at a time per doc (a read must not overlap a write). */
  const chains = new Map<DocName, Promise<unknown>>()
  const inTurn = <T>(name: DocName, work: () => Promise<T>): Promise<T> => {
    const next = (chains.get(name) ?? Promise.resolve()).then(work, work)
    chains.set(name, next.catch(() => undefined))
    return next
  }
  /** A stored doc is let go after reading, so its digest is worked out while it is here. */
  const storedState = (doc: Y.Doc): DocState => {
    const { stateVector, digest } = stateOf(doc)
    return { stateVector, digest }
  }
  const emit: Listener = (name, update, origin) => listeners.forEach((l) => l(name, update, origin))

  const watched: [Y.Doc, (update: Uint8Array, origin: unknown) => void][] = []
  const stopOpen = docs.onOpen((name, doc) => {
    const onUpdate = (update: Uint8Array, origin: unknown) => {
      if (docs.isFromStorage(name, origin)) return
      stored.add(name)
      emit(name, update, origin)
    }
    doc.on('update', onUpdate)
    watched.push([doc, onUpdate])
  })

  const openLoaded = async (name: DocName): Promise<Y.Doc | undefined> => {
    const doc = docs.opened(name)
    if (doc) await docs.whenLoaded(name)
    return doc
  }
  const docStore = (name: DocName) => docs.database(name)

  return {
    names: () => [...new Set([...stored, ...docs.openNames()])],
    holds: (name) => stored.has(name) || docs.opened(name) !== undefined,
    keeps,
    shown: (name) => docs.opened(name) !== undefined,
    async state(name) {
      const open = await openLoaded(name)
      if (open) return stateOf(open)
      if (!stored.has(name)) return stateOf(new Y.Doc())
      const known = states.get(name)
      if (known) return known
      return inTurn(name, async () => {
        // Noted by an earlier session, and nothing stored since: no need to read the doc.
        const recorded = await recordedState(docStore(name))
        const state = recorded ?? (await withStoredDoc(docStore(name), storedState))
        states.set(name, state)
        if (!recorded) await recordState(docStore(name), state)
        return state
      })
    },
    async diff(name, stateVector) {
      const open = await openLoaded(name)
      if (open) return Y.encodeStateAsUpdate(open, stateVector)
      if (!stored.has(name)) return Y.encodeStateAsUpdate(new Y.Doc(), stateVector)
      return inTurn(name, () => withStoredDoc(docStore(name), (doc) => Y.encodeStateAsUpdate(doc, stateVector)))
    },
    async apply(name, update, origin: PeerOrigin) {
      // Resolves once written: only then may this device tell the sender it holds it.
      const noteState = async (doc: Y.Doc) => {
        const state = storedState(doc)
        states.set(name, state)
        await recordState(docStore(name), state)
      }
      const { changed, open } = await mergeIntoDoc(docs, name, update, origin, {
        inTurn: (work) => inTurn(name, work),
        afterwards: noteState,
        ...(gated ? { declines: (doc: Y.Doc) => replacesSigned(doc, update) } : {}),
      })
      if (changed) stored.add(name)
      // An open doc's listener (above) passed it on; a stored one's is passed on here.
      if (!open) emit(name, update, origin)
    },
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    written(name) {
      stored.add(name)
      states.delete(name)
    },
    async close() {
      stopOpen()
      watched.forEach(([doc, onUpdate]) => doc.off('update', onUpdate))
      listeners.clear()
      for (const name of [...docs.openNames()]) {
        const doc = docs.opened(name)!
        await docs.whenLoaded(name)
        await recordState(docStore(name), storedState(doc)).catch(() => undefined)
      }
    },
  }
}

