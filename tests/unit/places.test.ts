import { describe, expect, it } from 'vitest'
import { formatStamp } from '../../src/domain/hlc'
import { allocatePlaces, hasRoom, statusOf, type PlaceEntry } from '../../src/domain/places'

const entry = (wall: number, personId: string, sawPlace = true, active = true): PlaceEntry => ({
  id: `r|${personId}`,
  recordId: 'r',
  personId,
  personName: personId,
  stamp: formatStamp(wall, 0, 'dev'),
  updatedAt: formatStamp(wall, 0, 'dev'),
  active,
  byId: personId,
  byName: personId,
  sawPlace,
})

describe('places with a queue', () => {
  it('names the bumped (thought they were in) and the promoted (joined the waitlist, now in)', () => {
    const view = allocatePlaces([entry(2, 'late', true), entry(1, 'early', true), entry(3, 'waited', false), entry(0, 'gone', true, false)], 2, false)
    expect(view.confirmed.map((e) => e.personId)).toEqual(['early', 'late'])
    expect(statusOf(view, 'early')).toEqual({ status: 'confirmed', position: 0 })
    expect(statusOf(view, 'waited')).toEqual({ status: 'waitlisted', position: 1 })
    expect(statusOf(view, 'gone')).toEqual({ status: 'none', position: 0 })

    const tighter = allocatePlaces([entry(2, 'late', true), entry(1, 'early', true)], 1, false)
    expect(statusOf(tighter, 'late')).toEqual({ status: 'bumped', position: 1 })

    const promoted = allocatePlaces([entry(3, 'waited', false)], 1, false)
    expect(statusOf(promoted, 'waited').status).toBe('promoted')
  })

  it('without a limit everyone is in and there is always room', () => {
    const view = allocatePlaces([entry(1, 'a'), entry(2, 'b')], null, false)
    expect(view).toMatchObject({ placesLeft: null, waitlist: [] })
    expect(view.confirmed).toHaveLength(2)
    expect(hasRoom(view)).toBe(true)
  })

  it('a cancelled record has nobody in and nobody waiting', () => {
    expect(allocatePlaces([entry(1, 'a')], 5, true)).toEqual({ confirmed: [], waitlist: [], placesLeft: 0 })
  })
})
