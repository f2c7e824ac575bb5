import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { makeInvitationKey } from '../../src/trust/keys'
import { acceptInvitation, signTrust } from '../../src/trust/grants'
import { putTrust } from '../../src/store/trust'
import { trustCommunity } from './trust-phone'

// Red team: a resident may grant (and so revoke) 'resident'. In verdictOf a grant or an
// acceptance GIVES its role to whatever key it names, so a resident's grant "key K is a
// resident" overwrites the founder's or a staff device's role with 'resident'; his
// revocation of K is then allowed too (a resident may revoke a resident). A staff device
// that sees itself revoked lets its staff space go (app-state deletes its databases).

describe('red team: a resident demotes the founder and staff', () => {
  it('a resident\'s grant "key X is a resident" does not demote the founder or a staff device', async () => {
    const { id, founder, staff, resident, phone, verdict } = await trustCommunity()
    // His modified app signs two ordinary grants with his own device key (a resident may grant 'resident').
    for (const target of [founder, staff]) putTrust(phone.docs, await signTrust(resident, { type: 'grant', community: id, stamp: phone.clock.tick(), key: target.publicKey, role: 'resident' }))
    await phone.settled()
    expect(verdict().roles.get(founder.publicKey)).toBe('founder')
    expect(verdict().roles.get(staff.publicKey)).toBe('staff')
  })

  it('an acceptance of the resident\'s own invitation naming the staff key does not demote it', async () => {
    const { id, staff, resident, phone, verdict } = await trustCommunity()
    // He makes an invitation of his own (a resident may pass on resident invites) and "accepts" it for the staff device.
    const invitation = await makeInvitationKey()
    putTrust(phone.docs, await signTrust(resident, { type: 'invitation', community: id, stamp: phone.clock.tick(), invitation: invitation.publicKey, role: 'resident', uses: 'many' }))
    putTrust(phone.docs, (await acceptInvitation(invitation.secret, { community: id, key: staff.publicKey, stamp: phone.clock.tick() }))!)
    await phone.settled()
    expect(verdict().roles.get(staff.publicKey)).toBe('staff')
  })

  it('demoted then revoked: the founder stays founder, nobody is removed, and the founder phone keeps its staff space', async () => {
    const { id, founder, staff, resident, phone, verdict } = await trustCommunity()
    for (const target of [founder, staff]) {
      putTrust(phone.docs, await signTrust(resident, { type: 'grant', community: id, stamp: phone.clock.tick(), key: target.publicKey, role: 'resident' }))
      putTrust(phone.docs, await signTrust(resident, { type: 'revoke', community: id, stamp: phone.clock.tick(), key: target.publicKey, lastSeq: 1_000_000 }))
    }
    await phone.settled()
    expect(verdict().roles.get(founder.publicKey)).toBe('founder')
    expect(verdict().roles.get(staff.publicKey)).toBe('staff')
    expect([...verdict().revoked.keys()]).toEqual([])
    // (With the hole: verdict.revoked holds the founder, and actOn calls onStaffKey(null): the app deletes the staff space's databases.)
    expect(phone.staffKeyCalls).not.toContain(null)
    // Staff-only records (notices, menus, shifts) of the founder would no longer count: the authority still says founder.
    expect(verdict().authority.roles.get(founder.publicKey)).toBe('founder')
  })
})
