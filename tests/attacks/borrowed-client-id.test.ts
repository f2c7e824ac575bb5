import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { STANDING } from '../../src/store/space-docs'
import { postNotice } from '../../src/store/notices'
import { community, meetAndSettle, notices, settle } from './peers'

// Hole: a staff phone signed any unsigned record that bore one of its own Yjs client
// ids. Client ids are public (every item carries one), so a resident could write a
// notice "as" the staff phone and have it signed and shown as staff's. Authorship now
// comes from the command path alone (trust/signatures.ts).

describe('a resident writes under the staff phone\'s client id', () => {
  it('the staff phone does not sign it, no phone shows it, and staff\'s own later writes are still signed and shown', async () => {
    const { staff, alice, bob, all } = await community()
    postNotice(staff.docs, staff.clock, staff.person, { title: '停水通知', body: '' })
    await meetAndSettle(all)

    // Bob's modified app: a Y.Doc that claims the staff doc's client id, holding an
    // unsigned notice in staff's name, sent to staff as any update is.
    // (Set after loading staff's state: Yjs renews a doc's client id when an update brings its own.)
    const forged = new Y.Doc()
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(staff.docs.open(STANDING)))
    forged.clientID = staff.docs.open(STANDING).clientID
    forged.getMap('notices').set('forged', { id: 'forged', title: '明天全体搬家', body: '', authorId: 'staff', authorName: '王主任', stamp: bob.clock.tick(), editedAt: bob.clock.tick() })
    Y.applyUpdate(staff.docs.open(STANDING), Y.encodeStateAsUpdate(forged, Y.encodeStateVector(staff.docs.open(STANDING))))
    await settle([staff])
    await staff.gate.ownSigned()

    const stored = staff.docs.open(STANDING).getMap<Record<string, unknown>>('notices').get('forged')
    expect(stored, 'the forged notice is still stored unsigned').toBeDefined()
    expect(stored!.sig).toBeUndefined()
    expect(staff.gate.refused()).toMatchObject([{ key: 'forged', why: 'unsigned' }])

    // Staff writes on; Yjs may have given the staff doc a new client id meanwhile.
    postNotice(staff.docs, staff.clock, staff.person, { title: '周五义诊', body: '' })
    await meetAndSettle(all)
    for (const d of all) expect(notices(d).sort(), d.name).toEqual(['周五义诊', '停水通知'].sort())
    expect(alice.gate.refused().map((r) => r.key)).toEqual(['forged'])
  })
})
