import 'fake-indexeddb/auto'
import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { SpaceDocs, STANDING } from '../../src/store/space-docs'
import { homeOf, mergeIntoDoc, persistSpace, readStoredDoc, storeIntoDoc, type SpaceStorage } from '../../src/sync/persistence'
import { docRoom } from '../../src/store/space-docs'

// What peers and files bring for a month goes in by one path, whether the month is
// open on a screen, being opened at that moment, or only stored.

const MONTH = '2027-02'
let rooms = 0

/** A space's docs stored as the session stores them, in a room of its own. */
function space() {
  const store = `merge-${++rooms}`
  const docs = new SpaceDocs()
  const storage = new Map<string, SpaceStorage>()
  docs.onOpen((name, doc) => storage.set(name, persistSpace(doc, docRoom(store, name))))
  return { store, docs, storage, home: homeOf(docs, storage, store) }
}

/** An update holding one shift, as a peer would send it. */
function shiftUpdate(id: string, title: string): Uint8Array {
  const doc = new Y.Doc()
  doc.getMap('shifts').set(`${MONTH}-10_${id}`, { id, title })
  return Y.encodeStateAsUpdate(doc)
}

const titles = (doc: Y.Doc) => [...doc.getMap<{ title: string }>('shifts').values()].map((shift) => shift.title).sort()

describe('mergeIntoDoc', () => {
  it('a month only stored takes the update into its database, and no doc opens', async () => {
    const { docs, home, store } = space()
    const update = shiftUpdate('a', '重阳节助老')
    const merged = await mergeIntoDoc(home, MONTH, update, 'peer')
    expect(merged).toEqual({ changed: true, open: false })
    expect(docs.get(MONTH)).toBeUndefined()
    const stored = new Y.Doc()
    Y.applyUpdate(stored, await readStoredDoc(docRoom(store, MONTH)))
    expect(titles(stored)).toEqual(['重阳节助老'])
    expect(await mergeIntoDoc(home, MONTH, update, 'peer')).toEqual({ changed: false, open: false })
  })

  it('a month opened while the update is being stored shows it, at every moment of the write', async () => {
    // The screen opens the month 0 to 8 turns of the event loop after the update starts in.
    for (let turns = 0; turns <= 8; turns++) {
      const { docs, home, storage } = space()
      await storage.get(STANDING)!.whenLoaded
      await storeIntoDoc(home.database(MONTH), shiftUpdate('old', '旧的班次'))
      const arriving = mergeIntoDoc(home, MONTH, shiftUpdate(`new${turns}`, '新的班次'), 'peer')
      for (let i = 0; i < turns; i++) await new Promise((resolve) => setTimeout(resolve, 0))
      const doc = docs.open(MONTH)
      await arriving
      await storage.get(MONTH)!.whenLoaded
      expect({ turns, shown: titles(doc) }).toEqual({ turns, shown: ['新的班次', '旧的班次'] })
    }
  })

  it('an open month takes it at once, and it is on disk when the merge resolves', async () => {
    const { docs, home, store, storage } = space()
    const doc = docs.open(MONTH)
    const merged = await mergeIntoDoc(home, MONTH, shiftUpdate('a', '端午包粽子'), 'file')
    expect(merged).toEqual({ changed: true, open: true })
    expect(titles(doc)).toEqual(['端午包粽子'])
    await storage.get(MONTH)!.destroy()
    const stored = new Y.Doc()
    Y.applyUpdate(stored, await readStoredDoc(docRoom(store, MONTH)))
    expect(titles(stored)).toEqual(['端午包粽子'])
  })

  it('an update the gate must see goes through the opened month', async () => {
    const { docs, home } = space()
    const merged = await mergeIntoDoc(home, MONTH, shiftUpdate('a', '改过的班次'), 'peer', { declines: () => true })
    expect(merged).toEqual({ changed: true, open: true })
    expect(titles(docs.get(MONTH)!)).toEqual(['改过的班次'])
  })
})
