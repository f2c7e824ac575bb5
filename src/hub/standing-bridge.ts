import * as Y from 'yjs'
import { SpaceDocs, STANDING } from '../store/space-docs'
import type { MemoryShelf } from '../sync/replication'

// The app's trust code (trust/grants.ts) reads and writes trust records through a
// SpaceDocs; the hub holds its docs on a shelf of its own. This gives it a SpaceDocs
// whose standing doc mirrors the public shelf's, both ways: what peers send reaches the
// trust check, and what the hub signs (its acceptance, its device record) reaches the
// shelf, its disk and every peer. Only the standing doc: trust records live there.

/** The origin of what one side copies into the other, so it is not copied back. */
const MIRRORED = Symbol('mirrored')

export interface StandingBridge {
  readonly docs: SpaceDocs
  /** Mirrors another shelf's standing doc from now on (the public space was made anew). */
  attach(shelf: MemoryShelf): void
  close(): void
}

export function bridgeStanding(shelf: MemoryShelf): StandingBridge {
  const docs = new SpaceDocs()
  const mine = docs.get(STANDING)!
  let detach = () => {}
  const attach = (next: MemoryShelf) => {
    detach()
    const theirs = next.open(STANDING)
    Y.applyUpdate(mine, Y.encodeStateAsUpdate(theirs, Y.encodeStateVector(mine)), MIRRORED)
    Y.applyUpdate(theirs, Y.encodeStateAsUpdate(mine, Y.encodeStateVector(theirs)), MIRRORED)
    const toMine = (update: Uint8Array, origin: unknown) => origin !== MIRRORED && Y.applyUpdate(mine, update, MIRRORED)
    const toTheirs = (update: Uint8Array, origin: unknown) => origin !== MIRRORED && Y.applyUpdate(theirs, update, MIRRORED)
    theirs.on('update', toMine)
    mine.on('update', toTheirs)
    detach = () => {
      theirs.off('update', toMine)
      mine.off('update', toTheirs)
    }
  }
  attach(shelf)
  return {
    docs,
    attach,
    close() {
      detach()
      docs.destroy()
    },
  }
}
