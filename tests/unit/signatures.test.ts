import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { formatStamp } from '../../src/domain/hlc'
import type { Authority } from '../../src/domain/trust'
import { mayWrite } from '../../src/domain/authority'
import { SpaceDocs, STANDING } from '../../src/store/space-docs'
import { publicSpace } from '../../src/store/layout'
import { postNotice } from '../../src/store/notices'
import { publishShift, readShiftData, signUp, withdraw } from '../../src/store/shifts'
import { postRequest, readAidData } from '../../src/store/aid'
import { readCollection } from '../../src/store/collection'
import { NoticeSchema } from '../../src/domain/notices'
import { makeSignedRecords } from '../../src/trust/signatures'
import { community, device, type Device, meet, meetAndSettle, memoryOf, MONTH, notices, settle, signups, tamper, TODAY, wall } from '../attacks/peers'

// Signed records checked on read (trust/signatures.ts, domain/authority.ts): what a
// device shows of what others wrote, with real Ed25519 keys and real Yjs docs.

describe('signed records, checked on read', () => {
  it('a notice signed by staff is shown everywhere; one written by a resident, or unsigned, is shown nowhere and is counted with its author', async () => {
    const { staff, alice, bob, all } = await community()
    postNotice(staff.docs, staff.clock, staff.person, { title: '停水通知', body: '周三停水' })
    await meetAndSettle(all)
    for (const d of all) expect(notices(d)).toEqual(['停水通知'])

    await tamper(bob, 'notices', 'fake1', { id: 'fake1', title: '假通知', body: '', authorId: 'staff', authorName: '王主任', stamp: bob.clock.tick(), editedAt: bob.clock.tick() })
    await tamper(bob, 'notices', 'fake2', { id: 'fake2', title: '无签名', body: '', authorId: 'staff', authorName: '王主任', stamp: bob.clock.tick(), editedAt: bob.clock.tick() }, false)
    await meetAndSettle(all)
    for (const d of [staff, alice]) {
      expect(notices(d)).toEqual(['停水通知'])
      expect(readCollection(publicSpace(d.docs).notices, NoticeSchema).skipped.size).toBe(2)
      await new Promise((resolve) => setTimeout(resolve, 0))
      expect(d.gate.refused().map((r) => [r.key, r.author, r.why]).sort()).toEqual([
        ['fake1', bob.keys.publicKey, 'notAllowed'],
        ['fake2', null, 'unsigned'],
      ])
    }
  })

  it('the signature covers the collection, the key and every field: a changed field, or the record moved under another key, fails', async () => {
    const { staff, alice, all } = await community()
    const posted = postNotice(staff.docs, staff.clock, staff.person, { title: '原文', body: '' })
    if (!posted.ok) throw new Error('not posted')
    await meetAndSettle(all)
    const stored = publicSpace(staff.docs).notices.get(posted.value.id) as Record<string, unknown>
    // Staff's own valid signature, pasted onto a changed title and onto another key.
    const forged = { ...stored, title: '改过的' }
    const other = new Y.Doc()
    Y.applyUpdate(other, Y.encodeStateAsUpdate(staff.docs.open(STANDING)))
    other.getMap('notices').set(posted.value.id, forged)
    other.getMap('notices').set('moved', { ...stored, id: 'moved' })
    Y.applyUpdate(alice.docs.open(STANDING), Y.encodeStateAsUpdate(other))
    await settle([alice])
    expect(notices(alice)).toEqual(['原文'])
    expect(alice.gate.refused().map((r) => r.why).sort()).toEqual(['badSignature', 'badSignature'])
  })

  it('a sign-up overwritten by another resident keeps showing, is written back, and is back on every device', async () => {
    const { staff, alice, bob, all } = await community()
    const shift = publishShift(staff.docs, staff.clock, staff.person, { title: '帮厨', category: 'canteen', place: '食堂', date: TODAY, start: '10:00', end: '12:00', places: 2, notes: '', skill: '' }, TODAY)
    if (!shift.ok) throw new Error('not published')
    await meetAndSettle(all)
    expect(signUp(alice.docs, alice.clock, shift.value.id, alice.person, alice.person).ok).toBe(true)
    await meetAndSettle(all)
    for (const d of all) expect(signups(d)).toEqual(['alice:true'])

    const key = `${shift.value.id}|alice`
    const original = publicSpace(alice.docs).signups.get(key) as Record<string, unknown>
    await tamper(bob, 'signups', key, { ...withoutSig(original), active: false, updatedAt: bob.clock.tick(), byId: 'alice' })
    await meetAndSettle(all)
    // Every honest device still shows it; the tampered phone's own app does too.
    for (const d of all) expect(signups(d)).toEqual(['alice:true'])
    await new Promise((resolve) => setTimeout(resolve, 1_700))
    await meetAndSettle(all)
    for (const d of all) {
      const stored = d.docs.open(MONTH).getMap('signups').get(key) as Record<string, unknown>
      expect(stored.active).toBe(true)
      expect(stored.sig).toEqual(original.sig)
    }
  })

  it('a help request taken over by another resident (their own name written into it) counts on no phone, not even one that never saw the first, and is written back', async () => {
    const { staff, alice, bob, all, authority } = await community()
    const posted = postRequest(alice.docs, alice.clock, alice.person, { kind: 'need', category: 'errand', title: '买菜', details: '', when: '', where: '', urgency: 'normal', forName: '', materials: [], due: '' }, TODAY)
    if (!posted.ok) throw new Error('not posted')
    const key = posted.value.id
    expect(key.startsWith('alice.')).toBe(true)
    await meetAndSettle(all)
    const original = publicSpace(alice.docs).aidRequests.get(key) as Record<string, unknown>
    const mine = { postedBy: 'bob', postedByName: 'bob', forId: 'bob', forName: 'bob' }
    await tamper(bob, 'aidRequests', key, { ...withoutSig(original), ...mine, title: '被改了', editedAt: bob.clock.tick() })
    // A phone that meets only the tampered one holds only the tampered version, and refuses it.
    const carol = await device('carol')
    carol.gate.setAuthority(authority)
    meet([bob, carol])
    await settle([carol])
    expect(readAidData(carol.docs).requests).toEqual([])
    expect(carol.gate.refused().map((r) => [r.key, r.author, r.why])).toEqual([[key, bob.keys.publicKey, 'notAllowed']])
    // The others keep showing alice's, write it back, and then every phone holds it.
    await meetAndSettle(all)
    for (const d of [staff, alice]) expect(readAidData(d.docs).requests.map((r) => r.title)).toEqual(['买菜'])
    await new Promise((resolve) => setTimeout(resolve, 1_700))
    await meetAndSettle([...all, carol])
    for (const d of [...all, carol]) {
      expect(readAidData(d.docs).requests.map((r) => `${r.postedBy}:${r.title}`)).toEqual(['alice:买菜'])
      expect((d.docs.open(STANDING).getMap('aidRequests').get(key) as Record<string, unknown>).sig).toEqual(original.sig)
    }
    // A help event's key ends with its writer's stamp: bob's take under alice's stamp counts nowhere.
    const take = (device: string) => `${key}|${formatStamp(wall, 0, device)}`
    expect(mayWrite(authority, 'aidEvents', take('bob'), { byId: 'bob', type: 'take' }, bob.keys.publicKey)).toBe(true)
    expect(mayWrite(authority, 'aidEvents', take('alice'), { byId: 'bob', type: 'take' }, bob.keys.publicKey)).toBe(false)
    expect(mayWrite(authority, 'aidEvents', take('alice'), { byId: 'bob', type: 'take' }, staff.keys.publicKey)).toBe(true)
    // A sign-up or a member entry under someone else's key, with one's own name in it, is refused (not merely skipped as malformed).
    expect(mayWrite(authority, 'signups', 's1|alice', { personId: 'bob' }, bob.keys.publicKey)).toBe(false)
    expect(mayWrite(authority, 'signups', 's1|bob', { personId: 'bob' }, bob.keys.publicKey)).toBe(true)
    expect(mayWrite(authority, 'members', 'alice', { deviceId: 'bob', role: 'resident' }, bob.keys.publicKey)).toBe(false)
    // A place is offered by its giver only, and taken by its taker only.
    expect(mayWrite(authority, 'shiftOffers', 's1|alice', { giverId: 'alice' }, bob.keys.publicKey)).toBe(false)
    expect(mayWrite(authority, 'shiftOffers', 's1|bob', { giverId: 'bob' }, bob.keys.publicKey)).toBe(true)
    expect(mayWrite(authority, 'shiftTakes', 's1|alice|carol', { takerId: 'carol' }, bob.keys.publicKey)).toBe(false)
    expect(mayWrite(authority, 'shiftTakes', 's1|alice|bob', { takerId: 'bob' }, bob.keys.publicKey)).toBe(true)
    // A request posted before ids began with their poster keeps counting by its owner field.
    expect(mayWrite(authority, 'aidRequests', 'q0ldstyle', { postedBy: 'alice', forId: 'alice' }, alice.keys.publicKey)).toBe(true)
    expect(mayWrite(authority, 'aidRequests', 'bob.x1', { postedBy: 'alice', forId: 'alice' }, alice.keys.publicKey)).toBe(false)
  })

  it('a deleted record comes back, and an older version of a record never replaces a newer one', async () => {
    const { staff, alice, bob, all } = await community()
    const shift = publishShift(staff.docs, staff.clock, staff.person, { title: '帮厨', category: 'canteen', place: '食堂', date: TODAY, start: '10:00', end: '12:00', places: 2, notes: '', skill: '' }, TODAY)
    if (!shift.ok) throw new Error('not published')
    await meetAndSettle(all)
    signUp(alice.docs, alice.clock, shift.value.id, alice.person, alice.person)
    await meetAndSettle(all)
    const key = `${shift.value.id}|alice`
    const signedUp = publicSpace(alice.docs).signups.get(key) as Record<string, unknown>
    withdraw(alice.docs, alice.clock, shift.value.id, 'alice', alice.person)
    await meetAndSettle(all)
    for (const d of all) expect(signups(d)).toEqual(['alice:false'])

    // Bob replays Alice's own, validly signed, older sign-up: it stays a withdrawal.
    const other = new Y.Doc()
    Y.applyUpdate(other, Y.encodeStateAsUpdate(bob.docs.open(MONTH)))
    other.getMap('signups').set(key, signedUp)
    Y.applyUpdate(bob.docs.open(MONTH), Y.encodeStateAsUpdate(other))
    await meetAndSettle(all)
    for (const d of [staff, alice]) expect(signups(d)).toEqual(['alice:false'])
    expect(staff.gate.refused().map((r) => r.why)).toEqual(['older'])

    // And a deletion is undone.
    const wiper = new Y.Doc()
    Y.applyUpdate(wiper, Y.encodeStateAsUpdate(staff.docs.open(MONTH)))
    wiper.getMap('shifts').delete(shift.value.id)
    Y.applyUpdate(bob.docs.open(MONTH), Y.encodeStateAsUpdate(wiper))
    await meetAndSettle(all)
    await new Promise((resolve) => setTimeout(resolve, 1_700))
    await meetAndSettle(all)
    for (const d of all) expect(readShiftData(d.docs).shifts.map((s) => s.id)).toEqual([shift.value.id])
  })

  it('a checked signature is remembered: after a restart the stored records read at once, without checking again', async () => {
    const { staff, alice, all } = await community()
    postNotice(staff.docs, staff.clock, staff.person, { title: '停水通知', body: '' })
    await meetAndSettle(all)
    expect(notices(alice)).toEqual(['停水通知'])
    await new Promise((resolve) => setTimeout(resolve, 2_100)) // the checks are written to disk after 2 s
    expect([...alice.memory.keys()].some((name) => name.startsWith('checked.'))).toBe(true)

    // Alice's phone starts again from what it stored, with the same memory.
    const stored = Y.encodeStateAsUpdate(alice.docs.open(STANDING))
    const again = await device('alice', alice.memory, alice.keys)
    Y.applyUpdate(again.docs.open(STANDING), stored)
    // Read synchronously, before any check could have run.
    expect(notices(again)).toEqual(['停水通知'])
  })

  it('a phone that has just joined checks what its first screen shows first: the rest waits until this month has come in, or a moment at most', async () => {
    const { staff, alice, authority } = await community()
    postNotice(staff.docs, staff.clock, staff.person, { title: '停水通知', body: '' })
    publishShift(staff.docs, staff.clock, staff.person, { title: '帮厨', category: 'canteen', place: '食堂', date: TODAY, start: '10:00', end: '12:00', places: 2, notes: '', skill: '' }, TODAY)
    postRequest(alice.docs, alice.clock, alice.person, { kind: 'need', category: 'errand', title: '买菜', details: '', when: '', where: '', urgency: 'normal', forName: '', materials: [], due: '' }, TODAY)
    await meetAndSettle([staff, alice])
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
    const readAll = (d: Device) => Object.values(publicSpace(d.docs)).forEach((map) => map.forEach(() => {}))
    const shown = (d: Device) => ({ notices: notices(d), shifts: readShiftData(d.docs).shifts.length, requests: readAidData(d.docs).requests.length })

    for (const monthComes of [true, false]) {
      const newcomer = await device(`new${monthComes}`, new Map(), undefined, [STANDING, MONTH])
      newcomer.gate.setAuthority(authority)
      // The standing doc arrives first: its notice is checked, its help request waits.
      Y.applyUpdate(newcomer.docs.open(STANDING), Y.encodeStateAsUpdate(staff.docs.open(STANDING)))
      readAll(newcomer)
      await pause(100)
      expect(shown(newcomer)).toEqual({ notices: ['停水通知'], shifts: 0, requests: 0 })
      if (monthComes) {
        // This month arrives: its shift is checked, and then the rest.
        Y.applyUpdate(newcomer.docs.open(MONTH), Y.encodeStateAsUpdate(staff.docs.open(MONTH)))
        readAll(newcomer)
        await pause(100)
        expect(shown(newcomer)).toEqual({ notices: ['停水通知'], shifts: 1, requests: 1 })
      } else {
        // This month never comes (nobody has it): the rest is checked a moment later.
        await pause(400)
        readAll(newcomer)
        expect(shown(newcomer)).toEqual({ notices: ['停水通知'], shifts: 0, requests: 1 })
      }
    }

    // A founder alone holds only its own records: they count as arrived, so the first
    // help request from a peer is checked at once, not after the wait.
    const founder = await device('founder', new Map(), staff.keys, [STANDING, MONTH])
    founder.gate.setAuthority(authority)
    postNotice(founder.docs, founder.clock, staff.person, { title: '开会', body: '' })
    publishShift(founder.docs, founder.clock, staff.person, { title: '送餐', category: 'canteen', place: '食堂', date: TODAY, start: '10:00', end: '12:00', places: 2, notes: '', skill: '' }, TODAY)
    readAll(founder)
    await pause(100)
    Y.applyUpdate(founder.docs.open(STANDING), Y.encodeStateAsUpdate(alice.docs.open(STANDING)))
    readAll(founder)
    await pause(100)
    expect(shown(founder).requests).toBe(1)
  })

  it('an unsigned record is nobody\'s after a restart, even under this device\'s client id: refused, never signed (a screen said "Saving…" until it was signed)', async () => {
    const { staff, authority } = await community()
    // The first session never gets its keys: the browser is killed before the signing pass.
    const killed = new SpaceDocs()
    const gate = makeSignedRecords({ docs: killed, store: 'room', community: 'c1', space: 'public', keys: new Promise<never>(() => {}), memory: memoryOf(new Map()) })
    gate.setAuthority(authority)
    killed.gate = gate
    postNotice(killed, staff.clock, staff.person, { title: '临时停电', body: '' })
    const stored = Y.encodeStateAsUpdate(killed.open(STANDING))
    const key = [...killed.open(STANDING).getMap<Record<string, unknown>>('notices').keys()][0]!

    const again = await device('staff', new Map(), staff.keys)
    again.gate.setAuthority(authority)
    // Its doc even has the client id that wrote it: that proves nothing.
    again.docs.open(STANDING).clientID = killed.open(STANDING).clientID
    Y.applyUpdate(again.docs.open(STANDING), stored)
    expect(notices(again)).toEqual([])
    await settle([again])
    expect(again.docs.open(STANDING).getMap<Record<string, unknown>>('notices').get(key)!.sig).toBeUndefined()
    expect(again.gate.refused()).toMatchObject([{ collection: 'notices', why: 'unsigned' }])
  })

  it('a write is signed by the time ownSigned resolves', async () => {
    const { staff } = await community()
    postNotice(staff.docs, staff.clock, staff.person, { title: '明天义诊', body: '' })
    await staff.gate.ownSigned()
    const [written] = [...staff.docs.open(STANDING).getMap<Record<string, unknown>>('notices').values()]
    expect(written!.sig).toBeDefined()
  })

  it('a removed device: its records made before the removal still count, those after do not', async () => {
    const { staff, bob, authority } = await community()
    const removedAt = bob.clock.tick()
    const before = { id: 'x', personId: 'bob', updatedAt: '' }
    const after = { ...before }
    const removal: Authority = { ...authority, roles: new Map([...authority.roles].filter(([k]) => k !== bob.keys.publicKey)), removed: new Map([[bob.keys.publicKey, { role: 'resident', at: removedAt }]]) }
    before.updatedAt = formatStamp(1, 0, 'bob')
    after.updatedAt = bob.clock.tick()
    expect(mayWrite(removal, 'signups', 's1|bob', before, bob.keys.publicKey)).toBe(true)
    expect(mayWrite(removal, 'signups', 's1|bob', after, bob.keys.publicKey)).toBe(false)
    expect(mayWrite(removal, 'signups', 's1|bob', { ...before, personId: 'alice' }, bob.keys.publicKey)).toBe(false)
    expect(mayWrite(authority, 'notices', 'k', { stamp: before.updatedAt }, staff.keys.publicKey)).toBe(true)
    expect(mayWrite(authority, 'members', 'bob', { deviceId: 'bob', role: 'staff' }, bob.keys.publicKey)).toBe(false)
    expect(mayWrite(authority, 'members', 'bob', { deviceId: 'bob', role: 'resident' }, bob.keys.publicKey)).toBe(true)
  })
})

function withoutSig(record: Record<string, unknown>) {
  const { sig: _, ...rest } = record
  return rest
}
