import { createRoot } from 'solid-js'
import { describe, expect, it } from 'vitest'
import { deriveStatus } from '../../src/domain/aid'
import { allocateSeats, ordersFor } from '../../src/domain/canteen'
import { formatStamp, HybridClock } from '../../src/domain/hlc'
import { shiftView } from '../../src/domain/shifts'
import { publishActivity, publishGroup, joinGroup, readActivityData, rsvp, rate } from '../../src/store/activities'
import { postRequest, readAidData, step } from '../../src/store/aid'
import { concernStep, liveConcernData, reportConcern } from '../../src/store/concerns'
import { putPrivateStep, registerPrivateErrand, saveService, setAgent } from '../../src/store/errands'
import { collectionsIn, liveOfFeatures, staffLiveOfFeatures } from '../../src/session/features'
import { concernStatus } from '../../src/domain/concerns'
import { addElder, markDoor, publishMenu, readCanteen, reserve, saveRound, setPrices, setStandingOrder } from '../../src/store/canteen'
import { publicSpace, staffSpace } from '../../src/store/layout'
import { liveTrust } from '../../src/store/trust'
import { publishMember } from '../../src/store/members'
import { postNotice, withdrawNotice } from '../../src/store/notices'
import { ShownMonths, type LiveCollection } from '../../src/store/reactive'
import { markAttendance, offerPlace, publishShift, readShiftData, signUp, takePlace } from '../../src/store/shifts'
import { followUp, logVisit, readVisitData, saveHousehold } from '../../src/store/visits'
import { putReply, putShare } from '../../src/store/shares'
import { fakeTag, FAKE_SEALED } from '../canteen-fake'
import { replyKey, shareIdOf } from '../../src/domain/shares'
import { dueOf, monthReport } from '../../src/domain/visits'
import { SpaceDocs, type SpaceMap } from '../../src/store/space-docs'
import { pick, seededRandom, type Random } from '../convergence/harness'

// What a modified app or a broken peer could write: 1,000 records mutated field by
// field (wrong types, huge strings, NaN, far-future stamps, script tags, keys of other
// months, not records at all) written into every collection of both spaces. Every
// live collection must read them without an exception, count each one it does not
// show, and still show every good record; what screens derive from them must not throw.

const TODAY = '2026-11-23'
const MONTHS = ['2026-10', '2026-11', '2026-12', '2027-01']
const FAR_FUTURE = formatStamp(4_102_444_800_000, 0, 'evil') // the year 2100
const SCRIPT = '<script>alert(1)</script><img src=x onerror=alert(2)>'

/** A community with records in as many collections as the commands reach. */
function community() {
  const docs = new SpaceDocs()
  const staff = new SpaceDocs()
  const clock = new HybridClock('staffdev1', () => Date.parse(`${TODAY}T08:00:00Z`))
  const me = { id: 'staffdev1', name: '王主任' }
  const v = { id: 'vol1', name: '小刘' }
  publishMember(docs, clock, '王主任', 'staff')
  const notice = postNotice(docs, clock, me, { title: '停水通知', body: '周三' })
  postNotice(docs, clock, me, { title: '体检', body: '' })
  if (notice.ok) withdrawNotice(docs, clock, me, notice.value.id)
  for (const date of ['2026-11-24', '2026-12-05', '2027-01-10']) {
    const shift = publishShift(docs, clock, me, { title: '帮厨', category: 'canteen', place: '', date, start: '10:00', end: '12:00', places: 2, notes: '', skill: '' }, TODAY)
    if (!shift.ok) throw new Error('shift')
    signUp(docs, clock, shift.value.id, v, v)
    signUp(docs, clock, shift.value.id, { id: 'vol2', name: '小张' }, { id: 'vol2', name: '小张' })
    markAttendance(docs, clock, shift.value.id, v.id, 'attended', me, date)
    // A place offered and taken, on each shift.
    offerPlace(docs, clock, shift.value.id, v, null, v, TODAY)
    takePlace(docs, clock, shift.value.id, v.id, { id: 'vol3', name: '小李' }, { id: 'vol3', name: '小李' }, TODAY)
  }
  const group = publishGroup(docs, clock, me, { name: '腰鼓队', category: 'dance', description: '', meetingPlace: '', meetingTime: '', contact: '' })
  if (group.ok) joinGroup(docs, clock, group.value.id, v)
  const activity = publishActivity(docs, clock, me, { title: '排练', groupId: null, category: 'dance', place: '', date: TODAY, start: '07:00', end: '08:00', description: '', capacity: 10, leader: '' }, TODAY)
  if (activity.ok) {
    rsvp(docs, clock, activity.value.id, v, v)
    rate(docs, clock, activity.value.id, v, 5, '好', TODAY, '09:00')
  }
  const request = postRequest(docs, clock, v, { kind: 'need', category: 'errand', title: '买菜', details: '', when: '', where: '', urgency: 'normal', forName: '', materials: [], due: '' }, TODAY)
  if (request.ok) step(docs, clock, request.value.id, 'take', me, { volunteer: v, stars: 5, note: '' }, () => true)
  const concern = reportConcern(docs, clock, v, { category: 'repairs', what: '楼道灯坏了', where: '3号楼', source: 'app', forName: '' })
  if (concern.ok) concernStep(docs, clock, concern.value.id, 'passUp', me, { to: '街道', note: '照片' }, () => true, TODAY)
  saveService(docs, clock, { name: '养老金资格认证', serviceClass: 'socialSecurity', materials: ['身份证'], where: '街道社保窗口', fee: '', days: '周一至周五', takesDays: '5', sensitive: false })
  setAgent(docs, clock, v, '13800000000', true)
  saveService(docs, clock, { name: '低保申请', serviceClass: 'welfare', materials: [], where: '', fee: '', days: '', takesDays: '', sensitive: true }, 'svc-dibao')
  const errand = registerPrivateErrand(docs, staff, clock, { serviceId: 'svc-dibao', applicant: '周秀英', phone: '', address: '', materials: [], due: '', note: '' }, TODAY)
  if (errand.ok) putPrivateStep(staff, clock, { errandId: errand.value.id, type: 'dispatched', agentId: v.id, agentName: v.name, day: TODAY, byId: me.id, byName: me.name })
  setPrices(docs, clock, { full: 12, subsidised: 6, visitor: 15, cost: { lunch: 16 } })
  publishMenu(docs, clock, me, { day: '2026-11-24', meal: 'lunch', dishes: ['米饭', '青菜'], seats: 20, cutoff: '09:00', delivery: true }, TODAY)
  reserve(docs, clock, { tag: fakeTag('AB12CD', 'lunch'), day: '2026-11-24', meal: 'lunch', mode: 'eatIn', count: 1 }, FAKE_SEALED, me, true, TODAY, '08:00')
  setStandingOrder(docs, clock, { tag: fakeTag('EF34GH', 'lunch'), meal: 'lunch', weekdays: [2, 3], mode: 'delivery', count: 1 }, FAKE_SEALED, me, TODAY, '08:00')
  addElder(staff, clock, { name: '李奶奶', building: '3', unit: '1', phone: '13800000000', emergencyName: '', emergencyPhone: '', diets: [], allergies: '', tier: 'standard', service: 'delivery', deliveryNote: '' })
  const round = saveRound(staff, clock, { day: '2026-11-24', meal: 'lunch', name: '3号楼', stops: ['EF34GH'], volunteerId: v.id, volunteerName: v.name })
  if (round.ok) {
    markDoor(staff, clock, round.value.id, 'EF34GH', 'delivered', '', v)
    // A round sealed to its volunteer, and a door mark back (the boxes are opaque here).
    const id = shareIdOf(round.value.id)
    putShare(docs, staff, clock, { id, kind: 'round', ref: round.value.id, personId: v.id, keys: { [v.id]: { from: 'a', iv: 'b', box: 'c' } }, iv: 'd', box: 'e', until: '2026-11-24' }, { id, kind: 'round', ref: round.value.id, personId: v.id, key: 'k', until: '2026-11-24' })
    putReply(docs, clock, replyKey(id, 'EF34GH', v.id), id, v, { iv: 'f', box: 'g' })
  }
  const household = saveHousehold(staff, clock, { grid: '3号楼', label: '李奶奶', elderCode: '', building: '3', unit: '1', room: '', phone: '', reason: 'alone', every: 'week', visitorId: v.id, visitorName: v.name }, TODAY)
  if (household.ok) {
    logVisit(staff, docs, clock, household.value.id, 'well', '', v, TODAY)
    const urgent = logVisit(staff, docs, clock, household.value.id, 'urgent', '摔倒', v, TODAY)
    if (urgent.ok) followUp(staff, clock, urgent.value.visit.id, me)
  }
  return { docs, staff, clock }
}

/** Every record of every collection of a space, by map, with the key it is stored under. */
function recordsOf(maps: Record<string, SpaceMap>) {
  return Object.entries(maps).map(([name, map]) => ({ name, map, records: [...map.docNames()].flatMap((docName) => [...map.keysIn(docName)].map((key) => ({ key, value: map.shardIn(docName)!.get(key) }))) }))
}

type Mutation = (value: Record<string, unknown>, field: string, random: Random) => unknown

const mutations: Record<string, Mutation> = {
  wrongType: (value, field) => ({ ...value, [field]: typeof value[field] === 'string' ? 12345 : typeof value[field] === 'number' ? '12' : Array.isArray(value[field]) ? 'list' : typeof value[field] === 'boolean' ? 'yes' : [] }),
  hugeString: (value, field) => ({ ...value, [field]: '长'.repeat(200_000) }),
  notANumber: (value, field) => ({ ...value, [field]: Number.NaN }),
  infinity: (value, field) => ({ ...value, [field]: Number.POSITIVE_INFINITY }),
  farFutureStamp: (value, field) => ({ ...value, [field]: FAR_FUTURE }),
  scriptTag: (value, field) => ({ ...value, [field]: SCRIPT }),
  missing: (value, field) => Object.fromEntries(Object.entries(value).filter(([k]) => k !== field)),
  nulled: (value, field) => ({ ...value, [field]: null }),
  notARecord: (_value, _field, random) => pick(random, [42, 'text', null, true, [1, 2], { nothing: 'here' }]),
}

/**
 * A copy of a good record under a key of its own (so the original still shows): the
 * key's last part, and every field holding it, get a suffix, so the copy unmutated is
 * as valid as the original (checked by the control copies below).
 */
function rekey(key: string, value: unknown, suffix: string): { key: string; value: unknown } {
  const last = key.split(/[|_]/).pop()!
  const newLast = `${last}${suffix}`
  const newKey = key.slice(0, key.length - last.length) + newLast
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { key: newKey, value }
  const copy = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v === key ? newKey : v === last ? newLast : v]))
  return { key: newKey, value: copy }
}

/** Moves a key into another month (the record's fields still name the old one). */
const otherMonth = (key: string, random: Random) => {
  const month = key.slice(0, 7)
  return MONTHS.includes(month) ? pick(random, MONTHS.filter((m) => m !== month)) + key.slice(7) : key
}

/** Every live collection the session reads, from the list of features (session/features.ts): a collection no feature reads fails the count below. */
function live(docs: SpaceDocs, staff: SpaceDocs, clock: HybridClock) {
  const months = new ShownMonths(MONTHS)
  const ctx = { pub: docs, staff, clock, shown: { shifts: months, activities: months, canteen: months, visits: months } }
  const given = liveOfFeatures(ctx)
  const collections = [liveTrust(docs, clock), ...collectionsIn(given), ...collectionsIn(staffLiveOfFeatures({ ...ctx, staff }))]
  return { collections, reservations: given.canteen.reservations, reservationsOn: given.canteen.reservationsOn }
}

/** What the screens derive from the records (the convergence tests' views). */
function screens(docs: SpaceDocs, staff: SpaceDocs) {
  const shifts = readShiftData(docs)
  shifts.shifts.forEach((shift) => shiftView(shift, shifts.signups, shifts.cancellations.has(shift.id), shifts.offers, shifts.takes))
  readActivityData(docs)
  const aid = readAidData(docs)
  aid.requests.forEach((r) => deriveStatus(r, aid.events, () => true))
  const concerns = liveConcernData(docs, new HybridClock('reader'))
  const events = concerns.events.ids().map((id) => concerns.events.byId[id]!)
  concerns.concerns.ids().forEach((id) => concernStatus(concerns.concerns.byId[id]!, events, () => true))
  const canteen = readCanteen(docs, staff)
  canteen.menus.forEach((m) => allocateSeats(ordersFor(m.day, m.meal, canteen.reservations, canteen.standing), m.seats))
  const visits = readVisitData(staff)
  visits.households.forEach((h) => dueOf(h, visits.visits, TODAY))
  monthReport(visits.households, visits.visits, '2026-11', TODAY)
}

const totals = (collections: LiveCollection<object>[]) => ({
  shown: collections.reduce((sum, c) => sum + c.ids().length, 0),
  skipped: collections.reduce((sum, c) => sum + c.skipped(), 0),
})

describe('records from peers are checked on read', () => {
  it('1,000 mutated records in every collection: no exception, each counted, the good ones still shown', () => {
    createRoot((dispose) => {
      const random = seededRandom(2026)
      const { docs, staff, clock } = community()
      const spaces = [...recordsOf(publicSpace(docs)), ...recordsOf(staffSpace(staff))]
      const withRecords = spaces.filter((s) => s.records.length > 0)
      expect(withRecords.length).toBeGreaterThanOrEqual(20)
      const { collections, reservations, reservationsOn } = live(docs, staff, clock)
      const good = collections.map((c) => [...c.ids()])
      const before = totals(collections)
      expect(before.skipped).toBe(0)

      // Control: a good record copied under a key of its own shows, not skipped, in every
      // collection whose ids are free (a reservation's id is its day, meal and card, say:
      // there a copy cannot be valid, and those collections get junk and moved keys instead).
      const rekeyable = new Set<(typeof spaces)[number]>()
      let controls = 0
      for (const space of withRecords) {
        const { key, value } = space.records[0]!
        const copy = rekey(key, value, `ok${controls++}`)
        const was = totals(collections)
        space.map.set(copy.key, copy.value)
        const now = totals(collections)
        if (now.shown === was.shown + 1 && now.skipped === was.skipped) rekeyable.add(space)
        else expect(now).toEqual({ shown: was.shown, skipped: was.skipped + 1 })
      }
      expect(rekeyable.size).toBeGreaterThanOrEqual(12)
      const afterControls = totals(collections)

      // 1,000 mutated copies, spread over every collection (junk where it has no records).
      let injected = 0
      const kinds: Record<string, number> = {}
      const shownKinds: Record<string, string[]> = {}
      for (let i = 0; i < 1000; i++) {
        const space = spaces[i % spaces.length]!
        const kind = pick(random, Object.keys(mutations))
        kinds[kind] = (kinds[kind] ?? 0) + 1
        let key: string
        let value: unknown
        if (!rekeyable.has(space)) {
          key = `${pick(random, MONTHS)}-fuzz${i}`
          value = mutations.notARecord!({}, 'id', random)
        } else {
          const original = pick(random, space.records)
          const copy = rekey(original.key, original.value, `fz${i}`)
          const record = copy.value && typeof copy.value === 'object' ? (copy.value as Record<string, unknown>) : {}
          const field = pick(random, Object.keys(record).length > 0 ? Object.keys(record) : ['id'])
          key = random() < 0.1 ? otherMonth(copy.key, random) : copy.key
          value = mutations[kind]!(record, field, random)
        }
        // A key of a month no screen shows is not read at all: it cannot reach a screen.
        if (!MONTHS.includes(key.slice(0, 7)) && /^\d{4}-\d{2}/.test(key)) continue
        const was = totals(collections).shown
        expect(() => space.map.set(key, value)).not.toThrow()
        if (totals(collections).shown > was) shownKinds[kind] = [...(shownKinds[kind] ?? []), space.name]
        injected++
      }
      expect(injected).toBeGreaterThan(900)
      expect(() => screens(docs, staff)).not.toThrow()

      const after = totals(collections)
      expect(after.skipped - afterControls.skipped).toBeGreaterThan(injected / 2)
      // Every injected record is either shown (still a valid record, e.g. a name that
      // is a script tag, shown as text) or skipped and counted; none vanishes unseen.
      expect(after.shown - afterControls.shown + after.skipped - afterControls.skipped).toBe(injected)
      // What still shows is valid data: text that looks like markup (shown as text), a
      // stamp far ahead (ordered by it, kept out of the clock), an optional field left out,
      // a nullable field set to null (an offer's or take's withdrawnAt/releasedAt: not withdrawn).
      const nullable = new Set(['shiftOffers', 'shiftTakes'])
      expect(Object.entries(shownKinds).filter(([kind, where]) => !['scriptTag', 'farFutureStamp', 'missing'].includes(kind) && !(kind === 'nulled' && where.every((name) => nullable.has(name)))).map(([kind]) => kind)).toEqual([])
      // Every good record still shows.
      collections.forEach((c, i) => expect(c.ids()).toEqual(expect.arrayContaining(good[i]!)))
      // A day's reservations, read on their own, are the month's valid ones of that day.
      const days = new Set(reservations.ids().map((id) => reservations.byId[id]!.day))
      expect(days.size).toBeGreaterThan(0)
      for (const day of days) {
        const ofDay = reservations.ids().filter((id) => reservations.byId[id]!.day === day)
        expect(reservationsOn.of(day).map((r) => r.id).sort()).toEqual(ofDay.sort())
      }
      console.log(JSON.stringify({ fuzz: { collections: spaces.length, rekeyable: rekeyable.size, injected, skipped: after.skipped - afterControls.skipped, shownAnyway: after.shown - afterControls.shown, kinds, shownKinds } }))
      dispose()
    })
  })
})
