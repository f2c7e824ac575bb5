import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { putTrust } from '../../src/store/trust'
import { acceptInvitation, signTrust } from '../../src/trust/grants'
import { makeInvitationKey, makeKeys } from '../../src/trust/keys'
import { trustCommunity } from './trust-phone'

// Red team: a resident's device record names a key-agreement key of all zeros (a point
// of small order; it passes the schema's 43-character pattern). Removing any device
// seals the new public space to every member device, and sealing to that key throws in
// WebCrypto's X25519 (an all-zero shared secret): remove() rejects before its
// revocation is written, so staff can remove nobody and withdraw no link. To shield
// himself too he admits one second key through his own resident link (a resident may
// invite residents) and gives that key the poisoned record: removing him then threw.
// Now a device whose sealing key does not work gets no box, and stops nothing.

const ZERO_KEY = 'A'.repeat(43)

describe('red team: a device record with an all-zero sealing key', () => {
  it('staff can still remove another device', async () => {
    const { id, resident, other, phone, roles } = await trustCommunity()
    putTrust(phone.docs, await signTrust(resident, { type: 'device', community: id, stamp: phone.clock.tick(), sealKey: ZERO_KEY, label: '李阿姨', person: 'li' }))
    await phone.settled()
    const removed = await phone.trust.remove(other.publicKey).catch((error: unknown) => `threw: ${String(error)}`)
    await phone.settled()
    expect({ removed, role: roles().get(other.publicKey) ?? null }).toEqual({ removed: true, role: null })
  })

  it('staff can still remove him when a second key of his holds the poisoned record', async () => {
    const { id, resident, phone, roles } = await trustCommunity()
    // His own resident link (residents may invite residents), used by a key of his own.
    const link = await makeInvitationKey()
    const sybil = await makeKeys()
    putTrust(phone.docs, await signTrust(resident, { type: 'invitation', community: id, stamp: phone.clock.tick(), invitation: link.publicKey, role: 'resident', uses: 'many' }))
    putTrust(phone.docs, (await acceptInvitation(link.secret, { community: id, key: sybil.publicKey, stamp: phone.clock.tick(), inviter: resident.publicKey }))!)
    putTrust(phone.docs, await signTrust(sybil, { type: 'device', community: id, stamp: phone.clock.tick(), sealKey: ZERO_KEY, label: '王奶奶', person: 'wang' }))
    await phone.settled()
    expect(roles().get(sybil.publicKey)).toBe('resident')
    const removed = await phone.trust.remove(resident.publicKey).catch((error: unknown) => `threw: ${String(error)}`)
    await phone.settled()
    expect({ removed, role: roles().get(resident.publicKey) ?? null }).toEqual({ removed: true, role: null })
  })
})
