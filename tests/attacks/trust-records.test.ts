import 'fake-indexeddb/auto'
import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import type { SignedTrust } from '../../src/domain/trust'
import { makeKeys } from '../../src/trust/keys'
import { acceptInvitation, signTrust } from '../../src/trust/grants'
import { trustCommunity, trustPhone } from './trust-phone'
import { putTrust, readTrust } from '../../src/store/trust'
import { SpaceDocs, STANDING } from '../../src/store/space-docs'

// Holes: trust records were unprotected. A verdict was kept by the record's id, which
// the writer chooses, so a resident could store a founder grant under the id of his
// own checked record; and a peer's Y.Map.delete of a grant or a revocation was final,
// in the doc and so on disk. Now a verdict is kept by what was verified, and every
// record that checked out is kept apart from the doc and written back if lost.

/** What a modified app does: writes straight into the doc through a Y.Doc of its own, sent as any update. */
function rawWrite(docs: SpaceDocs, write: (trust: Y.Map<unknown>) => void) {
  const target = docs.open(STANDING)
  const attacker = new Y.Doc()
  Y.applyUpdate(attacker, Y.encodeStateAsUpdate(target))
  write(attacker.getMap('trust'))
  Y.applyUpdate(target, Y.encodeStateAsUpdate(attacker, Y.encodeStateVector(target)))
}

describe('a resident attacks the trust records', () => {
  it('a founder grant stored under the id of his own checked record counts for nothing, and his record is written back', async () => {
    const { id, founder, staff, resident, phone, roles } = await trustCommunity()
    const own = readTrust(phone.docs).find((t) => t.record.type === 'device' && t.record.by === resident.publicKey)!
    // His checked device record's id, now holding "the founder makes him founder", with his
    // record's signature (so even the id still matches the signature's first characters).
    const forged: SignedTrust = { id: own.id, sig: own.sig, record: { type: 'grant', community: id, by: founder.publicKey, seq: 9_999, stamp: phone.clock.tick(), key: resident.publicKey, role: 'founder' } }
    rawWrite(phone.docs, (trust) => trust.set(own.id, forged))
    // Then he removes the staff phone, signed with his own key: a founder could.
    putTrust(phone.docs, await signTrust(resident, { type: 'revoke', community: id, stamp: phone.clock.tick(), key: staff.publicKey, lastSeq: 100 }))
    await phone.settled()

    expect(roles().get(resident.publicKey)).toBe('resident')
    expect(roles().get(staff.publicKey)).toBe('staff')
    const state = phone.trust.state()
    expect(state.checked && state.verdict.mustRotate).toBe(false)
    expect(state.checked && state.verdict.refused.map((r) => r.why)).toContain('mayNotGrant')
    // The doc holds his real device record again.
    expect(readTrust(phone.docs).find((t) => t.id === own.id)).toEqual(own)
  })

  it('a grant or a revocation deleted from the doc still counts, is written back, and still counts after a restart', async () => {
    const { id, founder, staff, other, phone, roles } = await trustCommunity()
    expect(await phone.trust.remove(other.publicKey)).toBe(true)
    await phone.settled()
    expect(roles().has(other.publicKey)).toBe(false)
    const revocation = readTrust(phone.docs).find((t) => t.record.type === 'revoke')!
    const staffGrant = readTrust(phone.docs).find((t) => t.record.type === 'grant' && t.record.key === staff.publicKey)!

    // The removed resident's modified app deletes both, and the deletion is stored.
    rawWrite(phone.docs, (trust) => {
      trust.delete(revocation.id)
      trust.delete(staffGrant.id)
    })
    const wiped = Y.encodeStateAsUpdate(phone.docs.open(STANDING))
    await phone.settled()
    expect(roles().has(other.publicKey)).toBe(false)
    expect(roles().get(staff.publicKey)).toBe('staff')
    const ids = readTrust(phone.docs).map((t) => t.id)
    expect(ids).toContain(revocation.id)
    expect(ids).toContain(staffGrant.id)

    // The founder phone restarts from a doc that holds the deletion (stored as it came).
    phone.trust.close()
    const docs = new SpaceDocs()
    Y.applyUpdate(docs.open(STANDING), wiped)
    expect(readTrust(docs).map((t) => t.id)).not.toContain(revocation.id)
    const again = trustPhone(founder, founder, id, { docs, kept: phone.kept })
    await again.settled()
    const state = again.trust.state()
    expect(state.checked && state.verdict.roles.has(other.publicKey)).toBe(false)
    expect(state.checked && state.verdict.roles.get(staff.publicKey)).toBe('staff')
    expect(readTrust(docs).map((t) => t.id)).toEqual(expect.arrayContaining([revocation.id, staffGrant.id]))
    again.trust.close()
  })

  it('a withdrawn link admits nobody more, not even with an acceptance backdated to before the withdrawal; who joined stays', async () => {
    const { id, phone, roles } = await trustCommunity()
    const link = await phone.trust.invite('resident', 'many')
    const state = () => phone.trust.state()
    const open = () => { const s = state(); return s.checked ? s.verdict.openInvitations.map((i) => i.key) : [] }
    const invitationKey = link!.record!.record.type === 'invitation' ? link!.record!.record.invitation : ''
    await phone.settled()
    expect(open()).toContain(invitationKey)
    const [early, late] = await Promise.all([makeKeys(), makeKeys()])
    const acceptedAt = phone.clock.tick()
    putTrust(phone.docs, (await acceptInvitation(link!.secret, { community: id, key: early.publicKey, stamp: acceptedAt, inviter: link!.record!.record.by }))!)
    await phone.settled()
    expect(roles().get(early.publicKey)).toBe('resident')

    expect(await phone.trust.withdraw(invitationKey)).toBe(true)
    await phone.settled()
    expect(open()).not.toContain(invitationKey)
    // The link's holder signs an acceptance dated just after the early one, before the withdrawal.
    putTrust(phone.docs, (await acceptInvitation(link!.secret, { community: id, key: late.publicKey, stamp: acceptedAt.replace(/-(\w{5})-/, '-00001-'), inviter: link!.record!.record.by }))!)
    await phone.settled()
    expect(roles().get(late.publicKey)).toBeUndefined()
    expect(roles().get(early.publicKey)).toBe('resident')
  })
})
