import { describe, expect, it } from 'vitest'
import { shiftView } from '../../src/domain/shifts'
import { cancelShift, editShift, publishShift, readShiftData, signUp, withdraw } from '../../src/store/shifts'
import { convergenceProperty, convergenceRun, pick, runConvergence, type Phone } from './harness'

// Five phones, hundreds of random sign-ups, withdrawals, capacity edits and
// cancellations, delivered in random order over links that fail. Afterwards every
// phone must show the same confirmed list and waitlist for every shift, and no
// shift may ever show more confirmed volunteers than places. Shifts fall in three
// months, each month a doc of its own, delivered independently of the others.

const TODAY = '2026-11-23'
// Shifts in three months, so their entries travel in three docs (rooms) of their own.
const DATES = ['2026-11-23', '2026-12-05', '2027-01-10']

function views(phone: Phone) {
  const data = readShiftData(phone.doc)
  return data.shifts
    .map((shift) => shiftView(shift, data.signups, data.cancellations.has(shift.id)))
    .sort((a, b) => (a.shift.id < b.shift.id ? -1 : 1))
}

const shiftRun = convergenceRun({
  phones: 5,
  command(phone, random) {
    const data = readShiftData(phone.doc)
    const volunteer = { id: `p${phone.index}v${Math.floor(random() * 3)}`, name: `志愿者 ${phone.index}` }
    const roll = random()
    if (roll < 0.08 || data.shifts.length === 0) {
      const places = 1 + Math.floor(random() * 3)
      publishShift(phone.doc, phone.clock, volunteer, { title: '帮厨', category: 'canteen', place: '', date: pick(random, DATES), start: '10:00', end: '12:00', places, notes: '', skill: '' }, TODAY)
      return
    }
    const shift = pick(random, data.shifts)
    if (roll < 0.6) {
      signUp(phone.doc, phone.clock, shift.id, volunteer, volunteer)
    } else if (roll < 0.7) {
      // staff on this phone sign up someone without a phone
      const person = { id: `name:老人${Math.floor(random() * 4)}`, name: '老人' }
      signUp(phone.doc, phone.clock, shift.id, person, volunteer)
    } else if (roll < 0.88) {
      const mine = data.signups.filter((s) => s.recordId === shift.id && s.active)
      if (mine.length > 0) withdraw(phone.doc, phone.clock, shift.id, pick(random, mine).personId, volunteer)
    } else if (roll < 0.97) {
      const { id: _id, seriesId: _s, createdBy: _c, stamp: _st, editedAt: _e, ...draft } = shift
      editShift(phone.doc, phone.clock, shift.id, { ...draft, places: 1 + Math.floor(random() * 4) }, TODAY)
    } else {
      cancelShift(phone.doc, phone.clock, volunteer, shift.id, '')
    }
  },
  view(phone) {
    return views(phone).map((v) => ({
      id: v.shift.id,
      places: v.shift.places,
      cancelled: v.cancelled,
      confirmed: v.confirmed.map((s) => s.personId),
      waitlist: v.waitlist.map((s) => s.personId),
    }))
  },
  invariant(view) {
    for (const shift of view) {
      expect(shift.confirmed.length).toBeLessThanOrEqual(shift.places)
      if (shift.cancelled) expect(shift.confirmed).toEqual([])
      const everyone = [...shift.confirmed, ...shift.waitlist]
      expect(new Set(everyone).size).toBe(everyone.length)
      // Nobody waits while a place is free.
      if (!shift.cancelled && shift.waitlist.length > 0) expect(shift.confirmed.length).toBe(shift.places)
    }
  },
})

describe('shift places converge', () => {
  for (const seed of [11, 12, 13, 14, 15]) {
    it(`seed ${seed}: same confirmed list and waitlist everywhere, never over capacity`, () => {
      const { views: all, network } = runConvergence({ ...shiftRun, seed, steps: 500 })
      expect(all[0]!.length).toBeGreaterThan(3)
      expect(all[0]!.some((s) => s.waitlist.length > 0)).toBe(true)
      for (const view of all) expect(view).toEqual(all[0])
      for (const phone of network.phones) expect([...phone.doc.opened.keys()].sort()).toEqual(['2026-11', '2026-12', '2027-01', 'standing'])
    })
  }
  convergenceProperty('any schedule: same lists and docs everywhere, never over capacity', shiftRun)
})
