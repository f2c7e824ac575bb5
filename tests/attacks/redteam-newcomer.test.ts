import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { formatStamp, parseStamp } from '../../src/domain/hlc'
import { makeKeys, newCommunityId, type DeviceKeys } from '../../src/trust/keys'
import { acceptInvitation, signTrust } from '../../src/trust/grants'
import { putTrust, readTrust } from '../../src/store/trust'
import { trustPhone } from './trust-phone'

// Red team: a newcomer joins by an acceptance. Two things any resident can sign with his
// own device key keep a staff newcomer out:
// - a revocation of the newcomer's key stamped just before its acceptance: the newcomer
//   holds no role yet at that stamp, so anyone with any role may "revoke" it, and an
//   acceptance never gives a role to a revoked key (domain/trust.ts replay);
// - an invitation record of his own naming the staff invitation's public key (public in
//   the doc from the moment staff made the link): `invitations` is keyed by that key, so
//   his later record replaces staff's, and the newcomer's acceptance gives 'resident'.

async function setUp() {
  const [founder, resident, newcomer] = await Promise.all([makeKeys(), makeKeys(), makeKeys()])
  const id = await newCommunityId(founder.publicKey)
  const phone = trustPhone(founder, founder, id)
  const { docs, clock, trust, settled, roles } = phone
  await settled()
  const residentLink = await trust.invite('resident', 'many')
  putTrust(docs, (await acceptInvitation(residentLink!.secret, { community: id, key: resident.publicKey, stamp: clock.tick() }))!)
  await settled()
  expect(roles().get(resident.publicKey)).toBe('resident')
  // Staff makes a one-time staff link for a new social worker.
  const staffLink = await trust.invite('staff', 'once')
  await settled()
  // (Its device record too: the inviter's device confirms it by sealing the staff space to it.)
  const newcomerJoins = async (keys: DeviceKeys = newcomer) => {
    const proof = (await acceptInvitation(staffLink!.secret, { community: id, key: keys.publicKey, stamp: clock.tick() }))!
    putTrust(docs, proof)
    putTrust(docs, await signTrust(keys, { type: 'device', community: id, stamp: clock.tick(), sealKey: keys.agreementKey, label: '新社工', person: 'new' }))
    await settled()
    return proof
  }
  return { id, ...phone, resident, newcomer, staffLink: staffLink!, newcomerJoins }
}

describe('red team: a resident keeps a staff newcomer out', () => {
  it('a revocation of the newcomer\'s key stamped before its acceptance does not keep it out', async () => {
    const { id, docs, settled, roles, resident, newcomer, newcomerJoins } = await setUp()
    const proof = await newcomerJoins()
    expect(roles().get(newcomer.publicKey)).toBe('staff')
    // He reads the acceptance in the doc and signs a revocation of its key, dated 1 ms before it.
    const at = parseStamp(proof.record.stamp)!
    putTrust(docs, await signTrust(resident, { type: 'revoke', community: id, stamp: formatStamp(at.wallMs - 1, 0, 'liu'), key: newcomer.publicKey, lastSeq: -1 }))
    await settled()
    expect(readTrust(docs).filter((t) => t.record.type === 'revoke')).toHaveLength(1)
    expect(roles().get(newcomer.publicKey)).toBe('staff')
  })

  it('an invitation record of his own for the staff link\'s public key does not turn the staff link into a resident one', async () => {
    const { id, docs, clock, settled, roles, resident, newcomer, staffLink, newcomerJoins } = await setUp()
    // No backdating needed: the staff invitation is in the doc long before the newcomer uses the link.
    const staffInvitation = staffLink.record!.record
    if (staffInvitation.type !== 'invitation') throw new Error('not an invitation')
    putTrust(docs, await signTrust(resident, { type: 'invitation', community: id, stamp: clock.tick(), invitation: staffInvitation.invitation, role: 'resident', uses: 'many' }))
    await settled()
    await newcomerJoins()
    expect(roles().get(newcomer.publicKey)).toBe('staff')
  })
})
