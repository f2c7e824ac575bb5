import { SpaceDocs } from '../../src/store/space-docs'
import { describe, expect, it } from 'vitest'
import { allocateSeats, doorResults, ordersFor } from '../../src/domain/canteen'
import { HybridClock } from '../../src/domain/hlc'
import { cancelReservation, markDoor, publishMenu, readCanteen, reserve, saveRound, setStandingOrder } from '../../src/store/canteen'
import { fakeTag, FAKE_SEALED } from '../canteen-fake'
import { compare, convergenceProperty, convergenceRun, copySpace, pick, runConvergence, type Phone } from './harness'

// Reservations racing for the last seats, and door marks made at once by the
// volunteer and staff: every phone must end with the same board.

const TODAY = '2026-11-23'
const DAYS = ['2026-11-24', '2026-11-25']
const CODES = ['AAAAAA', 'BBBBBB', 'CCCCCC', 'DDDDDD', 'EEEEEE', 'FFFFFF', 'GGGGGG']

const staffOn = (phone: Phone) => ({ id: phone.deviceId, name: `p${phone.index}` })

const seatRun = convergenceRun({
  phones: 5,
  modifications: {
    publishMenu: [8, (phone, random) => {
      publishMenu(phone.docs, phone.clock, staffOn(phone), { day: pick(random, DAYS), meal: 'lunch', dishes: ['饭'], seats: 2 + Math.floor(random() * 4), cutoff: '09:00', delivery: true }, TODAY)
    }],
    reserve: [62, (phone, random) =>
      reserve(phone.docs, phone.clock, { tag: fakeTag(pick(random, CODES), 'lunch'), day: pick(random, DAYS), meal: 'lunch', mode: random() < 0.5 ? 'eatIn' : 'delivery', count: 1 + Math.floor(random() * 2) }, FAKE_SEALED, staffOn(phone), random() < 0.3, TODAY, '08:00').ok],
    cancelReservation: [20, (phone, random) => cancelReservation(phone.docs, phone.clock, fakeTag(pick(random, CODES), 'lunch'), pick(random, DAYS), 'lunch', FAKE_SEALED, staffOn(phone), TODAY, '08:00').ok],
    standingOrder: [10, (phone, random) => setStandingOrder(phone.docs, phone.clock, { tag: fakeTag(pick(random, CODES), 'lunch'), meal: 'lunch', weekdays: [2, 3], mode: 'delivery', count: 1 }, FAKE_SEALED, staffOn(phone), TODAY, '08:00').ok],
  },
  view(phone) {
    const data = readCanteen(phone.docs)
    return DAYS.map((day) => {
      const menu = data.menus.find((m) => m.day === day && m.meal === 'lunch')
      const view = allocateSeats(ordersFor(day, 'lunch', data.reservations, data.standing), menu?.seats ?? 0)
      return { day, seats: menu?.seats ?? 0, served: view.served.map((o) => `${o.tag}×${o.count}:${o.source}`), waiting: view.waiting.map((o) => o.tag) }
    })
  },
  invariant(view) {
    for (const day of view) {
      const used = day.served.reduce((s, o) => s + Number(o.split('×')[1]!.split(':')[0]), 0)
      expect(used).toBeLessThanOrEqual(day.seats)
    }
  },
})

describe('meal seats converge', () => {
  for (const seed of [41, 42, 43, 44]) {
    it(`seed ${seed}: the same served and waiting lists everywhere, never over the seats`, () => {
      const { views, network, applied } = runConvergence({ ...seatRun, seed, steps: 400 })
      for (const [name, times] of Object.entries(applied)) expect(times, name).toBeGreaterThan(0)
      expect(views[0]!.some((d) => d.waiting.length > 0)).toBe(true)
      compare(views, network)
    })
  }
  convergenceProperty('any schedule: same served and waiting lists everywhere, never over the seats', seatRun)
})

describe('door marks converge', () => {
  it('staff and the volunteer mark the same doors at once: the newest mark by HLC counts everywhere', () => {
    const base = new SpaceDocs()
    const setupClock = new HybridClock('setup', () => 1)
    const round = saveRound(base, setupClock, { day: TODAY, meal: 'lunch', name: '3号楼', stops: CODES, volunteerId: 'phone1', volunteerName: 'v' })
    if (!round.ok) throw new Error('round failed')
    for (const seed of [51, 52, 53]) {
      const { views, network } = runConvergence({
        seed,
        phones: 4,
        steps: 300,
        setup: (phone) => copySpace(base, phone.docs),
        modifications: {
          markDoor: [1, (phone, random) => {
            const result = pick(random, ['delivered', 'notHome', 'concern'] as const)
            return markDoor(phone.docs, phone.clock, round.value.id, pick(random, CODES), result, result === 'concern' ? '没应门' : '', { id: phone.deviceId, name: 'p' }).ok
          }],
        },
        view(phone) {
          const marks = readCanteen(new SpaceDocs(), phone.docs).marks
          return [...doorResults(marks, round.value.id).entries()].sort().map(([code, m]) => `${code}:${m.result}:${m.byId}`)
        },
      })
      expect(views[0]!.length).toBe(CODES.length)
      compare(views, network)
    }
  })
})
