import 'fake-indexeddb/auto'
import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { SpaceDocs, STANDING } from '../../src/store/space-docs'
import { readTrust } from '../../src/store/trust'
import { MemoryShelf, PeerOrigin, sendOnly } from '../../src/sync/replication'
import { trustCommunity, trustPhone } from './trust-phone'

// Red team: a removed resident stranded every phone that was away when he was removed.
// Removing him renews the public space; the old room's standing doc stays offered for
// 60 days (phones: formerPublic; the hub: serveFormer) so a phone that was away finds
// the rotation there. He still holds that old room's secret, and the old doc took in
// whatever came: he deleted the revocation and the rotation there (a plain
// Y.Map.delete), every honest copy took the delete, and a phone that came back never
// learned it was renewed. Now a room left behind is only offered (sendOnly).

const stateOf = (docs: SpaceDocs) => Y.encodeStateAsUpdate(docs.open(STANDING))

describe('red team: the removed resident empties the old public room', () => {
  it('takes nothing in: a phone that was away still learns of the removal and the new room', async () => {
    const { id, founder, resident, other, phone } = await trustCommunity()
    // The neighbour's phone ("other") had everything up to now, then went away.
    const away = trustPhone(other, founder, id, { person: 'zhang' })
    Y.applyUpdate(away.docs.open(STANDING), stateOf(phone.docs))
    await away.settled()
    expect(away.roles().get(resident.publicKey)).toBe('resident')

    expect(await phone.trust.remove(resident.publicKey)).toBe(true)
    await phone.settled()
    expect(phone.publicKeyCalls).toHaveLength(1)

    // What honest phones and the hub keep of the old room: its standing doc, offered send-only.
    const kept = new MemoryShelf((name) => name === STANDING)
    Y.applyUpdate(kept.open(STANDING), stateOf(phone.docs))
    const former = sendOnly(kept)
    // The removed resident, still in the old room, deletes the revocation and the rotation there.
    const ended = readTrust(phone.docs).filter((t) => (t.record.type === 'revoke' && t.record.key === resident.publicKey) || (t.record.type === 'rotation' && t.record.space === 'public'))
    expect(ended).toHaveLength(2)
    const his = new Y.Doc()
    Y.applyUpdate(his, Y.encodeStateAsUpdate(kept.open(STANDING)))
    const sv = Y.encodeStateVector(his)
    his.transact(() => ended.forEach((t) => his.getMap('trust').delete(t.id)))
    await former.apply(STANDING, Y.encodeStateAsUpdate(his, sv), new PeerOrigin('his'))
    expect(kept.open(STANDING).getMap('trust').size).toBe(phone.docs.open(STANDING).getMap('trust').size)
    expect(former.keeps('2026-12')).toBe(false)

    // The away phone comes back and meets the old room (the only one it knows).
    Y.applyUpdate(away.docs.open(STANDING), await former.diff(STANDING, Y.encodeStateVector(away.docs.open(STANDING))))
    await away.settled()
    expect({ role: away.roles().get(resident.publicKey) ?? null, newRooms: away.publicKeyCalls.length }).toEqual({ role: null, newRooms: 1 })
  })
})
