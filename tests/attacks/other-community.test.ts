import { describe, expect, it } from 'vitest'
import { recordBytes } from '../../src/domain/trust'
import { entryKey } from '../../src/domain/places'
import { publishShift, readShiftData, signUp } from '../../src/store/shifts'
import { community, meetAndSettle, signups, TODAY, tamper } from './peers'

// Hole 10: signatures did not name the community, so a record signed in one community
// replayed into another where its author also holds a role (a volunteer in two
// neighbourhoods, say). The signature now covers the community and the space too.

const draft = { title: '送餐', category: 'delivery' as const, place: '食堂', date: TODAY, start: '10:00', end: '12:00', places: 2, notes: '', skill: '' }

describe('a record signed in another community', () => {
  it('is refused here, though its author holds a role in both', async () => {
    const { staff, alice, bob, all } = await community()
    const shift = publishShift(staff.docs, staff.clock, staff.person, draft, TODAY)
    if (!shift.ok) throw new Error('no shift')
    await meetAndSettle(all)
    // Bob's sign-up as it was signed in his other community ("c2"), with the same shift
    // id and key: a modified app replays it, bytes and signature unchanged, into this one.
    const key = entryKey(shift.value.id, 'bob')
    const stamp = bob.clock.tick()
    const signedElsewhere = { id: key, recordId: shift.value.id, personId: 'bob', personName: 'bob', stamp, active: true, updatedAt: stamp, byId: 'bob', byName: 'bob', sawPlace: true }
    await tamper(bob, 'signups', key, signedElsewhere, true, { community: 'c2', space: 'public' })
    await meetAndSettle(all)
    for (const d of [staff, alice]) {
      expect(signups(d), d.name).toEqual([])
      expect(d.gate.refused()).toMatchObject([{ key, author: bob.keys.publicKey, why: 'badSignature' }])
    }
    // The same sign-up made here counts.
    expect(signUp(bob.docs, bob.clock, shift.value.id, bob.person, bob.person).ok).toBe(true)
    await meetAndSettle(all)
    for (const d of [staff, alice]) expect(readShiftData(d.docs).signups.map((s) => s.personId), d.name).toEqual(['bob'])
  })

  it('signs other bytes for another community or the other space', () => {
    const here = recordBytes({ community: 'c1', space: 'public' }, 'signups', 'k', { a: 1 })
    expect(recordBytes({ community: 'c2', space: 'public' }, 'signups', 'k', { a: 1 })).not.toEqual(here)
    expect(recordBytes({ community: 'c1', space: 'staff' }, 'signups', 'k', { a: 1 })).not.toEqual(here)
    expect(recordBytes({ community: 'c1', space: 'public' }, 'signups', 'k', { a: 1 })).toEqual(here)
  })
})
