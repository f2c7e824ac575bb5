import { afterAll, describe, expect, it, vi } from 'vitest'
import { DATES, instantOf } from '../dates'
import { agendaDays, dayOf, daysBetween, isDay, keptMonths, monthOf, monthsAround, monthsOfWeek, plusDays, today, weekDays, weekdayOf, weekStart } from '../../src/domain/calendar'
import { HybridClock } from '../../src/domain/hlc'
import { SpaceDocs, STANDING, docNameOf, isDocNameNear } from '../../src/store/space-docs'
import { readShiftData, shiftCommands, staffShiftCommands } from '../../src/store/shifts'
import { readCanteen, staffCanteenCommands } from '../../src/store/canteen'
import { ensureDropbox, orderCommands } from '../../src/trust/orders'
import type { Writer } from '../../src/store/collection'
import { weeksAhead } from '../e2e/journeys'

// The unit sweep: what the app decides from today (the week shown, the months kept,
// what may be published, signed up for, reserved or copied), run as if it were each of
// the chosen dates in tests/dates.ts. The app reads today from Date, which is set here.

afterAll(() => {
  vi.useRealTimers()
})

const staff = { id: 'staff', name: '王主任' }
const volunteer = { id: 'v1', name: '李阿姨' }
const writer = (docs: SpaceDocs, person: { id: string; name: string }): Writer => ({ docs, clock: new HybridClock(person.id), actor: () => ({ ...person, staff: true }) })
const shiftDraft = (date: string) => ({ title: '助餐', category: 'canteen' as const, place: '食堂', date, start: '10:30', end: '12:30', places: 2, notes: '', skill: '' })
const lunch = (day: string) => ({ day, meal: 'lunch' as const, dishes: ['红烧豆腐', '米饭'], seats: 20, cutoff: '09:00', delivery: true })

describe.each(DATES)('on $day ($why)', ({ day }) => {
  const at = () => vi.setSystemTime(instantOf(day))

  it('the calendar: today, its week (Monday first, today first in the agenda), the months shown and kept', () => {
    at()
    expect(today()).toBe(day)
    const monday = weekStart(day)
    expect(weekdayOf(monday)).toBe(1)
    expect(daysBetween(monday, day)).toBeGreaterThanOrEqual(0)
    expect(daysBetween(monday, day)).toBeLessThan(7)
    expect(agendaDays(monday, day)[0]).toBe(day)
    expect(new Set(agendaDays(monday, day))).toEqual(new Set(weekDays(day)))
    const tomorrow = plusDays(day, 1)
    expect(isDay(tomorrow)).toBe(true)
    expect(daysBetween(day, tomorrow)).toBe(1)
    const [thisMonth, nextMonth] = monthsAround(day)
    expect(thisMonth).toBe(monthOf(day))
    expect(nextMonth).toBe(monthOf(plusDays(`${monthOf(day)}-28`, 7)))
    const kept = keptMonths(day)
    expect(kept).toHaveLength(8)
    expect(new Set(kept).size).toBe(8)
    expect(kept.slice(1, 3)).toEqual([thisMonth, nextMonth])
    expect(monthsOfWeek(monday)).toContain(monthOf(day))
  })

  it('the months a peer may make this device keep: three years back to two ahead, whatever today is', () => {
    at()
    const monthAt = (months: number) => {
      const d = new Date(instantOf(day))
      d.setDate(1)
      d.setMonth(d.getMonth() + months)
      return monthOf(dayOf(d))
    }
    for (const near of [0, -36, 24, 1, -1, 12]) expect(isDocNameNear(monthAt(near)), `${near} months`).toBe(true)
    for (const far of [-37, 25, -1200, 1200]) expect(isDocNameNear(monthAt(far)), `${far} months`).toBe(false)
    expect(isDocNameNear(STANDING)).toBe(true)
    for (const name of ['0000-01', '9999-12', '2026-13', 'junk']) expect(isDocNameNear(name)).toBe(false)
  })

  it('every day of the next 70 is reached by stepping forward week by week from this week (the journey helper)', () => {
    at()
    for (let ahead = 0; ahead <= 70; ahead++) {
      const date = plusDays(day, ahead)
      const steps = weeksAhead(day, date)
      expect(weekDays(plusDays(weekStart(day), 7 * steps)), `${date}, ${steps} weeks on`).toContain(date)
    }
  })

  it('shifts: today and tomorrow may be published (yesterday not), each filed in its month; a weekly series from today; attendance is marked today, not ahead', () => {
    at()
    const docs = new SpaceDocs()
    const admin = staffShiftCommands(writer(docs, staff))
    const mine = shiftCommands(writer(docs, volunteer))
    const yesterday = plusDays(day, -1)
    const tomorrow = plusDays(day, 1)
    expect(admin.publish(shiftDraft(yesterday)).ok).toBe(false)
    const now = admin.publish(shiftDraft(day))
    const next = admin.publish(shiftDraft(tomorrow))
    if (!now.ok || !next.ok) throw new Error('a shift for today or tomorrow was refused')
    expect(docNameOf(now.value.id)).toBe(monthOf(day))
    expect(docNameOf(next.value.id)).toBe(monthOf(tomorrow))
    const series = admin.publishSeries(shiftDraft(day), { weekdays: [weekdayOf(day)], from: day, until: plusDays(day, 35) })
    if (!series.ok) throw new Error(`the series was refused: ${JSON.stringify(series.problems)}`)
    expect(series.value.map((s) => s.date)).toEqual([0, 7, 14, 21, 28, 35].map((n) => plusDays(day, n)))
    expect(series.value.every((s) => docNameOf(s.id) === monthOf(s.date))).toBe(true)
    expect(mine.signUp(now.value.id).ok).toBe(true)
    expect(mine.signUp(next.value.id).ok).toBe(true)
    expect(admin.markAttendance(now.value.id, volunteer.id, 'attended').ok).toBe(true)
    expect(admin.markAttendance(next.value.id, volunteer.id, 'attended')).toMatchObject({ ok: false, problems: { shift: 'problem.attendanceTooEarly' } })
    expect(readShiftData(docs).shifts).toHaveLength(8)
  })

  it("the canteen: today's lunch has closed at 09:00, tomorrow's is open; this week's menus are copied into next week, across the month or year", async () => {
    at() // 10:00
    const docs = new SpaceDocs()
    const staffDocs = new SpaceDocs()
    const admin = staffCanteenCommands(writer(docs, staff), writer(staffDocs, staff))
    const elder = orderCommands(writer(docs, volunteer), 'c1')
    await ensureDropbox(docs, staffDocs, new HybridClock(staff.id))
    const tomorrow = plusDays(day, 1)
    const thisWeek = weekDays(day).filter((d) => d >= day)
    const published = [...new Set([...thisWeek, tomorrow])] // on a Sunday, tomorrow is next week's
    for (const d of published) expect(admin.publishMenu(lunch(d)).ok, d).toBe(true)
    const request = { elderCode: 'ABC234', meal: 'lunch' as const, mode: 'eatIn' as const, count: 1 }
    expect(await elder.reserve({ ...request, day }, false)).toMatchObject({ ok: false, problems: { meal: 'problem.pastCutoff' } })
    expect((await elder.reserve({ ...request, day: tomorrow }, false)).ok).toBe(true)
    const copied = admin.copyLastWeek(plusDays(weekStart(day), 7))
    expect(copied.map((m) => m.day)).toEqual(thisWeek.map((d) => plusDays(d, 7)))
    expect(copied.every((m) => docNameOf(m.id) === monthOf(m.day))).toBe(true)
    expect(readCanteen(docs).menus).toHaveLength(published.length + copied.length)
  })
})
