import { describe, expect, it } from 'vitest'
import { formatStamp } from '../../src/domain/hlc'
import { stampProblem } from '../../src/domain/authority'
import { publishShift, readShiftData, signUp, withdraw } from '../../src/store/shifts'
import { shiftView } from '../../src/domain/shifts'
import { entryKey } from '../../src/domain/places'
import { community, meetAndSettle, TODAY, tamper } from './peers'

// Hole: stamps were unbounded in records. A backdated stamp jumped every queue (the last
// place on a shift, a single taker), and an updatedAt in 2099 made every later honest
// edit "older", so staff could not withdraw it. Where a stamp decides something it is
// now bounded (domain/authority.ts stampProblem): not before the record it belongs to,
// not before its author's role, not over a day past the reader's clock.

const draft = { title: '送餐', category: 'delivery' as const, place: '食堂', date: TODAY, start: '10:00', end: '12:00', places: 1, notes: '', skill: '' }
const inQueue = (d: Parameters<typeof readShiftData>[0]) => {
  const data = readShiftData(d)
  return shiftView(data.shifts[0]!, data.signups, false).confirmed.map((e) => e.personId)
}

describe('stamps a resident chooses', () => {
  it('a sign-up dated before its shift was published does not jump the queue', async () => {
    const { staff, alice, bob, all } = await community()
    const shift = publishShift(staff.docs, staff.clock, staff.person, draft, TODAY)
    if (!shift.ok) throw new Error('no shift')
    await meetAndSettle(all)
    expect(signUp(alice.docs, alice.clock, shift.value.id, alice.person, alice.person).ok).toBe(true)
    await meetAndSettle(all)
    // Bob's modified app signs his own sign-up with a stamp from before the shift existed.
    const before = formatStamp(Date.parse('2026-11-01T08:00:00'), 0, 'bob')
    const key = entryKey(shift.value.id, 'bob')
    await tamper(bob, 'signups', key, { id: key, recordId: shift.value.id, personId: 'bob', personName: 'bob', stamp: before, active: true, updatedAt: before, byId: 'bob', byName: 'bob', sawPlace: true })
    await meetAndSettle(all)
    for (const d of [staff, alice]) {
      expect(inQueue(d.docs), d.name).toEqual(['alice'])
      expect(d.gate.refused()).toMatchObject([{ key, author: bob.keys.publicKey, why: 'backdated' }])
    }
  })

  it('a sign-up dated in 2099 is refused, and staff can still withdraw the person', async () => {
    const { staff, alice, bob, all } = await community()
    const shift = publishShift(staff.docs, staff.clock, staff.person, { ...draft, places: 3 }, TODAY)
    if (!shift.ok) throw new Error('no shift')
    await meetAndSettle(all)
    expect(signUp(bob.docs, bob.clock, shift.value.id, bob.person, bob.person).ok).toBe(true)
    await meetAndSettle(all)
    // His modified app re-signs his own sign-up, dated 2099: every honest later edit would be "older".
    const key = entryKey(shift.value.id, 'bob')
    const { sig: _, ...honest } = bob.docs.open(shift.value.id.slice(0, 7)).getMap<Record<string, unknown>>('signups').get(key)!
    const future = formatStamp(Date.parse('2099-01-01T00:00:00'), 0, 'bob')
    await tamper(bob, 'signups', key, { ...honest, updatedAt: future })
    await meetAndSettle(all)
    for (const d of [staff, alice]) expect(d.gate.refused()).toMatchObject([{ key, why: 'ahead' }])
    // Staff withdraws him (代办): an honest edit is never "older" than a forged future.
    expect(withdraw(staff.docs, staff.clock, shift.value.id, 'bob', staff.person).ok).toBe(true)
    await meetAndSettle(all)
    for (const d of [staff, alice]) expect(readShiftData(d.docs).signups.filter((s) => s.personId === 'bob').map((s) => s.active)).toEqual([false])
  })

  it('the rule itself: a day of drift is allowed, more is not; nothing is dated before its parent or its author\'s role', () => {
    const now = Date.parse('2026-12-07T10:00:00')
    const at = (ms: number) => formatStamp(ms, 0, 'd')
    const hour = 3_600_000
    expect(stampProblem({ stamp: at(now + 23 * hour) }, now, undefined, undefined)).toBeNull()
    expect(stampProblem({ stamp: at(now), updatedAt: at(now + 25 * hour) }, now, undefined, undefined)).toBe('ahead')
    expect(stampProblem({ stamp: at(now - hour) }, now, at(now - 2 * hour), undefined)).toBeNull()
    expect(stampProblem({ stamp: at(now - 3 * hour) }, now, at(now - 2 * hour), undefined)).toBe('backdated')
    expect(stampProblem({ stamp: at(now - 3 * hour) }, now, undefined, at(now - 2 * hour))).toBe('backdated')
    expect(stampProblem({ stamp: at(now - 3 * hour) }, now, undefined, at(now - 4 * hour))).toBeNull()
  })
})
