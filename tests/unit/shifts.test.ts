import { SpaceDocs } from '../../src/store/space-docs'
import { describe, expect, it } from 'vitest'
import { HybridClock } from '../../src/domain/hlc'
import { checkSeriesDraft, checkShiftDraft, hoursByVolunteer, shiftView, type SeriesDraft, type ShiftDraft } from '../../src/domain/shifts'
import { seriesDates, weeklyRule } from '../../src/domain/schedule'
import { statusOf } from '../../src/domain/places'
import { calendarText, escapeText, foldLine } from '../../src/domain/ics'
import { acceptSwap, cancelShift, editShift, markAttendance, offerPlace, publishSeries, publishShift, readShiftData, signUp, takePlace, withdraw, withdrawOffer } from '../../src/store/shifts'
import * as Y from 'yjs'

const TODAY = '2026-11-23' // a Monday
const draft = (over: Partial<ShiftDraft> = {}): ShiftDraft => ({
  title: '食堂帮厨',
  category: 'canteen',
  place: '社区食堂',
  date: TODAY,
  start: '10:30',
  end: '13:00',
  places: 2,
  notes: '',
  skill: '',
  ...over,
})
const series = (over: Partial<SeriesDraft> = {}): SeriesDraft => {
  const { date: _date, ...rest } = draft()
  return { ...rest, weekdays: [1, 3, 5], from: TODAY, until: '2026-12-06', ...over }
}
const staff = { id: 'staff1', name: '王主任' }
const vol = (n: number) => ({ id: `v${n}`, name: `志愿者${n}` })

function setup() {
  let wall = 1_800_000_000_000
  const docs = new SpaceDocs()
  const clock = new HybridClock('dev1', () => (wall += 1000))
  return { docs, clock }
}

describe('shift drafts say what is wrong', () => {
  it('refuses end before start, zero or negative places, a new shift in the past', () => {
    expect(checkShiftDraft(draft({ end: '10:00' }), TODAY, true)).toMatchObject({ ok: false, problems: { end: 'problem.endBeforeStart' } })
    expect(checkShiftDraft(draft({ end: '10:30' }), TODAY, true)).toMatchObject({ ok: false, problems: { end: 'problem.endBeforeStart' } })
    expect(checkShiftDraft(draft({ places: 0 }), TODAY, true)).toMatchObject({ ok: false, problems: { places: 'problem.placesAtLeastOne' } })
    expect(checkShiftDraft(draft({ places: -2 }), TODAY, true)).toMatchObject({ ok: false, problems: { places: 'problem.placesAtLeastOne' } })
    expect(checkShiftDraft(draft({ places: 1.5 }), TODAY, true)).toMatchObject({ ok: false, problems: { places: 'problem.placesAtLeastOne' } })
    expect(checkShiftDraft(draft({ date: '2026-11-22' }), TODAY, true)).toMatchObject({ ok: false, problems: { date: 'problem.dateInPast' } })
    expect(checkShiftDraft(draft({ date: '2026-11-22' }), TODAY, false).ok).toBe(true)
    expect(checkShiftDraft(draft({ title: ' ', start: '25:00' }), TODAY, true)).toMatchObject({ ok: false, problems: { title: 'problem.required', start: 'problem.badTime' } })
    expect(checkShiftDraft(draft(), TODAY, true).ok).toBe(true)
  })

  it('refuses a series with no weekdays, an end before its start, or no dates at all', () => {
    expect(checkSeriesDraft(series({ weekdays: [] }), TODAY)).toMatchObject({ ok: false, problems: { weekdays: 'problem.noWeekdays' } })
    expect(checkSeriesDraft(series({ until: '2026-11-01' }), TODAY)).toMatchObject({ ok: false, problems: { until: 'problem.untilBeforeFrom' } })
    expect(checkSeriesDraft(series({ until: '2028-01-01' }), TODAY)).toMatchObject({ ok: false, problems: { until: 'problem.seriesTooLong' } })
    expect(checkSeriesDraft(series({ weekdays: [7], until: TODAY }), TODAY)).toMatchObject({ ok: false, problems: { weekdays: 'problem.noDatesInRange' } })
  })
})

describe('series expansion', () => {
  it('gives every Monday, Wednesday and Friday in the range, inclusive', () => {
    expect(seriesDates([1, 3, 5], '2026-11-23', '2026-12-04')).toEqual(['2026-11-23', '2026-11-25', '2026-11-27', '2026-11-30', '2026-12-02', '2026-12-04'])
  })
  it('crosses a month and a year boundary', () => {
    expect(seriesDates([4], '2026-12-24', '2027-01-08')).toEqual(['2026-12-24', '2026-12-31', '2027-01-07'])
  })
  it('writes the weekly rule calendar apps understand', () => {
    expect(weeklyRule({ weekdays: [1, 3, 5], from: '2026-11-23', until: '2026-12-31' })).toBe('FREQ=WEEKLY;BYDAY=MO,WE,FR;UNTIL=20261231T235959')
  })
  it('stores one record per date; one can be edited or cancelled alone', () => {
    const { docs, clock } = setup()
    const result = publishSeries(docs, clock, staff, series(), TODAY)
    if (!result.ok) throw new Error(JSON.stringify(result.problems))
    expect(result.value.map((s) => s.date)).toEqual(['2026-11-23', '2026-11-25', '2026-11-27', '2026-11-30', '2026-12-02', '2026-12-04'])
    expect(new Set(result.value.map((s) => s.seriesId)).size).toBe(1)
    const [first, second] = result.value
    expect(editShift(docs, clock, second!.id, { ...draft(), date: second!.date, start: '11:00' }, TODAY).ok).toBe(true)
    expect(cancelShift(docs, clock, staff, first!.id, '停电').ok).toBe(true)
    const data = readShiftData(docs)
    expect(data.shifts.find((s) => s.id === second!.id)?.start).toBe('11:00')
    expect(data.shifts.filter((s) => s.start === '10:30')).toHaveLength(5)
    expect([...data.cancellations.keys()]).toEqual([first!.id])
  })
})

describe('a shift is filed under its month', () => {
  it('gets an id that begins with its month, and an edit may move it within that month only', () => {
    const { docs, clock } = setup()
    const shift = publishShift(docs, clock, staff, draft({ date: '2026-11-30' }), TODAY)
    if (!shift.ok) throw new Error('publish failed')
    expect(shift.value.id.startsWith('2026-11_')).toBe(true)
    expect(editShift(docs, clock, shift.value.id, draft({ date: '2026-11-28' }), TODAY).ok).toBe(true)
    const moved = editShift(docs, clock, shift.value.id, draft({ date: '2026-12-01' }), TODAY)
    expect(moved).toEqual({ ok: false, problems: { date: 'problem.otherMonth' } })
    expect(readShiftData(docs).shifts[0]!.date).toBe('2026-11-28')
  })
})

describe('places, waitlist and promotion', () => {
  it('confirms the first sign-ups, waitlists the rest, promotes on withdrawal', () => {
    const { docs, clock } = setup()
    const shift = publishShift(docs, clock, staff, draft({ places: 2 }), TODAY)
    if (!shift.ok) throw new Error('publish failed')
    for (const n of [1, 2, 3, 4]) expect(signUp(docs, clock, shift.value.id, vol(n), vol(n)).ok).toBe(true)
    const view = () => {
      const data = readShiftData(docs)
      return shiftView(data.shifts[0]!, data.signups, data.cancellations.has(shift.value.id))
    }
    expect(view().confirmed.map((s) => s.personId)).toEqual(['v1', 'v2'])
    expect(view().waitlist.map((s) => s.personId)).toEqual(['v3', 'v4'])
    expect(statusOf(view(), 'v4')).toEqual({ status: 'waitlisted', position: 2 })

    withdraw(docs, clock, shift.value.id, 'v1', vol(1))
    expect(view().confirmed.map((s) => s.personId)).toEqual(['v2', 'v3'])
    expect(view().placesLeft).toBe(0)
    // Signing up again goes to the back of the line.
    signUp(docs, clock, shift.value.id, vol(1), vol(1))
    expect(view().waitlist.map((s) => s.personId)).toEqual(['v4', 'v1'])
  })

  it('a capacity cut moves the latest to the waitlist; a cancelled shift confirms no one', () => {
    const { docs, clock } = setup()
    const shift = publishShift(docs, clock, staff, draft({ places: 3 }), TODAY)
    if (!shift.ok) throw new Error('publish failed')
    for (const n of [1, 2, 3]) signUp(docs, clock, shift.value.id, vol(n), vol(n))
    editShift(docs, clock, shift.value.id, draft({ places: 1 }), TODAY)
    let data = readShiftData(docs)
    expect(shiftView(data.shifts[0]!, data.signups, false).waitlist.map((s) => s.personId)).toEqual(['v2', 'v3'])
    cancelShift(docs, clock, staff, shift.value.id, '')
    data = readShiftData(docs)
    const cancelled = shiftView(data.shifts[0]!, data.signups, true)
    expect(cancelled).toMatchObject({ cancelled: true, confirmed: [], waitlist: [], placesLeft: 0 })
    expect(statusOf(cancelled, 'v1').status).toBe('none')
    expect(signUp(docs, clock, shift.value.id, vol(9), vol(9))).toEqual({ ok: false, problems: { shift: 'problem.shiftCancelled' } })
  })

  it('staff sign up someone without a phone; the entry says who made it', () => {
    const { docs, clock } = setup()
    const shift = publishShift(docs, clock, staff, draft(), TODAY)
    if (!shift.ok) throw new Error('publish failed')
    const result = signUp(docs, clock, shift.value.id, { id: 'name:张大爷', name: '张大爷' }, staff)
    expect(result.ok && result.value).toMatchObject({ personName: '张大爷', byId: 'staff1', byName: '王主任' })
  })
})

describe('hours', () => {
  it('counts attended, confirmed, not-cancelled shifts by month and year', () => {
    const { docs, clock } = setup()
    const a = publishShift(docs, clock, staff, draft({ date: '2026-11-23', start: '09:00', end: '11:30', places: 1 }), TODAY)
    const b = publishShift(docs, clock, staff, draft({ date: '2026-12-01', start: '14:00', end: '15:00' }), TODAY)
    const c = publishShift(docs, clock, staff, draft({ date: '2026-11-23', start: '14:00', end: '16:00' }), TODAY)
    if (!a.ok || !b.ok || !c.ok) throw new Error('publish failed')
    signUp(docs, clock, a.value.id, vol(1), vol(1))
    signUp(docs, clock, a.value.id, vol(2), vol(2)) // waitlisted: attendance does not count
    signUp(docs, clock, b.value.id, vol(1), vol(1))
    signUp(docs, clock, c.value.id, vol(1), vol(1))
    markAttendance(docs, clock, a.value.id, 'v1', 'attended', staff, '2026-12-31')
    markAttendance(docs, clock, a.value.id, 'v2', 'attended', staff, '2026-12-31')
    markAttendance(docs, clock, b.value.id, 'v1', 'attended', staff, '2026-12-31')
    markAttendance(docs, clock, c.value.id, 'v1', 'noshow', staff, '2026-12-31')
    expect(markAttendance(docs, clock, b.value.id, 'v1', 'attended', staff, '2026-11-30')).toEqual({ ok: false, problems: { shift: 'problem.attendanceTooEarly' } })
    const data = readShiftData(docs)
    const views = data.shifts.map((s) => shiftView(s, data.signups, data.cancellations.has(s.id)))
    expect(hoursByVolunteer(views, data.attendance, '2026-11')).toEqual([{ volunteerId: 'v1', name: '志愿者1', shifts: 1, minutes: 150 }])
    expect(hoursByVolunteer(views, data.attendance, '2026')).toEqual([{ volunteerId: 'v1', name: '志愿者1', shifts: 2, minutes: 210 }])
  })
})

describe('iCalendar export', () => {
  it('escapes commas, semicolons, backslashes and newlines', () => {
    expect(escapeText('a,b;c\\d\ne')).toBe('a\\,b\\;c\\\\d\\ne')
  })
  it('folds long lines at 75 octets without splitting a Chinese character', () => {
    const folded = foldLine('SUMMARY:' + '社区食堂帮厨'.repeat(10))
    const lines = folded.split('\r\n')
    expect(lines.length).toBeGreaterThan(1)
    for (const line of lines) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75)
    expect(lines.map((l, i) => (i === 0 ? l : l.slice(1))).join('')).toBe('SUMMARY:' + '社区食堂帮厨'.repeat(10))
  })
  it('writes a calendar with CRLF line ends and floating local times', () => {
    const text = calendarText('我的志愿岗位', [{ uid: 's1@neighbours', title: '送餐, 三号楼', date: '2026-11-23', start: '10:30', end: '13:00', location: '食堂', description: '第一行\n第二行' }], new Date('2026-11-23T01:02:03Z'))
    expect(text).toContain('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')
    expect(text).toContain('DTSTART:20261123T103000\r\nDTEND:20261123T130000\r\n')
    expect(text).toContain('SUMMARY:送餐\\, 三号楼\r\n')
    expect(text).toContain('DESCRIPTION:第一行\\n第二行\r\n')
    expect(text).toContain('DTSTAMP:20261123T010203Z')
    expect(text.endsWith('END:VEVENT\r\nEND:VCALENDAR\r\n')).toBe(true)
  })
})

describe('giving a place away', () => {
  const viewOf = (docs: SpaceDocs) => {
    const data = readShiftData(docs)
    return shiftView(data.shifts[0]!, data.signups, data.cancellations.has(data.shifts[0]!.id), data.offers, data.takes)
  }
  const names = (docs: SpaceDocs) => {
    const view = viewOf(docs)
    return { confirmed: view.confirmed.map((e) => e.personId), waitlist: view.waitlist.map((e) => e.personId) }
  }

  it('the taker stands where the giver stood; hours count for whoever attended', () => {
    const { docs, clock } = setup()
    const shift = publishShift(docs, clock, staff, draft({ places: 1 }), TODAY)
    if (!shift.ok) throw new Error('publish failed')
    const id = shift.value.id
    signUp(docs, clock, id, vol(1), vol(1))
    signUp(docs, clock, id, vol(2), vol(2))
    // Nobody can take what is not offered; the giver must hold a place.
    expect(takePlace(docs, clock, id, 'v1', vol(3), vol(3), TODAY)).toEqual({ ok: false, problems: { offer: 'problem.offerGone' } })
    expect(offerPlace(docs, clock, id, vol(3), null, vol(3), TODAY)).toEqual({ ok: false, problems: { entry: 'problem.notSignedUp' } })
    expect(offerPlace(docs, clock, id, vol(1), vol(4), vol(1), TODAY).ok).toBe(true)
    expect(takePlace(docs, clock, id, 'v1', vol(3), vol(3), TODAY)).toEqual({ ok: false, problems: { offer: 'problem.offerNotForYou' } })
    expect(takePlace(docs, clock, id, 'v1', vol(4), vol(4), TODAY).ok).toBe(true)
    expect(names(docs)).toEqual({ confirmed: ['v4'], waitlist: ['v2'] })
    expect(viewOf(docs).transfers.map((x) => `${x.giverName}>${x.takerName}`)).toEqual(['志愿者1>志愿者4'])
    // The giver holds nothing now; the taker can give it up, and the next one waiting moves up.
    expect(withdraw(docs, clock, id, 'v1', vol(1))).toEqual({ ok: false, problems: { entry: 'problem.notSignedUp' } })
    markAttendance(docs, clock, id, 'v4', 'attended', staff, TODAY)
    const data = readShiftData(docs)
    expect(hoursByVolunteer([viewOf(docs)], data.attendance, '2026-11').map((h) => h.volunteerId)).toEqual(['v4'])
    expect(withdraw(docs, clock, id, 'v4', vol(4)).ok).toBe(true)
    expect(names(docs)).toEqual({ confirmed: ['v2'], waitlist: [] })
  })

  it('an offer can be kept back until someone takes it; a withdrawal takes the offer with it', () => {
    const { docs, clock } = setup()
    const shift = publishShift(docs, clock, staff, draft(), TODAY)
    if (!shift.ok) throw new Error('publish failed')
    const id = shift.value.id
    signUp(docs, clock, id, vol(1), vol(1))
    offerPlace(docs, clock, id, vol(1), null, vol(1), TODAY)
    expect(withdrawOffer(docs, clock, id, 'v1').ok).toBe(true)
    expect(takePlace(docs, clock, id, 'v1', vol(2), vol(2), TODAY)).toEqual({ ok: false, problems: { offer: 'problem.offerGone' } })
    offerPlace(docs, clock, id, vol(1), null, vol(1), TODAY)
    withdraw(docs, clock, id, 'v1', vol(1))
    expect(viewOf(docs).offers.size).toBe(0)
    expect(offerPlace(docs, clock, id, vol(1), null, vol(1), '2026-11-24')).toEqual({ ok: false, problems: { shift: 'problem.shiftOver' } })
  })

  it('two takers while apart: after they meet, the earlier take holds the place and the other is told', () => {
    const phone = (device: string, start: number) => {
      let wall = start
      return { docs: new SpaceDocs(), clock: new HybridClock(device, () => (wall += 1000)) }
    }
    const a = phone('a', 1_800_000_000_000)
    const b = phone('b', 1_800_000_100_000)
    const shift = publishShift(a.docs, a.clock, staff, draft({ places: 1 }), TODAY)
    if (!shift.ok) throw new Error('publish failed')
    const id = shift.value.id
    signUp(a.docs, a.clock, id, vol(1), vol(1))
    offerPlace(a.docs, a.clock, id, vol(1), null, vol(1), TODAY)
    const sync = (from: SpaceDocs, to: SpaceDocs) => from.opened.forEach((doc, name) => Y.applyUpdate(to.open(name), Y.encodeStateAsUpdate(doc)))
    sync(a.docs, b.docs)
    // Apart: v2 takes on phone a, and a little later v3 on phone b.
    expect(takePlace(a.docs, a.clock, id, 'v1', vol(2), vol(2), TODAY).ok).toBe(true)
    expect(takePlace(b.docs, b.clock, id, 'v1', vol(3), vol(3), TODAY).ok).toBe(true)
    expect(names(b.docs).confirmed).toEqual(['v3'])
    sync(a.docs, b.docs)
    sync(b.docs, a.docs)
    for (const docs of [a.docs, b.docs]) {
      expect(names(docs)).toEqual({ confirmed: ['v2'], waitlist: [] })
      expect(viewOf(docs).lost.map((l) => `${l.takerId}:${l.reason}`)).toEqual(['v3:takenFirst'])
    }
  })

  it('a place given stays given when the giver signs up again and offers again', () => {
    const { docs, clock } = setup()
    const shift = publishShift(docs, clock, staff, draft({ places: 1 }), TODAY)
    if (!shift.ok) throw new Error('publish failed')
    const id = shift.value.id
    signUp(docs, clock, id, vol(1), vol(1))
    offerPlace(docs, clock, id, vol(1), null, vol(1), TODAY)
    takePlace(docs, clock, id, 'v1', vol(2), vol(2), TODAY)
    // v1 joins the waitlist again and offers that place: v2 keeps the place v1 gave.
    expect(signUp(docs, clock, id, vol(1), vol(1)).ok).toBe(true)
    expect(offerPlace(docs, clock, id, vol(1), null, vol(1), TODAY).ok).toBe(true)
    expect(names(docs)).toEqual({ confirmed: ['v2'], waitlist: ['v1'] })
    expect(viewOf(docs).transfers.map((x) => `${x.giverId}>${x.takerId}`)).toEqual(['v1>v2'])
  })

  it('a place received in a swap can be given up; the next one waiting moves up', () => {
    const { docs, clock } = setup()
    const x = publishShift(docs, clock, staff, draft({ places: 1, title: 'X' }), TODAY)
    const y = publishShift(docs, clock, staff, draft({ places: 1, title: 'Y' }), TODAY)
    if (!x.ok || !y.ok) throw new Error('publish failed')
    signUp(docs, clock, x.value.id, vol(1), vol(1))
    signUp(docs, clock, x.value.id, vol(3), vol(3))
    signUp(docs, clock, y.value.id, vol(2), vol(2))
    const proposal = offerPlace(docs, clock, x.value.id, vol(1), vol(2), vol(1), TODAY, y.value.id)
    if (!proposal.ok) throw new Error('not proposed')
    expect(acceptSwap(docs, clock, proposal.value, vol(2), TODAY).ok).toBe(true)
    const lineOf = (shiftId: string) => {
      const data = readShiftData(docs)
      const view = shiftView(data.shifts.find((s) => s.id === shiftId)!, data.signups, false, data.offers, data.takes)
      return [...view.confirmed, ...view.waitlist].map((e) => e.personId)
    }
    expect([lineOf(x.value.id), lineOf(y.value.id)]).toEqual([['v2', 'v3'], ['v1']])
    expect(withdraw(docs, clock, x.value.id, 'v2', vol(2)).ok).toBe(true)
    expect([lineOf(x.value.id), lineOf(y.value.id)]).toEqual([['v3'], ['v1']])
    // A swap with a shift of another month is refused (both are read together).
    const later = publishShift(docs, clock, staff, draft({ date: '2026-12-02' }), TODAY)
    if (!later.ok) throw new Error('publish failed')
    signUp(docs, clock, later.value.id, vol(4), vol(4))
    expect(offerPlace(docs, clock, y.value.id, vol(1), vol(4), vol(1), TODAY, later.value.id)).toEqual({ ok: false, problems: { to: 'problem.otherMonth' } })
  })
})
