import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { publishShift, signUp } from '../../src/store/shifts'
import { community, meetAndSettle, MONTH, signups, TODAY } from './peers'

// Red team: a command's write is signed a moment later (WebCrypto is asynchronous). If a
// peer's overwrite of that key lands in between, signWritten skips the key (its item
// changed), the gate refuses the overwrite and heals with the kept version: the own,
// still UNSIGNED object, written back by a healing write that nobody queues for signing.
// The device shows it (it is its own), every other device refuses it as unsigned, and
// after a restart even this device refuses it: the write is lost for good. Entry keys
// are predictable ("<shift id>|<person id>"), so a resident can keep writing to them.

describe('red team: an overwrite that lands while a write is being signed', () => {
  it('the sign-up is still signed, and shown on every device', async () => {
    const { staff, alice, all } = await community()
    const shift = publishShift(staff.docs, staff.clock, staff.person, { title: '帮厨', category: 'canteen', place: '食堂', date: TODAY, start: '10:00', end: '12:00', places: 2, notes: '', skill: '' }, TODAY)
    if (!shift.ok) throw new Error('not published')
    await meetAndSettle(all)
    const key = `${shift.value.id}|alice`

    expect(signUp(alice.docs, alice.clock, shift.value.id, alice.person, alice.person).ok).toBe(true)
    // Her screen reads it at once (the live views observe the doc), as the app does.
    expect(signups(alice)).toEqual(['alice:true'])
    // Bob's update arrives while Alice's phone is signing (after the signing started, before it wrote).
    await Promise.resolve()
    const month = alice.docs.open(MONTH)
    const attacker = new Y.Doc()
    Y.applyUpdate(attacker, Y.encodeStateAsUpdate(month))
    attacker.getMap('signups').set(key, { junk: true })
    Y.applyUpdate(month, Y.encodeStateAsUpdate(attacker, Y.encodeStateVector(month)))

    await meetAndSettle(all)
    await new Promise((resolve) => setTimeout(resolve, 1_700)) // healing
    await meetAndSettle(all)
    await alice.gate.ownSigned()
    await meetAndSettle(all)

    const stored = alice.docs.open(MONTH).getMap<Record<string, unknown>>('signups').get(key)
    expect(stored?.sig, 'what Alice\'s phone stores under her key is signed').toBeDefined()
    for (const d of all) expect(signups(d), d.name).toEqual(['alice:true'])
  })
})
