import { describe, expect, it } from 'vitest'
import { formatStamp, HybridClock } from '../../src/domain/hlc'
import type { Elder, Round } from '../../src/domain/canteen'
import { SpaceDocs } from '../../src/store/space-docs'
import { publicSpace, staffSpace } from '../../src/store/layout'
import { readCanteen } from '../../src/store/canteen'
import { readShareData } from '../../src/store/shares'
import { logSharedVisit, markSharedDoor, openShare, openVisitReply, settleShares, shareRound, shareVisits } from '../../src/trust/shares'
import { readVisitData } from '../../src/store/visits'
import type { Household } from '../../src/domain/visits'
import { makeKeys, type DeviceKeys } from '../../src/trust/keys'
import type { Verdict } from '../../src/domain/trust'

/** A stamp from before the round was shared (what staff wrote the round and households with). */
const STAMP = formatStamp(Date.parse('2026-11-20T08:00:00Z'), 0, 'staffdev')

// A round sealed to its volunteer's devices: only they open it, their door marks come
// back sealed and any staff device opens them into the round; past its day it is gone.

const DAY = '2026-11-27'
const elder = (id: string, name: string): Elder => ({ id, name, building: '3', unit: '1', phone: '13800000000', emergencyName: '女儿', emergencyPhone: '13900000000', diets: ['lowSalt'], allergies: '花生', tier: 'standard', service: 'delivery', deliveryNote: '敲门大声', stamp: STAMP })
const elders = new Map([['AB12CD', elder('AB12CD', '李奶奶')], ['EF34GH', elder('EF34GH', '王爷爷')], ['JK56LM', elder('JK56LM', '赵奶奶')]])
const round: Round = { id: '2026-11_round1', day: DAY, meal: 'lunch', name: '午餐 · 3号楼', stops: ['AB12CD', 'EF34GH'], volunteerId: 'vol1', volunteerName: '小刘', stamp: STAMP }

async function setup() {
  let wall = 1_800_000_000_000
  const clock = (device: string) => new HybridClock(device, () => (wall += 1000))
  const [phone, otherPhone, stranger, impostor, removed] = await Promise.all([makeKeys(), makeKeys(), makeKeys(), makeKeys(), makeKeys()])
  const device = (keys: DeviceKeys, person: string) => [keys.publicKey, { sealKey: keys.agreementKey, label: person, person }] as const
  // What the community's signed records say: each device's own record (with the person it
  // claims), its role, who each device writes as, and who was removed. The impostor made a
  // device record claiming vol1 but was never granted a role; vol1's old phone was removed.
  const devices = new Map([device(phone, 'vol1'), device(otherPhone, 'vol1'), device(stranger, 'vol2'), device(impostor, 'vol1'), device(removed, 'vol1')])
  const granted = [phone, otherPhone, stranger, removed].map((k) => k.publicKey)
  const verdict = {
    devices,
    roles: new Map(granted.map((key) => [key, 'resident' as const])),
    revoked: new Map([[removed.publicKey, 3]]),
    authority: { people: new Map([[phone.publicKey, 'vol1'], [otherPhone.publicKey, 'vol1'], [stranger.publicKey, 'vol2'], [removed.publicKey, 'vol1']]) },
  } as unknown as Verdict
  // Staff hold the round in the staff space: what comes back is checked against it.
  const staff = new SpaceDocs()
  staff.transact(() => staffSpace(staff).rounds.put(round.id, round))
  return { pub: new SpaceDocs(), staff, staffClock: clock('staffdev'), volunteerClock: clock('voldev'), phone, otherPhone, stranger, impostor, removed, devices: verdict }
}

describe('a round sealed to its volunteer', () => {
  it('opens on each of the volunteer\'s devices only, and holds only their stops', async () => {
    const { pub, staff, staffClock, phone, otherPhone, stranger, impostor, removed, devices } = await setup()
    const sealed = await shareRound(pub, staff, staffClock, round, elders, devices)
    if (!sealed.ok) throw new Error('not sealed')
    // What travels in the public space names nobody.
    const stored = JSON.stringify(readShareData(pub).shares)
    for (const name of ['李奶奶', '王爷爷', '13800000000', '花生']) expect(stored).not.toContain(name)
    for (const keys of [phone, otherPhone]) {
      const opened = await openShare(keys, sealed.value)
      if (opened?.kind !== 'round') throw new Error('not a round')
      expect(opened.round.stops.map((s) => s.name)).toEqual(['李奶奶', '王爷爷'])
      expect(opened.round.stops[0]).toMatchObject({ allergies: '花生', emergencyPhone: '13900000000' })
    }
    // Nor does a device that only claims to be theirs, or one that was removed.
    for (const keys of [stranger, impostor, removed]) expect(await openShare(keys, sealed.value)).toBeNull()
    // A round without a volunteer, or whose volunteer has no device keys, cannot be sealed.
    expect(await shareRound(pub, staff, staffClock, { ...round, volunteerId: '' }, elders, devices)).toEqual({ ok: false, problems: { round: 'problem.noVolunteer' } })
    expect(await shareRound(pub, staff, staffClock, { ...round, volunteerId: 'vol9' }, elders, devices)).toEqual({ ok: false, problems: { share: 'problem.noDeviceKey' } })
  })

  it('door marks come back sealed; a staff device opens them into the round once; a changed one is not read', async () => {
    const { pub, staff, staffClock, volunteerClock, phone, devices } = await setup()
    const sealed = await shareRound(pub, staff, staffClock, round, elders, devices)
    if (!sealed.ok) throw new Error('not sealed')
    const opened = (await openShare(phone, sealed.value))!
    const me = { id: 'vol1', name: '小刘' }
    expect((await markSharedDoor(pub, volunteerClock, opened, { code: 'AB12CD', result: 'delivered', note: '', name: '小刘' }, me)).ok).toBe(true)
    expect(await markSharedDoor(pub, volunteerClock, opened, { code: 'EF34GH', result: 'concern', note: ' ', name: '小刘' }, me)).toEqual({ ok: false, problems: { note: 'problem.concernNeedsNote' } })
    expect(await markSharedDoor(pub, volunteerClock, opened, { code: 'JK56LM', result: 'delivered', note: '', name: '小刘' }, me)).toEqual({ ok: false, problems: { stop: 'problem.notFound' } })
    await markSharedDoor(pub, volunteerClock, opened, { code: 'EF34GH', result: 'concern', note: '没开门，电话不通', name: '小刘' }, me)
    expect(JSON.stringify(readShareData(pub).replies)).not.toContain('没开门')
    // A reply's key names its stop by a tag under the share's key, never by its meal-card code.
    expect(readShareData(pub).replies.map((r) => r.id).join()).not.toMatch(/AB12CD|EF34GH/)

    expect(await settleShares(pub, staff, staffClock, DAY)).toEqual({ imported: 2, ended: 0 })
    const marks = readCanteen(pub, staff).marks
    expect(marks.map((m) => `${m.elderCode}:${m.result}:${m.note}:${m.byName}`).sort()).toEqual(['AB12CD:delivered::小刘', 'EF34GH:concern:没开门，电话不通:小刘'])
    expect(await settleShares(pub, staff, staffClock, DAY)).toEqual({ imported: 0, ended: 0 })
    // Sent again (a stop added): the phone's marks sealed before still open.
    const again = await shareRound(pub, staff, staffClock, { ...round, stops: [...round.stops, 'JK56LM'] }, elders, devices)
    if (!again.ok) throw new Error('not sent again')
    const reopened = await openShare(phone, again.value)
    expect(reopened?.kind === 'round' && reopened.round.stops).toHaveLength(3)
    await markSharedDoor(pub, volunteerClock, opened, { code: 'AB12CD', result: 'notHome', note: '', name: '小刘' }, me)
    expect(await settleShares(pub, staff, staffClock, DAY)).toEqual({ imported: 1, ended: 0 })

    // A reply by someone else, or a box moved under another stop's key, is not read.
    const stolen = readShareData(pub).replies[0]!
    publicSpace(pub).shareReplies.put(`${stolen.shareId}|EF34GH|vol1`, { ...stolen, id: `${stolen.shareId}|EF34GH|vol1`, stamp: volunteerClock.tick() })
    publicSpace(pub).shareReplies.put(`${stolen.shareId}|AB12CD|vol2`, { ...stolen, id: `${stolen.shareId}|AB12CD|vol2`, personId: 'vol2', stamp: volunteerClock.tick() })
    expect((await settleShares(pub, staff, staffClock, DAY)).imported).toBe(0)
    // A reply someone changed on the way does not open, and is not read.
    const reply = readShareData(pub).replies[0]!
    const box = reply.box
    publicSpace(pub).shareReplies.put(reply.id, { ...reply, box: (box[0] === 'A' ? 'B' : 'A') + box.slice(1), stamp: volunteerClock.tick() })
    expect((await settleShares(pub, staff, staffClock, DAY)).imported).toBe(0)
  })

  it('past its day the share leaves the public space; its key stays two weeks for marks sent back late', async () => {
    const { pub, staff, staffClock, volunteerClock, phone, devices } = await setup()
    const sealed = await shareRound(pub, staff, staffClock, round, elders, devices)
    if (!sealed.ok) throw new Error('not sealed')
    const opened = (await openShare(phone, sealed.value))!
    expect(await settleShares(pub, staff, staffClock, '2026-11-28')).toEqual({ imported: 0, ended: 1 })
    expect(readShareData(pub, staff).shares).toEqual([])
    // A mark made offline on the day arrives the next day: it still opens into the round.
    await markSharedDoor(pub, volunteerClock, opened, { code: 'AB12CD', result: 'delivered', note: '', name: '小刘' }, { id: 'vol1', name: '小刘' })
    expect((await settleShares(pub, staff, staffClock, '2026-11-28')).imported).toBe(1)
    // Ended by signed versions with nothing sealed left in them (a bare delete would be written back).
    const stored = publicSpace(pub).shares.get(sealed.value.id) as Record<string, unknown>
    expect(stored).toMatchObject({ ended: true, keys: {}, iv: '', box: '' })
    expect((await settleShares(pub, staff, staffClock, '2026-11-29')).ended).toBe(0)
    await settleShares(pub, staff, staffClock, '2026-12-12')
    expect(readShareData(pub, staff).keys).toEqual([])
    expect([...staffSpace(staff).shareKeys.keys()].map((id) => (staffSpace(staff).shareKeys.get(id) as Record<string, unknown>).key)).toEqual([''])
  })

  it('a visitor\'s households, sealed to their phones: visits come back sealed and become the staff space\'s visits', async () => {
    const { pub, staff, staffClock, volunteerClock, phone, stranger, devices } = await setup()
    const household = (id: string, visitorId: string): Household => ({ id, grid: '3号楼', label: `住户${id}`, elderCode: '', building: '3', unit: '1', room: '301', phone: '', reason: 'alone', every: 'week', visitorId, visitorName: '小刘', since: '2026-11-01', ended: false, stamp: STAMP })
    const households = [household('h1', 'vol1'), household('h2', 'vol2')]
    staff.transact(() => households.forEach((h) => staffSpace(staff).households.put(h.id, h)))
    const last = { id: '2026-11_x', householdId: 'h1', day: '2026-11-20', outcome: 'well' as const, note: '', visitorId: 'vol1', visitorName: '小刘', requestId: '', stamp: STAMP }
    const sealed = await shareVisits(pub, staff, staffClock, 'vol1', households, [last], devices, DAY)
    if (!sealed.ok) throw new Error('not sealed')
    expect(sealed.value).toMatchObject({ id: '2026-11_visits~vol1', until: '2026-11-30' })
    expect(JSON.stringify(sealed.value)).not.toContain('住户')
    const opened = await openShare(phone, sealed.value)
    if (opened?.kind !== 'visits') throw new Error('not opened')
    // Their own households only, with the last visit staff knew of.
    expect(opened.visits.households.map((h) => `${h.label}:${h.last}`)).toEqual(['住户h1:2026-11-20'])
    expect(await openShare(stranger, sealed.value)).toBeNull()
    const me = { id: 'vol1', name: '小刘' }
    expect(await logSharedVisit(pub, volunteerClock, opened, { householdId: 'h2', day: DAY, outcome: 'well', note: '', requestId: '', name: '小刘' }, me)).toEqual({ ok: false, problems: { household: 'problem.notFound' } })
    const logged = await logSharedVisit(pub, volunteerClock, opened, { householdId: 'h1', day: DAY, outcome: 'urgent', note: '摔倒了', requestId: '', name: '小刘' }, me)
    if (!logged.ok) throw new Error('not logged')
    expect((await openVisitReply(opened.key, logged.value))?.note).toBe('摔倒了')
    expect(await settleShares(pub, staff, staffClock, DAY)).toEqual({ imported: 1, ended: 0 })
    expect(await settleShares(pub, staff, staffClock, DAY)).toEqual({ imported: 0, ended: 0 })
    expect(readVisitData(staff).visits).toMatchObject([{ householdId: 'h1', outcome: 'urgent', note: '摔倒了', visitorId: 'vol1', visitorName: '小刘', day: DAY }])
  })
})
