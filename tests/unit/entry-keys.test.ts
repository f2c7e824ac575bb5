import { describe, expect, it } from 'vitest'
import { readRecord } from '../../src/store/collection'
import { formatStamp } from '../../src/domain/hlc'
import { PlaceEntrySchema } from '../../src/domain/places'
import { AttendanceSchema } from '../../src/domain/shifts'
import { RatingSchema } from '../../src/domain/activities'
import { DeliveryMarkSchema, MenuSchema, reservationKey, ReservationSchema, standingKey, StandingOrderSchema } from '../../src/domain/canteen'
import { AidEventSchema } from '../../src/domain/aid'
import { fakeTag, FAKE_SEALED } from '../canteen-fake'

// An entry's id is made from what it belongs to. A crafted one whose fields point
// elsewhere (counted toward one shift on screen and another in commands) is skipped.
const stamp = formatStamp(1_800_000_000_000, 0, 'dev1')
const skipsWhenMoved = <T extends { id: string }>(schema: Parameters<typeof readRecord>[0], valid: T, moved: Partial<T>) => {
  expect(readRecord(schema, valid.id, valid)).toEqual(valid)
  expect(readRecord(schema, valid.id, { ...valid, ...moved })).toBeNull()
}

describe('entries match their keys', () => {
  it('a place entry (sign-up, RSVP, group member) belongs to the record and person its key names', () => {
    const entry = { id: '2027-01-05_s1|p1', recordId: '2027-01-05_s1', personId: 'p1', personName: '小刘', stamp, active: true, updatedAt: stamp, byId: 'p1', byName: '小刘', sawPlace: true }
    skipsWhenMoved(PlaceEntrySchema, entry, { recordId: '2027-01-05_s2' })
    skipsWhenMoved(PlaceEntrySchema, entry, { personId: 'p2' })
  })

  it('attendance, ratings, menus, reservations, standing orders, door marks and help events too', () => {
    skipsWhenMoved(AttendanceSchema, { id: 's1|p1', shiftId: 's1', volunteerId: 'p1', status: 'attended', byId: 'x', stamp }, { shiftId: 's2' })
    skipsWhenMoved(RatingSchema, { id: 'a1|p1', activityId: 'a1', personId: 'p1', personName: '王', stars: 5, comment: '', stamp }, { activityId: 'a2' })
    skipsWhenMoved(MenuSchema, { id: '2027-01-05|lunch', day: '2027-01-05', meal: 'lunch', dishes: ['米饭'], seats: 40, cutoff: '10:00', delivery: true, byId: 'x', stamp }, { day: '2027-01-06' })
    const seat = { count: 1, sealed: FAKE_SEALED, stamp, updatedAt: stamp, active: true, byId: 'x', byName: 'x' }
    const tag = fakeTag('AB12CD', 'lunch')
    skipsWhenMoved(ReservationSchema, { id: reservationKey('2027-01-05', 'lunch', tag), day: '2027-01-05', meal: 'lunch', tag, onBehalf: false, sawSeat: true, ...seat }, { meal: 'dinner' })
    skipsWhenMoved(StandingOrderSchema, { id: standingKey(tag, 'lunch'), tag, meal: 'lunch', weekdays: [1, 3], from: '2027-01-04', ...seat }, { tag: fakeTag('ZZ99ZZ', 'lunch') })
    skipsWhenMoved(DeliveryMarkSchema, { id: 'r1|AB12CD|dev1', roundId: 'r1', elderCode: 'AB12CD', result: 'delivered', note: '', byId: 'x', byName: 'x', stamp }, { elderCode: 'ZZ99ZZ' })
    skipsWhenMoved(AidEventSchema, { id: `q1|${stamp}`, requestId: 'q1', type: 'take', byId: 'x', byName: 'x', stamp }, { requestId: 'q2' })
  })
})
