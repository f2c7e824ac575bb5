import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { publishShift, readShiftData, signUp, withdraw } from '../../src/store/shifts'
import { entryKey } from '../../src/domain/places'
import { community, device, meet, MONTH, settle, TODAY, type Device } from './peers'

// Hole: a peer's delete, overwrite or replay was written back only where a screen had
// read the record this session. In a month only kept, a collection read lazily, or
// after a restart, a resident's Y.Map.delete was final. Now the value a peer's update
// replaces is handed to the gate as it goes (SpaceDocs observer → gate.replaced).

const shiftDraft = { title: '帮厨', category: 'canteen' as const, place: '食堂', date: TODAY, start: '10:00', end: '12:00', places: 2, notes: '', skill: '' }

/** Exchanges docs without any screen reading a record (nothing is read on the receiving side). */
async function exchange(from: Device, to: Device) {
  meet([from, to])
  await Promise.all([from.gate.settled(), to.gate.settled()])
}

/** What a modified app sends: its own change to the month doc, as an update. */
function rawChange(attacker: Device, victim: Device, change: (signups: Y.Map<unknown>) => void) {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(victim.docs.open(MONTH)))
  change(doc.getMap('signups'))
  const update = Y.encodeStateAsUpdate(doc, Y.encodeStateVector(victim.docs.open(MONTH)))
  Y.applyUpdate(attacker.docs.open(MONTH), update)
  Y.applyUpdate(victim.docs.open(MONTH), update)
}

const stored = (d: Device, key: string) => d.docs.open(MONTH).getMap<Record<string, unknown>>('signups').get(key)
const healed = () => new Promise((resolve) => setTimeout(resolve, 1_800))

describe('deletions, overwrites and replays where no screen reads', () => {
  it('a sign-up deleted by a resident is written back by a phone that never read it, and a newcomer gets it', async () => {
    const { staff, alice, bob, authority } = await community()
    const shift = publishShift(staff.docs, staff.clock, staff.person, shiftDraft, TODAY)
    if (!shift.ok) throw new Error('no shift')
    await staff.gate.ownSigned()
    await exchange(staff, alice)
    await settle([alice]) // Alice's screen shows the shift
    expect(signUp(alice.docs, alice.clock, shift.value.id, alice.person, alice.person).ok).toBe(true)
    await alice.gate.ownSigned()
    await exchange(alice, staff)
    const key = entryKey(shift.value.id, 'alice')
    const original = stored(staff, key)
    expect(original?.sig).toBeDefined()

    rawChange(bob, staff, (signups) => signups.delete(key))
    expect(stored(staff, key)).toBeUndefined()
    await staff.gate.settled()
    await healed()
    expect(stored(staff, key)).toEqual(original)

    // A newcomer that meets only this phone has it too.
    const carol = await device('carol')
    carol.gate.setAuthority(authority)
    meet([staff, carol])
    await settle([carol])
    expect(readShiftData(carol.docs).signups.map((s) => `${s.personId}:${s.active}`)).toEqual(['alice:true'])
  })

  it('a replayed older sign-up does not undo a withdrawal, on a phone that never read either', async () => {
    const { staff, alice, bob } = await community()
    const shift = publishShift(staff.docs, staff.clock, staff.person, shiftDraft, TODAY)
    if (!shift.ok) throw new Error('no shift')
    await staff.gate.ownSigned()
    await exchange(staff, alice)
    await settle([alice]) // Alice's screen shows the shift
    signUp(alice.docs, alice.clock, shift.value.id, alice.person, alice.person)
    await alice.gate.ownSigned()
    const key = entryKey(shift.value.id, 'alice')
    const signedUp = structuredClone(alice.docs.open(MONTH).getMap<Record<string, unknown>>('signups').get(key)!)
    withdraw(alice.docs, alice.clock, shift.value.id, 'alice', alice.person)
    await alice.gate.ownSigned()
    await exchange(alice, staff)
    expect(stored(staff, key)?.active).toBe(false)

    // Bob kept Alice's earlier signed sign-up and writes it back: her signature holds.
    rawChange(bob, staff, (signups) => signups.set(key, signedUp))
    expect(stored(staff, key)?.active).toBe(true)
    await staff.gate.settled()
    await healed()
    expect(stored(staff, key)?.active).toBe(false)
    expect(readShiftData(staff.docs).signups.find((s) => s.personId === 'alice')?.active).toBe(false)
  })
})
