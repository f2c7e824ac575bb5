import 'fake-indexeddb/auto'
import * as Y from 'yjs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { forgetChecks, localMemory, makeCheckedItems } from '../../src/trust/gate/memory'

// The verdict cache keeps, per doc, the Yjs item ids whose signatures were checked. An
// item id names one content only while this device holds the doc: once a space's data
// is deleted (leaving a community, a space made anew), a peer could hand the same id
// with other content, and a cache still on disk would wave it through. Deleting the
// data forgets its checks.

class MemoryStorage {
  private items = new Map<string, string>()
  get length() {
    return this.items.size
  }
  key = (i: number) => [...this.items.keys()][i] ?? null
  getItem = (name: string) => this.items.get(name) ?? null
  setItem = (name: string, value: string) => void this.items.set(name, value)
  removeItem = (name: string) => void this.items.delete(name)
}

describe('checks kept for a doc whose data is gone', () => {
  beforeEach(() => void Object.assign(globalThis, { localStorage: new MemoryStorage() }))
  afterEach(() => void delete (globalThis as { localStorage?: unknown }).localStorage)

  it('are forgotten with it: the same item id, seen again, is not taken as checked', async () => {
    const doc = new Y.Doc()
    doc.getMap('notices').set('n1', { title: 'honest' })
    const item = (doc.getMap('notices') as unknown as { _map: Map<string, Y.Item> })._map.get('n1')!
    const room = (name: string) => (name === 'standing' ? 'room-a' : `room-a.${name}`)
    const before = makeCheckedItems(localMemory, room)
    before.note(doc, 'standing', item.id, true)
    before.remember()
    before.close() // saves now, as a phone closing does
    expect(makeCheckedItems(localMemory, room).known(doc, 'n1', item)).toBe(true)

    // The community's data goes from this phone; later a peer offers a doc whose item has that id.
    forgetChecks('room-a')
    const forged = new Y.Doc()
    forged.clientID = doc.clientID
    forged.getMap('notices').set('n1', { title: 'forged' })
    const forgedItem = (forged.getMap('notices') as unknown as { _map: Map<string, Y.Item> })._map.get('n1')!
    expect(forgedItem.id).toEqual(item.id)
    expect(makeCheckedItems(localMemory, room).known(forged, 'n1', forgedItem)).toBeUndefined()
  })

  it('of months only, when the standing doc is kept', () => {
    for (const name of ['checked.room-b', 'checked.room-b.2026-12', 'checked.room-bb', 'checked.room-c.2026-12']) localMemory.write(name, '{}')
    forgetChecks('room-b', { keepStanding: true })
    expect(['checked.room-b', 'checked.room-b.2026-12', 'checked.room-bb', 'checked.room-c.2026-12'].map((name) => localMemory.read(name) !== null)).toEqual([true, false, true, true])
  })
})
