import * as Y from 'yjs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatStamp } from '../../src/domain/hlc'
import { entryKey } from '../../src/domain/places'
import { NoticeSchema } from '../../src/domain/notices'
import { readCollection } from '../../src/store/collection'
import { publicSpace } from '../../src/store/layout'
import { postNotice } from '../../src/store/notices'
import { publishShift, readShiftData, signUp, withdraw } from '../../src/store/shifts'
import { STANDING } from '../../src/store/space-docs'
import { community, MONTH, settle, tamper, TODAY, type Device } from '../attacks/peers'

// Honest phones and one tampered one, with real keys and real signature gates: staff
// publish and post, two residents sign up and withdraw, and the attacker's modified app
// forges, deletes, replays, backdates, post-dates and borrows client ids, all delivered
// by random meetings. Whatever the order, once everyone has met the honest phones show
// the same thing, and it is what the honest phones wrote: the last sign-up or withdrawal
// each resident made, every notice staff posted, and nothing the attacker forged.

const RUNS = Number(process.env.FC_RUNS ?? 12)
const draft = (title: string) => ({ title, category: 'canteen' as const, place: '食堂', date: TODAY, start: '10:00', end: '12:00', places: 2, notes: '', skill: '' })

type Action =
  | { kind: 'signUp' | 'withdraw'; who: 0 | 1; shift: 0 | 1 }
  | { kind: 'notice' }
  | { kind: 'meet'; a: number; b: number }
  | { kind: 'forge' | 'backdate' | 'future' | 'borrow' }
  | { kind: 'delete' | 'replay'; pick: number }

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constantFrom('signUp' as const, 'withdraw' as const), who: fc.constantFrom(0 as const, 1 as const), shift: fc.constantFrom(0 as const, 1 as const) }),
  fc.constant({ kind: 'notice' as const }),
  fc.record({ kind: fc.constant('meet' as const), a: fc.nat(3), b: fc.nat(3) }),
  fc.record({ kind: fc.constantFrom('forge' as const, 'backdate' as const, 'future' as const, 'borrow' as const) }),
  fc.record({ kind: fc.constantFrom('delete' as const, 'replay' as const), pick: fc.nat() }),
)

/** One direction of a meeting: what `from` holds that `to` lacks. */
function send(from: Device, to: Device) {
  for (const [name, doc] of from.docs.opened) Y.applyUpdate(to.docs.open(name), Y.encodeStateAsUpdate(doc, Y.encodeStateVector(to.docs.open(name))))
}

const view = (d: Device) => ({
  notices: [...readCollection(publicSpace(d.docs).notices, NoticeSchema).records.values()].map((n) => n.title).sort(),
  shifts: readShiftData(d.docs).shifts.map((s) => s.title).sort(),
  signups: readShiftData(d.docs).signups.map((s) => `${s.recordId}|${s.personId}:${s.active}`).sort(),
})

describe('convergence with a malicious peer', () => {
  it('honest phones converge to what the honest phones wrote, whatever the attacker sends and in whatever order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 5, maxLength: 30 }), async (actions) => {
        const { staff, alice, bob, more, authority: _ } = await community({ more: ['carol'], healAfterMs: 5 })
        const carol = more[0]!
        const residents = [alice, carol]
        const everyone = [staff, alice, carol, bob]
        const shifts = [draft('早班'), draft('午班')].map((d) => publishShift(staff.docs, staff.clock, staff.person, d, TODAY))
        const shiftIds = shifts.map((s) => (s.ok ? s.value.id : ''))
        await staff.gate.ownSigned()
        for (const d of everyone) send(staff, d)
        await settle(everyone)
        const posted: string[] = []
        /** What each resident last did that their phone accepted, by entry key. */
        const expected = new Map<string, boolean>()
        /** Every signed value the attacker has seen, to replay. */
        const seen: { collection: string; key: string; value: Record<string, unknown> }[] = []
        const remember = () => {
          for (const collection of ['signups', 'notices', 'shifts']) {
            for (const doc of bob.docs.opened.values()) doc.getMap<Record<string, unknown>>(collection).forEach((value, key) => value && 'sig' in value && seen.push({ collection, key, value: structuredClone(value) }))
          }
        }
        const docOf = (key: string) => (key.startsWith(MONTH) ? MONTH : STANDING)

        for (const step of actions) {
          if (step.kind === 'signUp' || step.kind === 'withdraw') {
            const me = residents[step.who]!
            const shiftId = shiftIds[step.shift]!
            const done = step.kind === 'signUp' ? signUp(me.docs, me.clock, shiftId, me.person, me.person) : withdraw(me.docs, me.clock, shiftId, me.person.id, me.person)
            if (done.ok) expected.set(entryKey(shiftId, me.person.id), step.kind === 'signUp')
            await me.gate.ownSigned()
          } else if (step.kind === 'notice') {
            const title = `通知${posted.length}`
            if (postNotice(staff.docs, staff.clock, staff.person, { title, body: '' }).ok) posted.push(title)
            await staff.gate.ownSigned()
          } else if (step.kind === 'meet') {
            const [a, b] = [everyone[step.a]!, everyone[step.b]!]
            if (a !== b) {
              send(a, b)
              send(b, a)
              await Promise.all([a.gate.settled(), b.gate.settled()])
              if (a === bob || b === bob) remember()
            }
          } else if (step.kind === 'forge') {
            await tamper(bob, 'notices', `forged${seen.length}`, { id: `forged${seen.length}`, title: '伪造', body: '', authorId: 'staff', authorName: '王主任', stamp: bob.clock.tick(), editedAt: bob.clock.tick() })
          } else if (step.kind === 'backdate' || step.kind === 'future') {
            const key = entryKey(shiftIds[0]!, 'bob')
            const past = formatStamp(Date.parse('2026-01-01T08:00:00'), 0, 'bob')
            const stamp = step.kind === 'backdate' ? past : bob.clock.tick()
            const updatedAt = step.kind === 'future' ? formatStamp(Date.parse('2099-01-01T00:00:00'), 0, 'bob') : stamp
            await tamper(bob, 'signups', key, { id: key, recordId: shiftIds[0]!, personId: 'bob', personName: 'bob', stamp, active: true, updatedAt, byId: 'bob', byName: 'bob', sawPlace: true })
          } else if (step.kind === 'borrow') {
            // An unsigned notice under the staff phone's current client id, sent straight to it.
            const doc = new Y.Doc()
            Y.applyUpdate(doc, Y.encodeStateAsUpdate(staff.docs.open(STANDING)))
            doc.clientID = staff.docs.open(STANDING).clientID
            doc.getMap('notices').set('borrowed', { id: 'borrowed', title: '借号', body: '', authorId: 'staff', authorName: '王主任', stamp: bob.clock.tick(), editedAt: bob.clock.tick() })
            Y.applyUpdate(staff.docs.open(STANDING), Y.encodeStateAsUpdate(doc, Y.encodeStateVector(staff.docs.open(STANDING))))
          } else if (seen.length > 0 && (step.kind === 'delete' || step.kind === 'replay')) {
            const target = seen[step.pick % seen.length]!
            const doc = bob.docs.open(docOf(target.key))
            const attacker = new Y.Doc()
            Y.applyUpdate(attacker, Y.encodeStateAsUpdate(doc))
            if (step.kind === 'delete') attacker.getMap(target.collection).delete(target.key)
            else attacker.getMap(target.collection).set(target.key, target.value)
            Y.applyUpdate(doc, Y.encodeStateAsUpdate(attacker, Y.encodeStateVector(doc)))
          }
        }

        // Everyone meets until nothing changes: the attacker's phone too, whose writes arrive with it.
        for (let round = 0; round < 4; round++) {
          for (const a of everyone) for (const b of everyone) if (a !== b) send(a, b)
          await settle(everyone)
          await new Promise((resolve) => setTimeout(resolve, 20))
        }
        const honest = [staff, alice, carol]
        const views = honest.map(view)
        for (const v of views.slice(1)) expect(v).toEqual(views[0])
        expect(views[0]!.notices).toEqual([...posted].sort())
        expect(views[0]!.shifts).toEqual(['午班', '早班'])
        const shown = new Map(readShiftData(staff.docs).signups.map((s) => [s.id, s.active]))
        expect(shown).toEqual(expected)
      }),
      { numRuns: RUNS, ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED), path: process.env.FC_PATH } : {}) },
    )
  }, 120_000)
})
