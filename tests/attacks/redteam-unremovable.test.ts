import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { ADMITTED_PER_RESIDENT, trustBytes, type TrustRecord } from '../../src/domain/trust'
import { putTrust } from '../../src/store/trust'
import { acceptInvitation, signTrust } from '../../src/trust/grants'
import { makeInvitationKey, makeKeys, sign } from '../../src/trust/keys'
import { trustCommunity } from './trust-phone'

// Red team: a resident made himself impossible to remove. A revocation lists every
// sequence number of his that the remover has seen (`seqs`), and the stored schema
// allows at most 2,000 of them. His modified app signs 2,001 ordinary device records
// (any number is allowed) before staff act. Staff's "remove" then signs a revocation
// that no device reads (readTrust skips it as malformed), so he keeps his role.

describe('red team: a resident with 2,001 trust records of his own', () => {
  it('is removed all the same: none of his records counts, and the revocation lists none', async () => {
    const { id, resident, phone, roles, verdict } = await trustCommunity()
    const stamp = phone.clock.tick()
    const spam = await Promise.all(
      Array.from({ length: 2_001 }, async (_, i) => {
        const record: TrustRecord = { type: 'device', community: id, by: resident.publicKey, seq: 1_000 + i, stamp, sealKey: resident.agreementKey, label: '李阿姨', person: 'li' }
        return { record, sig: await sign(resident.signing.privateKey, trustBytes(record)) }
      }),
    )
    phone.docs.transact(() => spam.forEach((signed) => putTrust(phone.docs, signed)))
    await phone.settled()
    expect(roles().get(resident.publicKey)).toBe('resident')

    // Past TRUST_RECORDS_PER_AUTHOR he counts for nothing already; staff remove him from Devices.
    expect(await phone.trust.remove(resident.publicKey)).toBe(true)
    await phone.settled()
    // Expected: he holds no role and is listed as removed.
    expect(roles().has(resident.publicKey)).toBe(false)
    expect(verdict().authority.removed.has(resident.publicKey)).toBe(true)
  }, 60_000)
})

// The same cap, on a rotation's boxes: with 2,001 keys of his own (admitted through his
// own resident link, each with a device record), every renewal of the public space was
// sealed to more devices than the schema let any device read. A resident's links now
// admit ADMITTED_PER_RESIDENT devices in all; the rest are refused.
describe('red team: a resident admitting an army of keys of his own', () => {
  it('a removal still makes the public space anew', async () => {
    const { id, other, resident, phone, verdict } = await trustCommunity()
    const link = await makeInvitationKey()
    putTrust(phone.docs, await signTrust(resident, { type: 'invitation', community: id, stamp: phone.clock.tick(), invitation: link.publicKey, role: 'resident', uses: 'many' }))
    const stamp = phone.clock.tick()
    const records = (
      await Promise.all(
        Array.from({ length: ADMITTED_PER_RESIDENT + 5 }, async (_, i) => {
          const sybil = await makeKeys()
          const device: TrustRecord = { type: 'device', community: id, by: sybil.publicKey, seq: 0, stamp, sealKey: sybil.agreementKey, label: `n${i}`, person: `n${i}` }
          return [(await acceptInvitation(link.secret, { community: id, key: sybil.publicKey, stamp, inviter: resident.publicKey }))!, { record: device, sig: await sign(sybil.signing.privateKey, trustBytes(device)) }]
        }),
      )
    ).flat()
    phone.docs.transact(() => records.forEach((signed) => putTrust(phone.docs, signed)))
    await phone.settled()
    expect(verdict().refused.filter(({ why }) => why === 'invitationFull')).toHaveLength(5)
    expect(phone.roles().size).toBe(4 + ADMITTED_PER_RESIDENT)

    expect(await phone.trust.remove(other.publicKey)).toBe(true)
    await phone.settled()
    expect(phone.roles().has(other.publicKey)).toBe(false)
    // Expected: the public space was made anew without the removed device.
    expect({ renewed: verdict().publicSpace.rotation !== null, mustRenewPublic: verdict().mustRenewPublic }).toEqual({ renewed: true, mustRenewPublic: false })
  }, 120_000)
})
