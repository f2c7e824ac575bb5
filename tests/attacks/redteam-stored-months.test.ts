import 'fake-indexeddb/auto'
import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { editShift, findShift, publishShift } from '../../src/store/shifts'
import { docRoom, SpaceDocs, STANDING } from '../../src/store/space-docs'
import { publicSpace } from '../../src/store/layout'
import { makeSignedRecords } from '../../src/trust/signatures'
import { homeOf, persistSpace, type SpaceStorage } from '../../src/sync/persistence'
import { makeSpaceShelf } from '../../src/sync/shelf'
import { PeerOrigin } from '../../src/sync/replication'
import { community, memoryOf, TODAY, type Device } from './peers'

// Red team: a month a device keeps but does not show (last month; two to six months
// ahead; every month on a hub) is written straight into its database by the shelf
// (sync/shelf.ts `apply` → storeIntoDoc): no gate sees it, so nothing keeps the last
// valid version. A resident's raw delete (or a replay of an older signed version) of a
// staff record in such a month is stored as is on every phone; when the month is
// opened later the gate has no kept version and the record is gone (or rolled back)
// for good. (DESIGN: "the last valid version … is kept durably, in every doc the
// device holds, across restarts"; REACH-AND-TRUST: "for months only stored".)

const JANUARY = '2027-01'
const draft = { title: '元旦帮厨', category: 'canteen' as const, place: '食堂', date: '2027-01-02', start: '10:00', end: '12:00', places: 3, notes: '', skill: '' }

/** Alice's phone as session/space.ts builds a space: a gate, y-indexeddb per open doc, and the shelf for months only stored. */
async function phone(d: Device, room: string, authority: Parameters<Device['gate']['setAuthority']>[0]) {
  const docs = new SpaceDocs()
  publicSpace(docs) // every collection of the space, as the session's live collections make them
  const gate = makeSignedRecords({ docs, store: room, community: 'c1', space: 'public', keys: Promise.resolve(d.keys), memory: memoryOf(new Map()) })
  docs.gate = gate
  gate.setAuthority(authority)
  const storage = new Map<string, SpaceStorage>()
  docs.onOpen((name, ydoc) => storage.set(name, persistSpace(ydoc, docRoom(room, name))))
  await storage.get(STANDING)!.whenLoaded
  const shelf = await makeSpaceShelf({ store: room, standing: STANDING, docs: homeOf(docs, storage, room), keeps: () => true, gated: true })
  /** A screen opens the month (a week into January), and reads it once checked. */
  const show = async (month: string) => {
    docs.open(month)
    await storage.get(month)!.whenLoaded
    publicShifts(docs)
    await gate.settled()
  }
  return { docs, gate, shelf, show }
}
const publicShifts = (docs: SpaceDocs) => [...docs.getMap('shifts').keys()].map((key) => docs.getMap('shifts').get(key))

/** Bob's modified app: a Y.Doc holding what he received, changed by hand, sent as an ordinary update. */
function rawChange(from: Y.Doc, change: (shifts: Y.Map<unknown>) => void): Uint8Array {
  const attacker = new Y.Doc()
  Y.applyUpdate(attacker, Y.encodeStateAsUpdate(from))
  const before = Y.encodeStateVector(attacker)
  change(attacker.getMap('shifts'))
  return Y.encodeStateAsUpdate(attacker, before)
}

describe('red team: a month kept but not shown', () => {
  it('a staff shift deleted by a resident while the month is only stored is still there when the month is opened', async () => {
    const { staff, alice, authority } = await community()
    const shift = publishShift(staff.docs, staff.clock, staff.person, draft, TODAY)
    expect(shift.ok).toBe(true)
    const id = shift.ok ? shift.value.id : ''
    await staff.gate.ownSigned()
    const staffJanuary = staff.docs.open(JANUARY)

    const a = await phone(alice, 'room-del', authority)
    await a.shelf.apply(JANUARY, Y.encodeStateAsUpdate(staffJanuary), new PeerOrigin('staff'))
    // Bob deletes the shift: a bare Y.Map.delete, carried to Alice's phone like any update.
    await a.shelf.apply(JANUARY, rawChange(staffJanuary, (shifts) => shifts.delete(id)), new PeerOrigin('bob'))

    await a.show(JANUARY)
    expect(findShift(a.docs, id)?.title).toBe('元旦帮厨')
  })

  it('an older signed version replayed by a resident while the month is only stored does not replace the newer one', async () => {
    const { staff, alice, authority } = await community()
    const shift = publishShift(staff.docs, staff.clock, staff.person, draft, TODAY)
    const id = shift.ok ? shift.value.id : ''
    await staff.gate.ownSigned()
    const staffJanuary = staff.docs.open(JANUARY)
    const first = structuredClone(staffJanuary.getMap('shifts').get(id)) as Record<string, unknown>
    expect(first.sig).toBeDefined()
    // Staff moves the shift to 10 places; Alice's phone stores January (not shown).
    expect(editShift(staff.docs, staff.clock, id, { ...draft, places: 10, title: '元旦帮厨（扩招）' }, TODAY).ok).toBe(true)
    await staff.gate.ownSigned()

    const a = await phone(alice, 'room-replay', authority)
    await a.shelf.apply(JANUARY, Y.encodeStateAsUpdate(staffJanuary), new PeerOrigin('staff'))
    // Bob kept the first version, signature and all, and writes it back under the same key.
    await a.shelf.apply(JANUARY, rawChange(staffJanuary, (shifts) => shifts.set(id, first)), new PeerOrigin('bob'))

    await a.show(JANUARY)
    expect(findShift(a.docs, id)?.title).toBe('元旦帮厨（扩招）')
    expect(findShift(a.docs, id)?.places).toBe(10)
  })
})
