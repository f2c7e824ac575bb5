import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { datedId } from '../../src/domain/ids'
import { entryKey } from '../../src/domain/places'
import { recordBytes } from '../../src/domain/trust'
import { publicSpace } from '../../src/store/layout'
import { signUp } from '../../src/store/shifts'
import { REFUSED } from '../../src/store/space-docs'
import { signRaw } from '../../src/trust/keys'
import { QUOTA } from '../../src/trust/signatures'
import { communityWithShift, meet, MONTH, settle, TODAY } from './peers'

// Red team: a resident hides a busy neighbour's records in a month. The per-author quota
// counts every signed value in a month's shard, including keys filed in another month
// (never read there), and a signature names no doc. So the attacker copies the
// victim's own genuine records of earlier months (a busy volunteer writes 1,900 door
// marks a month; a heavy sign-up user hundreds) into this month's shard under their
// own keys: every copy's signature holds, the victim is "over quota" here, and every
// one of the victim's records this month was refused on every device. Now only
// records filed in the doc count towards its quota.

const draft = { title: '送餐', category: 'delivery' as const, place: '食堂', date: TODAY, start: '10:00', end: '12:00', places: 3, notes: '', skill: '' }

describe('red team: copies of a victim\'s older records, misfiled into this month', () => {
  it('do not push the victim over quota: this month\'s records still show', async () => {
    const { staff, alice, bob, all, shiftId } = await communityWithShift(draft)
    expect(signUp(bob.docs, bob.clock, shiftId, bob.person, bob.person).ok).toBe(true)
    await settle(all)
    meet(all)
    await settle(all)
    const mine = entryKey(shiftId, 'bob')
    const shown = () => publicSpace(staff.docs).signups.get(mine)
    expect((shown() as { personId?: string }).personId).toBe('bob')

    // Bob's genuine history: his signed sign-ups of earlier months (made here for the
    // test; in the attack they are Bob's own records, fetched from the hub).
    const history: [string, Record<string, unknown>][] = []
    for (let i = 0; i <= QUOTA.resident; i++) {
      const month = i % 2 ? '2026-09' : '2026-10'
      const recordId = datedId(`${month}-15`)
      const key = entryKey(recordId, 'bob')
      const stamp = bob.clock.tick()
      const value = { id: key, recordId, personId: 'bob', personName: 'bob', stamp, active: true, updatedAt: stamp, byId: 'bob', byName: 'bob', sawPlace: true }
      history.push([key, { ...value, sig: { by: bob.keys.publicKey, s: await signRaw(bob.keys.signing.privateKey, recordBytes(bob.scope, 'signups', key, value)) } }])
    }
    // Alice's modified app writes those copies into November's doc, keys unchanged.
    const raw = new Y.Doc()
    Y.applyUpdate(raw, Y.encodeStateAsUpdate(alice.docs.open(MONTH)))
    const before = Y.encodeStateVector(raw)
    raw.transact(() => history.forEach(([key, value]) => raw.getMap('signups').set(key, value)))
    Y.applyUpdate(staff.docs.open(MONTH), Y.encodeStateAsUpdate(raw, before))
    await settle([staff])
    await settle([staff])
    // Expected: Bob's real November sign-up still shows on the staff phone.
    expect(shown() === REFUSED ? 'REFUSED' : (shown() as { personId?: string } | undefined)?.personId).toBe('bob')
  }, 120_000)
})
