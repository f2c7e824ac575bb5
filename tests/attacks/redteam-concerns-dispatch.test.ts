import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { concernEventKey, concernReport, concernStatus, ConcernEventSchema, ConcernSchema, isOverdue, open311, type Concern } from '../../src/domain/concerns'
import { deriveStatus, eventKey } from '../../src/domain/aid'
import { formatStamp } from '../../src/domain/hlc'
import { readCollection } from '../../src/store/collection'
import { publicSpace } from '../../src/store/layout'
import { STANDING } from '../../src/store/space-docs'
import { concernStep, reportConcern } from '../../src/store/concerns'
import { postRequest, readAidData, step } from '../../src/store/aid'
import { community, meetAndSettle, settle, meet, tamper, TODAY, type Device } from './peers'

// Red team: a resident with an ordinary invite and a modified client that writes raw,
// self-signed Yjs updates, against residents' concerns and help requests (dispatch as an offer).

const isStaffOf = (staff: Device) => (id: string) => id === staff.person.id

function concernView(d: Device, staff: Device) {
  const space = publicSpace(d.docs)
  const events = [...readCollection(space.concernEvents, ConcernEventSchema).records.values()]
  return [...readCollection(space.concerns, ConcernSchema).records.values()].map((c) => ({ what: c.what, forId: c.forId, by: c.reportedBy, ...pick(concernStatus(c, events, isStaffOf(staff))) }))
}
const pick = (s: ReturnType<typeof concernStatus>) => ({ state: s.state, reopened: s.reopened, satisfaction: s.rating?.satisfaction ?? null })

function aidView(d: Device, staff: Device) {
  const { requests, events } = readAidData(d.docs)
  return requests.map((r) => {
    const s = deriveStatus(r, events, isStaffOf(staff))
    return { title: r.title, state: s.state, taker: s.taker?.id ?? null, offered: s.offered?.id ?? null }
  })
}

const draftConcern = { category: 'repairs' as const, what: '3号楼楼道灯坏了', where: '3号楼', source: 'app' as const, forName: '' }
const draftAid = { kind: 'need' as const, category: 'errand' as const, title: '帮忙买药', details: '', when: '', where: '3号楼', urgency: 'normal' as const, forName: '', materials: [], due: '' }

const stored = (d: Device, collection: string, key: string) => {
  const { sig: _, ...rest } = d.docs.open(STANDING).getMap<Record<string, unknown>>(collection).get(key)!
  return rest
}

/** A raw Y.Map delete, as a modified app sends it. */
function rawDelete(attacker: Device, collection: string, key: string) {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(attacker.docs.open(STANDING)))
  doc.getMap(collection).delete(key)
  Y.applyUpdate(attacker.docs.open(STANDING), Y.encodeStateAsUpdate(doc, Y.encodeStateVector(attacker.docs.open(STANDING))))
}

/** A phone that joins later: it meets the others once and reads everything. */
async function join(newcomer: Device, devices: Device[]) {
  meet([...devices, newcomer])
  await settle([...devices, newcomer])
}

async function reported(c: Awaited<ReturnType<typeof community>>, by: Device) {
  const report = reportConcern(by.docs, by.clock, by.person, draftConcern)
  if (!report.ok) throw new Error('not reported')
  await meetAndSettle(c.all)
  return report.value
}

describe('red team: concerns', () => {
  it('a resident cannot rate someone else’s concern, and an unsatisfied reporter reopens it only once', async () => {
    const c = await community()
    const { staff, alice, bob, all } = c
    const concern = await reported(c, alice)
    expect(concernStep(staff.docs, staff.clock, concern.id, 'answer', staff.person, { note: '已报修' }, isStaffOf(staff), TODAY).ok).toBe(true)
    await meetAndSettle(all)
    // Bob rates Alice's concern, as himself (the gate lets a resident write 'rate'; the replay does not count it).
    const s1 = bob.clock.tick()
    await tamper(bob, 'concernEvents', concernEventKey(concern.id, s1), { id: concernEventKey(concern.id, s1), concernId: concern.id, type: 'rate', byId: 'bob', byName: 'bob', stamp: s1, solved: true, satisfaction: 'satisfied' })
    // … and as Alice, with a stamp ending in her id (his key is not hers).
    const s2 = formatStamp(Date.parse('2026-11-23T09:00:00'), 0, 'alice')
    await tamper(bob, 'concernEvents', concernEventKey(concern.id, s2), { id: concernEventKey(concern.id, s2), concernId: concern.id, type: 'rate', byId: 'alice', byName: 'alice', stamp: s2, solved: true, satisfaction: 'satisfied' })
    await meetAndSettle(all)
    for (const d of [staff, alice]) expect(concernView(d, staff)).toMatchObject([{ state: 'answered', reopened: 0 }])

    // Alice's modified app rates unsatisfied twice in a row, then again after the next answer: one reopening.
    for (let i = 0; i < 2; i++) {
      const s = alice.clock.tick()
      await tamper(alice, 'concernEvents', concernEventKey(concern.id, s), { id: concernEventKey(concern.id, s), concernId: concern.id, type: 'rate', byId: 'alice', byName: 'alice', stamp: s, solved: false, satisfaction: 'unsatisfied', note: '没修好' })
    }
    await meetAndSettle(all)
    for (const d of [staff, bob]) expect(concernView(d, staff)).toMatchObject([{ state: 'handling', reopened: 1 }])
    expect(concernStep(staff.docs, staff.clock, concern.id, 'resolve', staff.person, { note: '换了灯' }, isStaffOf(staff), TODAY).ok).toBe(true)
    await meetAndSettle(all)
    const s3 = alice.clock.tick()
    await tamper(alice, 'concernEvents', concernEventKey(concern.id, s3), { id: concernEventKey(concern.id, s3), concernId: concern.id, type: 'rate', byId: 'alice', byName: 'alice', stamp: s3, solved: false, satisfaction: 'unsatisfied', note: '还是不亮' })
    await meetAndSettle(all)
    for (const d of [staff, bob]) expect(concernView(d, staff)).toMatchObject([{ state: 'closed', reopened: 1 }])
  })

  it('a staff step’s signed event cannot be deleted, re-keyed or have its key reused by a resident', async () => {
    const c = await community()
    const { staff, alice, bob, all } = c
    const concern = await reported(c, alice)
    const accepted = concernStep(staff.docs, staff.clock, concern.id, 'accept', staff.person, { assignee: '王主任' }, isStaffOf(staff), TODAY)
    if (!accepted.ok) throw new Error('not accepted')
    await meetAndSettle(all)
    // Delete.
    rawDelete(bob, 'concernEvents', accepted.value.id)
    // Reuse the key (staff's stamp) for his own 'withdraw'.
    await tamper(bob, 'concernEvents', accepted.value.id, { ...accepted.value, type: 'note', note: '撤了', byId: 'bob', byName: 'bob' })
    // Replay staff's signed accept under a later key (its signature names the key it was made for).
    const later = formatStamp(Date.parse('2026-11-23T12:00:00'), 0, 'staff')
    const signed = staff.docs.open(STANDING).getMap<Record<string, unknown>>('concernEvents').get(accepted.value.id)!
    const doc = new Y.Doc()
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(bob.docs.open(STANDING)))
    doc.getMap('concernEvents').set(concernEventKey(concern.id, later), { ...signed, id: concernEventKey(concern.id, later), stamp: later })
    Y.applyUpdate(bob.docs.open(STANDING), Y.encodeStateAsUpdate(doc, Y.encodeStateVector(bob.docs.open(STANDING))))
    await meetAndSettle(all)
    await new Promise((r) => setTimeout(r, 1_800))
    await meetAndSettle(all)
    for (const d of [staff, alice]) {
      expect(concernView(d, staff)).toMatchObject([{ state: 'handling' }])
      const keys = [...readCollection(publicSpace(d.docs).concernEvents, ConcernEventSchema).records.keys()]
      expect(keys).toEqual([accepted.value.id])
    }
  })

  it('malformed concerns and steps crash no screen and change no honest concern', async () => {
    const c = await community()
    const { staff, alice, bob, all } = c
    const concern = await reported(c, alice)
    const s = () => bob.clock.tick()
    const junk: [string, string, unknown][] = [
      ['concerns', 'bob.a', 'a string'],
      ['concerns', 'bob.b', null],
      ['concerns', 'bob.c', { id: 'bob.c', category: 'nope', what: 'x', where: '', source: 'app', forId: 'bob', forName: 'bob', reportedBy: 'bob', reportedByName: 'bob', stamp: s() }],
      ['concerns', 'bob.d', { id: 'bob.d', category: 'other', what: 'x'.repeat(1999), where: '', source: 'app', forId: 'bob', forName: 'bob', reportedBy: 'bob', reportedByName: 'b'.repeat(1999), stamp: s() }],
    ]
    for (const [col, key, value] of junk) await tamper(bob, col, key, value as Record<string, unknown>)
    const ev = (concernId: string, extra: Record<string, unknown>) => {
      const stamp = s()
      return [concernEventKey(concernId, stamp), { id: concernEventKey(concernId, stamp), concernId, byId: 'bob', byName: 'bob', stamp, ...extra }] as const
    }
    for (const [key, value] of [
      ev(concern.id, { type: 'rate', satisfaction: 'bogus' }),
      ev(concern.id, { type: 'explode' }),
      ev('bob.nothing', { type: 'withdraw' }),
      ev(`${concern.id}|junk`, { type: 'withdraw' }),
      ev('bob.d', { type: 'rate', solved: true, satisfaction: 'satisfied', note: 'n'.repeat(499) }),
    ])
      await tamper(bob, 'concernEvents', key, value)
    await meetAndSettle(all)
    for (const d of [staff, alice]) {
      const space = publicSpace(d.docs)
      const events = [...readCollection(space.concernEvents, ConcernEventSchema).records.values()]
      const items = [...readCollection(space.concerns, ConcernSchema).records.values()].map((concern: Concern) => ({ concern, status: concernStatus(concern, events, isStaffOf(staff)) }))
      expect(() => concernReport(items, '2026-11')).not.toThrow()
      expect(() => open311(items, (x) => x, 'c1')).not.toThrow()
      expect(() => items.forEach((i) => isOverdue(i.concern, i.status, TODAY))).not.toThrow()
      expect(items.find((i) => i.concern.id === concern.id)?.status.state).toBe('new')
    }
  })

  it('a step dated over a day ahead is refused', async () => {
    const c = await community()
    const { staff, alice, all } = c
    const concern = await reported(c, alice)
    const ahead = formatStamp(Date.now() + 3 * 24 * 3_600_000, 0, 'alice')
    await tamper(alice, 'concernEvents', concernEventKey(concern.id, ahead), { id: concernEventKey(concern.id, ahead), concernId: concern.id, type: 'withdraw', byId: 'alice', byName: 'alice', stamp: ahead })
    await meetAndSettle(all)
    expect(concernView(staff, staff)).toMatchObject([{ state: 'new' }])
  })

  it('a reporter re-dating his concern changes nothing: its id says when it began, so even a phone that joins later keeps staff’s steps', async () => {
    const c = await community({ more: ['carol'], healAfterMs: 0 })
    const { staff, alice, bob, all } = c
    const carol = c.more[0]!
    const concern = await reported(c, bob)
    expect(concernStep(staff.docs, staff.clock, concern.id, 'accept', staff.person, {}, isStaffOf(staff), TODAY).ok).toBe(true)
    expect(concernStep(staff.docs, staff.clock, concern.id, 'passUp', staff.person, { to: '街道城管科', note: '已上报' }, isStaffOf(staff), TODAY).ok).toBe(true)
    await meetAndSettle(all)
    expect(concernView(alice, staff)).toMatchObject([{ state: 'passedUp' }])
    // Bob signs his own concern again with a stamp of now: a "newer version" the rule lets its reporter write.
    await tamper(bob, 'concerns', concern.id, { ...stored(bob, 'concerns', concern.id), stamp: bob.clock.tick() })
    await meetAndSettle(all)
    // The re-dated version fails its check everywhere (its id says when it began); honest
    // phones write the first version back, and that is what a newcomer receives.
    await new Promise((resolve) => setTimeout(resolve, 20))
    await meetAndSettle(all)
    await join(carol, all)
    for (const d of [staff, alice, carol]) expect(concernView(d, staff), d.name).toMatchObject([{ state: 'passedUp' }])
  })

  it('a reporter cannot rewrite his concern after staff answered it: a concern is written once', async () => {
    const c = await community()
    const { staff, alice, bob, all } = c
    const concern = await reported(c, bob)
    expect(concernStep(staff.docs, staff.clock, concern.id, 'answer', staff.person, { note: '已报修，本周内修好' }, isStaffOf(staff), TODAY).ok).toBe(true)
    await meetAndSettle(all)
    await tamper(bob, 'concerns', concern.id, { ...stored(bob, 'concerns', concern.id), category: 'dispute', what: '王主任收了我的钱不办事', stamp: bob.clock.tick() })
    await meetAndSettle(all)
    for (const d of [staff, alice]) expect(concernView(d, staff).map((v) => v.what), d.name).toEqual(['3号楼楼道灯坏了'])
  })

  it('a resident cannot file a concern in another member’s name (forId): only his own, or someone without a phone', async () => {
    const c = await community()
    const { staff, alice, bob, all } = c
    const key = `bob.${'x'.repeat(12)}`
    const stamp = bob.clock.tick()
    // The honest app writes forId = the reporter, or "name:…" for someone without a phone.
    await tamper(bob, 'concerns', key, { id: key, category: 'dispute', what: '楼上邻居天天吵，我要告他', where: '3号楼', source: 'app', forId: 'alice', forName: 'alice', reportedBy: 'bob', reportedByName: 'bob', stamp })
    await meetAndSettle(all)
    for (const d of [staff, alice]) expect(concernView(d, staff).filter((v) => v.forId === 'alice' && v.by !== 'alice'), d.name).toEqual([])
  })

  it('a reporter cannot rewrite his own signed rating in place (same key) to reopen a concern staff closed', async () => {
    const c = await community()
    const { staff, alice, bob, all } = c
    const concern = await reported(c, bob)
    expect(concernStep(staff.docs, staff.clock, concern.id, 'answer', staff.person, { note: '已修' }, isStaffOf(staff), TODAY).ok).toBe(true)
    await meetAndSettle(all)
    const rated = concernStep(bob.docs, bob.clock, concern.id, 'rate', bob.person, { solved: true, satisfaction: 'satisfied' }, isStaffOf(staff), TODAY)
    if (!rated.ok) throw new Error('not rated')
    await meetAndSettle(all)
    expect(concernView(alice, staff)).toMatchObject([{ state: 'closed', satisfaction: 'satisfied' }])
    // Weeks later: the same key, the same stamp, new content.
    await tamper(bob, 'concernEvents', rated.value.id, { ...rated.value, solved: false, satisfaction: 'unsatisfied', note: '根本没修' })
    await meetAndSettle(all)
    for (const d of [staff, alice]) expect(concernView(d, staff), d.name).toMatchObject([{ state: 'closed', satisfaction: 'satisfied' }])
  })
})

describe('red team: help requests and dispatch offers', () => {
  async function offered(c: Awaited<ReturnType<typeof community>>, poster: Device, volunteer: Device) {
    const posted = postRequest(poster.docs, poster.clock, poster.person, draftAid, TODAY)
    if (!posted.ok) throw new Error('not posted')
    await meetAndSettle(c.all)
    expect(step(c.staff.docs, c.staff.clock, posted.value.id, 'dispatch', c.staff.person, { volunteer: volunteer.person }, isStaffOf(c.staff)).ok).toBe(true)
    await meetAndSettle(c.all)
    return posted.value
  }

  it('a resident can neither dispatch nor accept an offer made to someone else', async () => {
    const c = await community()
    const { staff, alice, bob, all } = c
    const request = await offered(c, staff, alice)
    const ev = async (by: Device, extra: Record<string, unknown>, device = 'bob') => {
      const stamp = formatStamp(Date.parse('2026-11-23T20:00:00') + Math.floor(Math.random() * 1e6), 0, device)
      await tamper(by, 'aidEvents', eventKey(request.id, stamp), { id: eventKey(request.id, stamp), requestId: request.id, byName: 'x', stamp, ...extra })
    }
    await ev(bob, { type: 'accept', byId: 'bob' })
    await ev(bob, { type: 'accept', byId: 'alice' })
    await ev(bob, { type: 'accept', byId: 'alice' }, 'alice')
    await ev(bob, { type: 'dispatch', byId: 'bob', volunteerId: 'bob', volunteerName: 'bob', offer: true })
    await ev(bob, { type: 'dispatch', byId: 'staff', volunteerId: 'bob', volunteerName: 'bob' }, 'staff')
    await ev(bob, { type: 'take', byId: 'bob' })
    await meetAndSettle(all)
    for (const d of [staff, alice]) expect(aidView(d, staff), d.name).toMatchObject([{ state: 'offered', offered: 'alice', taker: null }])
    expect(step(alice.docs, alice.clock, request.id, 'accept', alice.person, {}, isStaffOf(staff)).ok).toBe(true)
    await meetAndSettle(all)
    for (const d of [staff, bob]) expect(aidView(d, staff), d.name).toMatchObject([{ state: 'taken', taker: 'alice' }])
  })

  it('a poster re-dating his request changes nothing, even on a phone that joins later: the dispatch and the accept stand', async () => {
    const c = await community({ more: ['carol'], healAfterMs: 0 })
    const { staff, alice, bob, all } = c
    const carol = c.more[0]!
    const request = await offered(c, bob, alice)
    expect(step(alice.docs, alice.clock, request.id, 'accept', alice.person, {}, isStaffOf(staff)).ok).toBe(true)
    await meetAndSettle(all)
    const now = bob.clock.tick()
    await tamper(bob, 'aidRequests', request.id, { ...stored(bob, 'aidRequests', request.id), stamp: now, editedAt: now })
    await meetAndSettle(all)
    // The re-dated version fails its check everywhere (its id says when it began); honest
    // phones write the first version back, and that is what a newcomer receives.
    await new Promise((resolve) => setTimeout(resolve, 20))
    await meetAndSettle(all)
    await join(carol, all)
    for (const d of [staff, alice, carol]) expect(aidView(d, staff), d.name).toMatchObject([{ state: 'taken', taker: 'alice' }])
  })

  it('a requester cannot rewrite his signed confirm into notDone in place: steps are written once', async () => {
    const c = await community()
    const { staff, alice, bob, all } = c
    const request = await offered(c, bob, alice)
    expect(step(alice.docs, alice.clock, request.id, 'accept', alice.person, {}, isStaffOf(staff)).ok).toBe(true)
    await meetAndSettle(all)
    expect(step(alice.docs, alice.clock, request.id, 'done', alice.person, { note: '药已送到' }, isStaffOf(staff)).ok).toBe(true)
    await meetAndSettle(all)
    const confirmed = step(bob.docs, bob.clock, request.id, 'confirm', bob.person, { stars: 5 }, isStaffOf(staff))
    if (!confirmed.ok) throw new Error('not confirmed')
    await meetAndSettle(all)
    const { stars: _, ...rest } = confirmed.value
    await tamper(bob, 'aidEvents', confirmed.value.id, { ...rest, type: 'notDone' })
    await meetAndSettle(all)
    for (const d of [staff, alice]) expect(aidView(d, staff), d.name).toMatchObject([{ state: 'closed', taker: 'alice' }])
  })
})
