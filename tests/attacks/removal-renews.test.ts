import 'fake-indexeddb/auto'
import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { STANDING, type SpaceDocs } from '../../src/store/space-docs'
import { putTrust } from '../../src/store/trust'
import { signTrust } from '../../src/trust/grants'
import { seal } from '../../src/trust/keys'
import { trustCommunity, trustPhone } from './trust-phone'

// Hole 5: removal did not remove. The public space's room and secret never changed, so
// a removed resident went on reading every new notice, menu and sign-up. Removing any
// device now makes the public space anew, its key sealed to every device that stays;
// the removed one has nothing to open and is left in a room nobody writes to.

const handOver = (from: SpaceDocs, to: SpaceDocs) => Y.applyUpdate(to.open(STANDING), Y.encodeStateAsUpdate(from.open(STANDING)))

describe('a removed resident keeps the public space', () => {
  it('no more: every device that stays gets the new space, the removed one nothing', async () => {
    const { id, founder, staff, resident, other, phone, verdict } = await trustCommunity()
    expect(await phone.trust.remove(resident.publicKey)).toBe(true)
    await phone.settled()

    const renewed = verdict().publicSpace.rotation
    expect(renewed?.space).toBe('public')
    expect(new Set(renewed!.boxes.map((box) => box.to))).toEqual(new Set([founder.publicKey, staff.publicKey, other.publicKey]))
    expect(verdict().mustRenewPublic).toBe(false)
    // A resident held no staff space: that one stays as it was.
    expect(verdict().staffSpace.rotation).toBeNull()

    // Each phone, handed the trust records, opens its own box: the same new room, not the old one.
    const phones = [staff, other, resident].map((keys) => trustPhone(keys, founder, id, { person: keys === resident ? 'li' : 'x' }))
    for (const p of phones) {
      handOver(phone.docs, p.docs)
      await p.settled()
    }
    const [staffPhone, otherPhone, removedPhone] = phones
    expect(phone.publicKeyCalls).toHaveLength(1)
    expect(staffPhone!.publicKeyCalls).toEqual(phone.publicKeyCalls)
    expect(otherPhone!.publicKeyCalls).toEqual(phone.publicKeyCalls)
    expect(phone.publicKeyCalls[0]!.room).not.toBe('public-room-1')
    expect(removedPhone!.publicKeyCalls).toEqual([])
  })

  it('no more by a renewal of his own: a resident may not make the public space anew', async () => {
    const { id, resident, phone, verdict } = await trustCommunity()
    const before = verdict().publicSpace.rotation
    // His modified app seals a "new public space" of his choosing to himself alone.
    const bytes = new TextEncoder().encode(JSON.stringify({ room: 'his-own-room-1', secret: 'his-own-secret-0123456789' }))
    putTrust(phone.docs, await signTrust(resident, { type: 'rotation', community: id, stamp: phone.clock.tick(), space: 'public', boxes: [{ to: resident.publicKey, ...(await seal(resident.agreementKey, bytes)) }] }))
    await phone.settled()
    expect(verdict().publicSpace.rotation).toBe(before)
    expect(verdict().refused.some(({ record, why }) => record.type === 'rotation' && why === 'mayNotGrant')).toBe(true)
    expect(phone.publicKeyCalls).toEqual([])
  })

  it('a withdrawn link opens nothing new: the space is made anew and older links are no longer listed', async () => {
    const { phone, verdict } = await trustCommunity()
    const poster = await phone.trust.invite('resident', 'many')
    const other = await phone.trust.invite('resident', 'once')
    await phone.settled()
    const posterKey = poster!.record!.record.type === 'invitation' ? poster!.record!.record.invitation : ''
    expect(verdict().openInvitations.map((i) => i.key)).toContain(posterKey)
    expect(verdict().publicSpace.holders.has(posterKey)).toBe(true)

    expect(await phone.trust.withdraw(posterKey)).toBe(true)
    await phone.settled()
    expect(verdict().publicSpace.rotation?.space).toBe('public')
    expect(verdict().publicSpace.holders.has(posterKey)).toBe(false)
    expect(verdict().mustRenewPublic).toBe(false)
    // The other link carries the old space's key: it is no longer offered as open.
    const otherKey = other!.record!.record.type === 'invitation' ? other!.record!.record.invitation : ''
    expect(verdict().openInvitations.map((i) => i.key)).not.toContain(otherKey)
    // A link made now carries the new space and is listed.
    const fresh = await phone.trust.invite('resident', 'many')
    await phone.settled()
    expect(verdict().openInvitations.map((i) => i.key)).toContain(fresh!.record!.record.type === 'invitation' ? fresh!.record!.record.invitation : '')
  })
})
