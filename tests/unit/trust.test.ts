import 'fake-indexeddb/auto'
import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { formatStamp, HybridClock } from '../../src/domain/hlc'
import { canonicalBytes, trustKey, verdictOf, type TrustRecord, type TrustRole } from '../../src/domain/trust'
import { isRootOf, loadDeviceKeys, makeInvitationKey, newCommunityId, openSealed, readSecretKey, seal } from '../../src/trust/keys'
import { readSetting, updateSetting } from '../../src/sync/device'
import { acceptInvitation, makeCommunityTrust, nextSeq, signTrust, verifyTrust } from '../../src/trust/grants'
import { SpaceDocs, STANDING } from '../../src/store/space-docs'
import { readTrust } from '../../src/store/trust'

// The trust rules: who may grant what, chains from the founder, invitations,
// revocations (backdated records included), and the signatures they rest on.

const COMMUNITY = 'c1'
/** A stand-in public key (43 base64url characters), for the rules alone. */
const key = (name: string) => name.padEnd(43, 'x')
const [ROOT, STAFF, LEAD, RESIDENT, OTHER, INVITE] = ['root', 'staff', 'lead', 'resident', 'other', 'invite'].map(key) as [string, string, string, string, string, string]
let time = 1_700_000_000_000
const stamp = (device = 'd') => formatStamp(time++, 0, device)
const seqs = new Map<string, number>()
const seq = (by: string) => {
  const next = (seqs.get(by) ?? -1) + 1
  seqs.set(by, next)
  return next
}
const grant = (by: string, to: string, role: TrustRole): TrustRecord => ({ type: 'grant', community: COMMUNITY, by, seq: seq(by), stamp: stamp(), key: to, role })
const revoke = (by: string, to: string, lastSeq: number): TrustRecord => ({ type: 'revoke', community: COMMUNITY, by, seq: seq(by), stamp: stamp(), key: to, lastSeq })
/** Node 20 has WebCrypto Ed25519 and X25519: a null here is a broken environment, not a pass. */
async function deviceKeys() {
  const keys = await loadDeviceKeys()
  if (!keys) throw new Error('no WebCrypto Ed25519/X25519 in this Node')
  return keys
}
const roles = (records: TrustRecord[]) => Object.fromEntries(verdictOf(COMMUNITY, ROOT, records).roles)

describe('grant chains', () => {
  it('a chain from the founder gives each device its role', () => {
    const records = [grant(ROOT, STAFF, 'staff'), grant(STAFF, LEAD, 'lead'), grant(LEAD, RESIDENT, 'resident')]
    expect(roles(records)).toEqual({ [ROOT]: 'founder', [STAFF]: 'staff', [LEAD]: 'lead', [RESIDENT]: 'resident' })
  })

  it('a broken link gives nothing: a grant from a key with no role, or from one that may not grant it', () => {
    const resident = grant(ROOT, RESIDENT, 'resident')
    const fromNobody = grant(OTHER, RESIDENT, 'staff')
    const residentMakesStaff = grant(RESIDENT, OTHER, 'staff')
    const verdict = verdictOf(COMMUNITY, ROOT, [residentMakesStaff, fromNobody, resident])
    expect(Object.fromEntries(verdict.roles)).toEqual({ [ROOT]: 'founder', [RESIDENT]: 'resident' })
    expect(verdict.refused.map((r) => r.why).sort()).toEqual(['mayNotGrant', 'noRole'])
  })

  it('a grant made before its author held the role does not count, whatever arrives first', () => {
    const early = grant(STAFF, RESIDENT, 'resident')
    const later = grant(ROOT, STAFF, 'staff')
    expect(roles([later, early])).toEqual({ [ROOT]: 'founder', [STAFF]: 'staff' })
  })

  it('a revoked device loses its role, and its records after the named sequence number never count, even backdated', () => {
    const made = grant(ROOT, STAFF, 'staff')
    const wallOfBefore = time
    const before = grant(STAFF, RESIDENT, 'resident')
    const removal = revoke(ROOT, STAFF, before.seq)
    // The removed phone signs a new grant stamped between its last good record and its removal.
    const backdated: TrustRecord = { type: 'grant', community: COMMUNITY, by: STAFF, seq: seq(STAFF), stamp: formatStamp(wallOfBefore, 5, 'd'), key: OTHER, role: 'staff' }
    expect(backdated.stamp > before.stamp && backdated.stamp < removal.stamp).toBe(true)
    const verdict = verdictOf(COMMUNITY, ROOT, [made, before, removal, backdated])
    expect(Object.fromEntries(verdict.roles)).toEqual({ [ROOT]: 'founder', [RESIDENT]: 'resident' })
    expect(verdict.revoked.get(STAFF)).toBe(before.seq)
    expect(verdict.refused).toEqual([{ record: backdated, why: 'afterRevocation' }])
  })

  it('staff cannot remove the founder; a device that signs two different records with one number counts for nothing', () => {
    const staffMade = grant(ROOT, STAFF, 'staff')
    const attempt = revoke(STAFF, ROOT, -1)
    expect(roles([staffMade, attempt])[ROOT]).toBe('founder')
    const twice = grant(STAFF, OTHER, 'resident') as Extract<TrustRecord, { type: 'grant' }>
    const other: TrustRecord = { ...twice, key: RESIDENT, stamp: stamp() }
    const verdict = verdictOf(COMMUNITY, ROOT, [staffMade, twice, other])
    expect(verdict.roles.has(OTHER) || verdict.roles.has(RESIDENT)).toBe(false)
    expect(verdict.refused.filter((r) => r.why === 'equivocation')).toHaveLength(2)
  })

  it('a second founder-level device keeps the community if the first phone is lost', () => {
    const second = key('second')
    const made = grant(ROOT, second, 'founder')
    const records = [made, revoke(second, ROOT, made.seq), grant(second, STAFF, 'staff')]
    expect(roles(records)).toEqual({ [second]: 'founder', [STAFF]: 'staff' })
  })
})

describe('removing a device from the staff space', () => {
  const rotation = (by: string, to: string[]): TrustRecord => ({ type: 'rotation', community: COMMUNITY, by, seq: seq(by), stamp: stamp(), boxes: to.map((key) => ({ to: key, from: ROOT, iv: 'iv', box: 'box' })) })

  it('removing a device that held the staff space asks for a new one; a rotation by staff leaves the removed device out', () => {
    const made = grant(ROOT, STAFF, 'staff')
    const lost = grant(ROOT, OTHER, 'staff')
    const removal = revoke(ROOT, OTHER, -1)
    const before = verdictOf(COMMUNITY, ROOT, [made, lost, removal])
    expect([...before.staffSpace.holders].sort()).toEqual([OTHER, ROOT, STAFF].sort())
    expect(before.mustRotate).toBe(true)
    const after = verdictOf(COMMUNITY, ROOT, [made, lost, removal, rotation(STAFF, [ROOT, STAFF])])
    expect(after.mustRotate).toBe(false)
    expect([...after.staffSpace.holders].sort()).toEqual([ROOT, STAFF].sort())
  })

  it('a rotation by a resident does not count, and removing a resident asks for none', () => {
    const made = grant(ROOT, RESIDENT, 'resident')
    const attempt = rotation(RESIDENT, [RESIDENT])
    const records = [made, attempt, revoke(ROOT, RESIDENT, attempt.seq)]
    const verdict = verdictOf(COMMUNITY, ROOT, records)
    expect(verdict.staffSpace.rotation).toBeNull()
    expect(verdict.refused.map((r) => r.why)).toEqual(['mayNotGrant'])
    expect(verdict.mustRotate).toBe(false)
  })

  it('a new staff key sealed to one device opens only there', async () => {
    const keys = await deviceKeys()
    const secret = new TextEncoder().encode(JSON.stringify({ room: 'new-room-1', secret: 'a-new-staff-secret' }))
    const box = await seal(keys.agreementKey, secret)
    expect(new TextDecoder().decode((await openSealed(keys, box))!)).toContain('a-new-staff-secret')
    const other = (await crypto.subtle.generateKey({ name: 'X25519' }, false, ['deriveBits'])) as CryptoKeyPair
    expect(await openSealed({ ...keys, agreement: other }, box)).toBeNull()
    expect(await openSealed(keys, { ...box, box: box.box.slice(0, -4) + 'AAAA' })).toBeNull()
  })
})

describe('invitations', () => {
  const invitation = (uses: 'once' | 'many'): TrustRecord => ({ type: 'invitation', community: COMMUNITY, by: STAFF, seq: seq(STAFF), stamp: stamp(), invitation: INVITE, role: 'resident', uses })
  const accept = (newcomer: string): TrustRecord => ({ type: 'accept', community: COMMUNITY, by: INVITE, seq: 0, stamp: stamp(), key: newcomer })

  it('a one-time invitation admits one device; a reusable one admits every holder of the link', () => {
    const made = grant(ROOT, STAFF, 'staff')
    const once = verdictOf(COMMUNITY, ROOT, [made, invitation('once'), accept(RESIDENT), accept(OTHER)])
    expect(once.roles.get(RESIDENT)).toBe('resident')
    expect(once.roles.has(OTHER)).toBe(false)
    expect(once.refused.map((r) => r.why)).toEqual(['invitationUsed'])
    const many = verdictOf(COMMUNITY, ROOT, [made, invitation('many'), accept(RESIDENT), accept(OTHER)])
    expect([many.roles.get(RESIDENT), many.roles.get(OTHER)]).toEqual(['resident', 'resident'])
  })

  it('an acceptance of an invitation nobody may have made admits nobody', () => {
    const verdict = verdictOf(COMMUNITY, ROOT, [invitation('many'), accept(RESIDENT)])
    expect(verdict.roles.has(RESIDENT)).toBe(false)
    expect(verdict.refused.map((r) => r.why)).toEqual(['noRole', 'unknownInvitation'])
  })

  it('the link secret proves itself: the acceptance it signs checks out under the invitation key', async () => {
    const { publicKey, secret } = await makeInvitationKey()
    expect((await readSecretKey(secret))?.publicKey).toBe(publicKey)
    const newcomer = await deviceKeys()
    const signed = await acceptInvitation(secret, { community: COMMUNITY, key: newcomer.publicKey, stamp: stamp() })
    expect(signed?.record.by).toBe(publicKey)
    expect(await verifyTrust({ id: trustKey(signed!.sig), ...signed! })).toBe(true)
    expect(await acceptInvitation('not-a-secret', { community: COMMUNITY, key: newcomer.publicKey, stamp: stamp() })).toBeNull()
  })
})

describe('signatures', () => {
  it('cover canonical content: the same record in any key order gives the same bytes, and the collection and key are part of them', () => {
    const a = canonicalBytes('notices', 'n1', { title: 't', body: 'b', extra: undefined })
    const b = canonicalBytes('notices', 'n1', { body: 'b', title: 't' })
    expect(a).toEqual(b)
    expect(canonicalBytes('notices', 'n2', { body: 'b', title: 't' })).not.toEqual(a)
    expect(canonicalBytes('shifts', 'n1', { body: 'b', title: 't' })).not.toEqual(a)
  })

  it('a signed record checks out; changed by one field, or moved under another author, it does not', async () => {
    const keys = await deviceKeys()
    const signed = await signTrust(keys, { type: 'grant', community: COMMUNITY, stamp: stamp(), key: OTHER, role: 'resident' })
    expect(await verifyTrust({ id: trustKey(signed.sig), ...signed })).toBe(true)
    const raised = { ...signed, record: { ...signed.record, role: 'staff' as const } }
    expect(await verifyTrust({ id: `${trustKey(signed.sig)}x`, ...raised })).toBe(false)
    const stolen = { ...signed, record: { ...signed.record, by: ROOT } }
    expect(await verifyTrust({ id: `${trustKey(signed.sig)}y`, ...stolen })).toBe(false)
  })

  it('device keys are made once and kept; sequence numbers never repeat; a community id is bound to its founder key', async () => {
    const keys = await deviceKeys()
    expect(keys.publicKey).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(((await readSetting('neighbours.keys')) as { publicKey: string }).publicKey).toBe(keys.publicKey)
    const numbers = await Promise.all([nextSeq(), nextSeq(), nextSeq()])
    expect(new Set(numbers).size).toBe(3)
    expect(await readSetting('neighbours.seq')).toBe(Math.max(...numbers))
    // Two tabs of one browser count with chains of their own, at the same moment: each
    // raise is one transaction, so neither takes a number the other took.
    const tab = () => Array.from({ length: 10 }, () => updateSetting('neighbours.seq', (n) => (typeof n === 'number' ? n : -1) + 1))
    const both = await Promise.all([...tab(), ...tab()])
    expect(new Set(both).size).toBe(20)
    // One device may found several communities, each bound to its key.
    const [first, second] = [await newCommunityId(keys.publicKey), await newCommunityId(keys.publicKey)]
    expect(first).not.toBe(second)
    expect(await isRootOf(first, keys.publicKey)).toBe(true)
    expect(await isRootOf(second, keys.publicKey)).toBe(true)
    expect(await isRootOf(first, (await makeInvitationKey()).publicKey)).toBe(false)
    expect(await isRootOf('short', keys.publicKey)).toBe(false)
  })
})

describe('a device starting again', () => {
  it('writes no second device record, however late its stored trust records load', async () => {
    const keys = await deviceKeys()
    const community = await newCommunityId(keys.publicKey)
    const start = (docs: SpaceDocs, loaded: Promise<void>) =>
      makeCommunityTrust({ community, founder: keys.publicKey, docs, clock: new HybridClock('d1'), keys: Promise.resolve(keys), loaded, label: () => '王主任', person: 'd1', staffKey: () => null, onStaffKey: () => {} })
    const devices = (docs: SpaceDocs) => readTrust(docs).filter((t) => t.record.type === 'device').length

    const first = new SpaceDocs()
    const once = start(first, Promise.resolve())
    await once.settled()
    await once.settled() // the device record it wrote is checked too
    expect(devices(first)).toBe(1)
    once.close()

    // The next start: a large standing doc comes out of storage a moment after the app opens.
    const second = new SpaceDocs()
    let load!: () => void
    const again = start(second, new Promise<void>((resolve) => (load = resolve)))
    await new Promise((resolve) => setTimeout(resolve, 50))
    Y.applyUpdate(second.open(STANDING), Y.encodeStateAsUpdate(first.open(STANDING)))
    load()
    await again.settled()
    await again.settled()
    expect(devices(second)).toBe(1)
    expect(again.state()).toMatchObject({ checked: true, mine: 'founder' })
    again.close()
  })
})
