import type { SpaceKey } from '../../src/domain/community'
import { HybridClock } from '../../src/domain/hlc'
import type { SignedTrust } from '../../src/domain/trust'
import type { DeviceKeys } from '../../src/trust/keys'
import { expect } from 'vitest'
import { acceptInvitation, makeCommunityTrust, signTrust, type KeptTrust } from '../../src/trust/grants'
import { makeKeys, newCommunityId } from '../../src/trust/keys'
import { putTrust } from '../../src/store/trust'
import { SpaceDocs } from '../../src/store/space-docs'

// One phone's view of a community's trust records, as the attack tests need it: the
// real makeCommunityTrust on docs of its own, with the records it keeps (a list that
// survives a "restart") and every staff-space key it was handed.

let wall = Date.parse('2026-11-23T08:00:00Z')

export const keptIn = (records: SignedTrust[]): KeptTrust => ({
  read: async () => [...records],
  write: async (list) => void records.splice(0, records.length, ...list),
})

export function trustPhone(me: DeviceKeys, founder: DeviceKeys, community: string, options: { person?: string; docs?: SpaceDocs; kept?: SignedTrust[] } = {}) {
  const person = options.person ?? 'founder'
  const docs = options.docs ?? new SpaceDocs()
  const kept = options.kept ?? []
  const clock = new HybridClock(person, () => (wall += 1000))
  const staffKeyCalls: (SpaceKey | null)[] = []
  const publicKeyCalls: SpaceKey[] = []
  const trust = makeCommunityTrust({
    community,
    founder: founder.publicKey,
    docs,
    clock,
    keys: Promise.resolve(me),
    loaded: Promise.resolve(),
    label: () => person,
    person,
    staffKey: () => ({ room: 'staff-room-1', secret: 'staff-secret-0123456789' }),
    onStaffKey: (key) => void staffKeyCalls.push(key),
    // (The app reopens the community on a new public space: the key held is the last one handed.)
    publicKey: () => publicKeyCalls.at(-1) ?? { room: 'public-room-1', secret: 'public-secret-0123456789' },
    onPublicKey: (key) => void publicKeyCalls.push(key),
    kept: keptIn(kept),
  })
  /** Checks run after what each check wrote (a device record, a rotation): three rounds settle them. */
  const settled = async () => {
    for (let i = 0; i < 3; i++) await trust.settled()
  }
  const verdict = () => {
    const state = trust.state()
    if (!state.checked) throw new Error('trust not checked')
    return state.verdict
  }
  return { docs, clock, trust, kept, settled, verdict, roles: () => verdict().roles, staffKeyCalls, publicKeyCalls }
}

/** A community with a staff phone and two residents, as the founder's phone sees it. */
export async function trustCommunity() {
  const [founder, staff, resident, other] = await Promise.all([makeKeys(), makeKeys(), makeKeys(), makeKeys()])
  const id = await newCommunityId(founder.publicKey)
  const phone = trustPhone(founder, founder, id)
  await phone.settled()
  expect(await phone.trust.grant(staff.publicKey, 'staff')).toBe(true)
  const link = await phone.trust.invite('resident', 'many')
  for (const [keys, name] of [[resident, '李阿姨'], [other, '张大爷']] as const) {
    const proof = await acceptInvitation(link!.secret, { community: id, key: keys.publicKey, stamp: phone.clock.tick() })
    putTrust(phone.docs, proof!)
    putTrust(phone.docs, await signTrust(keys, { type: 'device', community: id, stamp: phone.clock.tick(), sealKey: keys.agreementKey, label: name, person: name === '李阿姨' ? 'li' : 'zhang' }))
  }
  putTrust(phone.docs, await signTrust(staff, { type: 'device', community: id, stamp: phone.clock.tick(), sealKey: staff.agreementKey, label: '社工', person: 'staff' }))
  await phone.settled()
  expect([phone.roles().get(staff.publicKey), phone.roles().get(resident.publicKey)]).toEqual(['staff', 'resident'])
  return { id, founder, staff, resident, other, phone, roles: phone.roles, verdict: phone.verdict }
}
