import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { formatStamp } from '../../src/domain/hlc'
import { putTrust } from '../../src/store/trust'
import { signTrust } from '../../src/trust/grants'
import { readTrust } from '../../src/store/trust'
import { trustCommunity, trustPhone } from './trust-phone'

// Red team: a resident made the public space be made anew every 30 seconds, for ever.
// A resident may sign invitations (role resident), and every invitation's key is added
// to the public space's holders. He names a key staff have revoked (a removed device's,
// or a withdrawn link's: both are public in the trust records) as his "invitation key"
// and dates the record in 2099, so it replays after every renewal staff ever make:
// mustRenewPublic never clears, and the first staff device renews again and again.
// Every renewal makes every phone (and the hub) copy the whole public space to a new
// room; after FORMER_KEPT (4) of them a phone that was away two minutes knows no room
// anyone still offers.


describe('red team: an invitation naming a revoked key, dated 2099', () => {
  it('does not keep the public space being made anew', async () => {
    const { id, founder, staff, other, resident, phone, verdict } = await trustCommunity()
    // The staff phone too (whichever staff key sorts first renews late), on the same docs as if always in sync.
    const staffPhone = trustPhone(staff, founder, id, { docs: phone.docs, person: 'staff' })
    await staffPhone.settled()
    const renewals = () => readTrust(phone.docs).filter((t) => t.record.type === 'rotation' && t.record.space === 'public').length
    // Staff once removed a device (any removal or withdrawn link will do).
    expect(await phone.trust.remove(other.publicKey)).toBe(true)
    await phone.settled()
    expect(phone.publicKeyCalls).toHaveLength(1)
    expect(verdict().mustRenewPublic).toBe(false)

    // The resident's modified app: an "invitation" whose key is the removed device's, far in the future.
    const future = formatStamp(Date.parse('2099-01-01T00:00:00Z'), 0, 'li')
    putTrust(phone.docs, await signTrust(resident, { type: 'invitation', community: id, stamp: future, invitation: other.publicKey, role: 'resident', uses: 'many' }))
    await phone.settled()
    await staffPhone.settled()
    // A resident's record cannot make staff renew the space: nothing is owed, so the
    // late renewal (30 s on) has nothing to do, and the forged "link" is not listed.
    expect(verdict().mustRenewPublic).toBe(false)
    expect(verdict().publicSpace.holders.has(other.publicKey)).toBe(false)
    expect(verdict().openInvitations.some((i) => i.key === other.publicKey)).toBe(false)
    expect(renewals()).toBe(1)
  })
})
