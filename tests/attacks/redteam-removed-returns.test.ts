import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { formatStamp, parseStamp } from '../../src/domain/hlc'
import { trustBytes, type SignedTrust, type TrustRecord } from '../../src/domain/trust'
import { makeInvitationKey, makeKeys, newCommunityId, sign, type DeviceKeys } from '../../src/trust/keys'
import { acceptInvitation, signTrust } from '../../src/trust/grants'
import { trustPhone } from './trust-phone'
import { putTrust } from '../../src/store/trust'

// Red team: a revocation names the last of the removed device's sequence numbers that
// still counts, so that backdated records do not help it. Two ways around that bound:
// - acceptances are exempt (they are signed by an invitation key, not the device): a
//   resident makes a reusable invitation of his own before he is removed (residents pass
//   on invites), keeps its secret, and after the removal "accepts" it for a fresh device
//   key, stamped before the removal; the new key is a resident again;
// - the sequence number is the author's own claim: a modified app leaves gaps (0, 50),
//   the revocation names 50, and a record signed later with seq 10 and a stamp before the
//   removal counts (a grant of 'resident' to his fresh key).

/** A record signed with a sequence number of the attacker's choosing (a modified app). */
async function signedAs(keys: DeviceKeys, record: Record<string, unknown> & { type: TrustRecord['type']; seq: number }): Promise<Omit<SignedTrust, 'id'>> {
  const full = { ...record, by: keys.publicKey } as unknown as TrustRecord
  return { record: full, sig: await sign(keys.signing.privateKey, trustBytes(full)) }
}
const justAfter = (stamp: string, device: string) => formatStamp(parseStamp(stamp)!.wallMs + 1, 0, device)

async function setUp() {
  const [founder, resident, fresh] = await Promise.all([makeKeys(), makeKeys(), makeKeys()])
  const id = await newCommunityId(founder.publicKey)
  const phone = trustPhone(founder, founder, id)
  await phone.settled()
  const link = await phone.trust.invite('resident', 'many')
  putTrust(phone.docs, (await acceptInvitation(link!.secret, { community: id, key: resident.publicKey, stamp: phone.clock.tick() }))!)
  await phone.settled()
  expect(phone.roles().get(resident.publicKey)).toBe('resident')
  return { id, ...phone, resident, fresh }
}

describe('red team: a removed resident comes back with a fresh key', () => {
  it('through a backdated acceptance of an invitation he made before his removal', async () => {
    const { id, docs, clock, trust, settled, roles, resident, fresh } = await setUp()
    // Before: an ordinary reusable invitation of his own, secret kept.
    const invitation = await makeInvitationKey()
    const made = await signTrust(resident, { type: 'invitation', community: id, stamp: clock.tick(), invitation: invitation.publicKey, role: 'resident', uses: 'many' })
    putTrust(docs, made)
    await settled()
    expect(await trust.remove(resident.publicKey)).toBe(true)
    await settled()
    expect(roles().has(resident.publicKey)).toBe(false)

    // After: a fresh device key, "accepted" with a stamp just after his invitation (before the removal).
    putTrust(docs, (await acceptInvitation(invitation.secret, { community: id, key: fresh.publicKey, stamp: justAfter(made.record.stamp, 'liu2') }))!)
    await settled()
    expect(roles().has(fresh.publicKey)).toBe(false)
  })

  it('through a backdated grant in a gap he left in his sequence numbers', async () => {
    const { id, docs, clock, trust, settled, roles, resident, fresh } = await setUp()
    // His modified app signs his device record with seq 50 (0..49 never used).
    const device = await signedAs(resident, { type: 'device', community: id, seq: 50, stamp: clock.tick(), sealKey: resident.agreementKey, label: '小刘', person: 'liu' })
    putTrust(docs, device)
    await settled()
    expect(await trust.remove(resident.publicKey)).toBe(true)
    await settled()
    expect(roles().has(resident.publicKey)).toBe(false)

    // After the removal (lastSeq 50): seq 10, stamped before the removal, grants his fresh key 'resident'.
    putTrust(docs, await signedAs(resident, { type: 'grant', community: id, seq: 10, stamp: justAfter(device.record.stamp, 'liu'), key: fresh.publicKey, role: 'resident' }))
    await settled()
    expect(roles().has(fresh.publicKey)).toBe(false)
  })
})
