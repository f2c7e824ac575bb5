import { describe, expect, it } from 'vitest'
import { concernEventKey, concernStatus, ConcernEventSchema, ConcernSchema } from '../../src/domain/concerns'
import { readCollection } from '../../src/store/collection'
import { publicSpace } from '../../src/store/layout'
import { concernStep, reportConcern } from '../../src/store/concerns'
import { community, meetAndSettle, tamper, type Device } from './peers'

// A resident's modified app writes staff's steps on a concern (closing it as resolved,
// passing it up) and rewrites someone else's concern: signed with his own key, straight
// into the doc. Honest phones show the concern as its reporter and staff left it.

const isStaffOf = (staff: Device) => (id: string) => id === staff.person.id

function view(d: Device, staff: Device) {
  const space = publicSpace(d.docs)
  const events = [...readCollection(space.concernEvents, ConcernEventSchema).records.values()]
  return [...readCollection(space.concerns, ConcernSchema).records.values()].map((c) => ({ what: c.what, by: c.reportedBy, state: concernStatus(c, events, isStaffOf(staff)).state }))
}

describe('a resident forging staff’s steps on a concern', () => {
  it('is refused on every honest phone: the concern stays new, as its reporter wrote it', async () => {
    const { staff, alice, bob, all } = await community()
    const report = reportConcern(alice.docs, alice.clock, alice.person, { category: 'repairs', what: '3号楼楼道灯坏了', where: '3号楼', source: 'app', forName: '' })
    if (!report.ok) throw new Error('not reported')
    await meetAndSettle(all)

    // Bob signs a 'resolve' as himself (the gate refuses a staff step from a resident) …
    const stamp = bob.clock.tick()
    await tamper(bob, 'concernEvents', concernEventKey(report.value.id, stamp), { id: concernEventKey(report.value.id, stamp), concernId: report.value.id, type: 'resolve', byId: bob.person.id, byName: 'bob', stamp, note: '已解决' })
    // … one naming staff as its author (his key is not staff's) …
    const forged = bob.clock.tick()
    await tamper(bob, 'concernEvents', concernEventKey(report.value.id, forged), { id: concernEventKey(report.value.id, forged), concernId: report.value.id, type: 'answer', byId: staff.person.id, byName: 'staff', stamp: forged, note: '不用管' })
    // … and rewrites Alice's concern.
    await tamper(bob, 'concerns', report.value.id, { ...report.value, what: '没事了' })
    await meetAndSettle(all)

    for (const d of [staff, alice]) expect(view(d, staff)).toEqual([{ what: '3号楼楼道灯坏了', by: alice.person.id, state: 'new' }])
    // Staff's own step still counts.
    expect(concernStep(staff.docs, staff.clock, report.value.id, 'accept', staff.person, { assignee: '王主任' }, isStaffOf(staff), '2026-11-23').ok).toBe(true)
    await meetAndSettle(all)
    expect(view(alice, staff)).toEqual([{ what: '3号楼楼道灯坏了', by: alice.person.id, state: 'handling' }])
  })
})
