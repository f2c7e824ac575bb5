import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { formatStamp, parseStamp } from '../../src/domain/hlc'
import { makeKeys, type DeviceKeys } from '../../src/trust/keys'
import { acceptInvitation, signTrust } from '../../src/trust/grants'
import { putTrust } from '../../src/store/trust'
import { makeInvite } from '../../src/sync/invite'
import { trustCommunity } from './trust-phone'

// Hole 9: a staff link was silent, lasting staff access. It carried the staff space's
// room and secret, so whoever held a copy read the elder roster without ever showing in
// Devices, and a "once" link went to whoever dated his acceptance first. Now a staff link
// carries no staff key, an acceptance of it only asks, and the inviter's device confirms
// the one device that used it (a grant, and the staff space sealed to it).

async function setUp() {
  const community = await trustCommunity()
  const { id, phone } = community
  const link = (await phone.trust.invite('staff', 'once'))!
  await phone.settled()
  /** A phone uses the link: its acceptance (stamped as it likes) and its device record. */
  const records = async (keys: DeviceKeys, label: string, stamp: string) => [
    (await acceptInvitation(link.secret, { community: id, key: keys.publicKey, stamp }))!,
    await signTrust(keys, { type: 'device', community: id, stamp: phone.clock.tick(), sealKey: keys.agreementKey, label, person: label === '新社工' ? 'newcomer' : 'copier' }),
  ]
  /** Phones use the link: their acceptances (stamped as they like) and device records, arriving together. */
  const uses = async (...phones: [DeviceKeys, string, string?][]) => {
    const all = (await Promise.all(phones.map(([keys, label, stamp]) => records(keys, label, stamp ?? phone.clock.tick())))).flat()
    phone.docs.transact(() => all.forEach((signed) => putTrust(phone.docs, signed)))
  }
  const boxFor = (key: string) => community.verdict().staffSpace.rotation?.boxes.some((box) => box.to === key) ?? false
  return { ...community, link, uses, boxFor }
}

describe('a copy of a staff link', () => {
  it('carries no staff key: holding the link reads nothing of the staff space', async () => {
    const { id, founder } = await setUp()
    const invite = makeInvite({ id, name: '幸福里', role: 'staff', public: { room: 'public-room-1', secret: 'public-secret-0123456789' }, staff: { room: 'staff-room-1', secret: 'staff-secret-0123456789' }, joinedAt: '', founder: founder.publicKey }, 'staff', [])
    expect(invite.staff).toBeUndefined()
    expect(JSON.stringify(invite)).not.toContain('staff-secret')
  })

  it('used first with a backdated acceptance, still gives no role: the inviter confirms the phone it met', async () => {
    const { phone, roles, uses, boxFor } = await setUp()
    const [newcomer, copier] = await Promise.all([makeKeys(), makeKeys()])
    await uses([newcomer, '新社工'])
    await phone.settled()
    expect(roles().get(newcomer.publicKey)).toBe('staff')
    expect(boxFor(newcomer.publicKey)).toBe(true)
    // The copier's modified app dates his acceptance before the newcomer's.
    const accepted = phone.kept.find((t) => t.record.type === 'accept' && t.record.key === newcomer.publicKey)!
    const backdated = formatStamp(parseStamp(accepted.record.stamp)!.wallMs - 60_000, 0, 'copier')
    await uses([copier, '假社工', backdated])
    await phone.settled()
    expect(roles().has(copier.publicKey)).toBe(false)
    expect(boxFor(copier.publicKey)).toBe(false)
    expect(roles().get(newcomer.publicKey)).toBe('staff')
  })

  it('used by two phones before the inviter saw either: neither is confirmed until staff remove the wrong one', async () => {
    const { phone, roles, verdict, uses, boxFor } = await setUp()
    const [newcomer, copier] = await Promise.all([makeKeys(), makeKeys()])
    await uses([newcomer, '新社工'], [copier, '假社工'])
    await phone.settled()
    expect(new Set(verdict().awaiting.map((a) => a.key))).toEqual(new Set([newcomer.publicKey, copier.publicKey]))
    expect(roles().has(newcomer.publicKey) || roles().has(copier.publicKey)).toBe(false)
    expect(boxFor(copier.publicKey)).toBe(false)
    // Devices shows both as not confirmed; staff remove the one they do not know.
    expect(await phone.trust.remove(copier.publicKey)).toBe(true)
    await phone.settled()
    expect(roles().get(newcomer.publicKey)).toBe('staff')
    expect(boxFor(newcomer.publicKey)).toBe(true)
    expect(boxFor(copier.publicKey)).toBe(false)
  })
})
