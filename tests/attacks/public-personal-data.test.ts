import { describe, expect, it } from 'vitest'
import type { Elder, Round } from '../../src/domain/canteen'
import type { Verdict } from '../../src/domain/trust'
import { helpForHousehold, isVisitHelp } from '../../src/domain/visits'
import { SpaceDocs } from '../../src/store/space-docs'
import { HybridClock } from '../../src/domain/hlc'
import { publishMenu, readCanteen, readOpenedOrders, saveRound } from '../../src/store/canteen'
import { allocateSeats, ordersFor } from '../../src/domain/canteen'
import { ensureDropbox, orderCommands, settleOrders } from '../../src/trust/orders'
import { postRequest, readAidData } from '../../src/store/aid'
import { logVisit, readVisitData, saveHousehold } from '../../src/store/visits'
import { logSharedVisit, markSharedDoor, openShare, settleShares, shareRound, shareVisits } from '../../src/trust/shares'
import { community, meetAndSettle, MONTH, tamper, TODAY, type Device } from './peers'

// Hole 11: the public space showed personal data. Every resident's phone holds the
// whole public space, so whatever is written there is read by every neighbour. Here a
// resident's phone (bob) reads every value and every key of every public doc it holds,
// after alice reserved meals and set and paused a standing order for elders, staff sealed
// a round and a visitor's households to alice, alice marked doors and logged "needs
// help", and a staff-space visitor logged "needs help" too; it must find no meal-card
// code, delivery mode, pause date, household label or visitor's note, while staff still
// see each.

/** Every string a device's public docs hold: each record's key and every value inside, deeply (`names`: field names too). */
export function publicStrings(d: Device, names = true): string[] {
  const found: string[] = []
  const walk = (value: unknown, depth: number) => {
    if (typeof value === 'string') found.push(value)
    else if (value instanceof Uint8Array) return
    else if (Array.isArray(value)) value.forEach((item) => walk(item, depth + 1))
    // Depth 0 is a collection, whose keys are its records' keys: always read.
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) (names || depth === 0 ? found.push(k) : 0, walk(v, depth + 1))
  }
  for (const doc of d.docs.opened.values()) for (const [name, type] of doc.share) (found.push(name), walk(type.toJSON(), 0))
  return found
}
const leaks = (d: Device, secrets: string[]) => secrets.filter((secret) => publicStrings(d).some((s) => s.includes(secret)))

const elder = (id: string, name: string): Elder => ({ id, name, building: '3', unit: '1', phone: '13800000000', emergencyName: '女儿', emergencyPhone: '13900000000', diets: ['lowSalt'], allergies: '花生', tier: 'dibao', service: 'delivery', deliveryNote: '敲门大声', stamp: '0' })
const elders = new Map([['AB12CD', elder('AB12CD', '李奶奶')], ['EF34GH', elder('EF34GH', '王爷爷')]])

/** What the signed records say: alice's phone is hers and holds a role. */
const verdictFor = (alice: Device) =>
  ({
    devices: new Map([[alice.keys.publicKey, { sealKey: alice.keys.agreementKey, label: 'alice', person: 'alice' }]]),
    roles: new Map([[alice.keys.publicKey, 'resident']]),
    revoked: new Map(),
    authority: { people: new Map([[alice.keys.publicKey, 'alice']]) },
  }) as unknown as Verdict

describe('the public space holds nothing personal', () => {
  it('meal orders name no meal-card code, mode or pause date; seats still count alike, and staff still read each order', async () => {
    const { staff, alice, bob, all } = await community()
    const staffDocs = new SpaceDocs()
    const lunch = (day: string) => ({ day, meal: 'lunch' as const, dishes: ['米饭'], seats: 2, cutoff: '09:00', delivery: true })
    for (const day of [TODAY, '2026-11-24']) publishMenu(staff.docs, staff.clock, staff.person, lunch(day), TODAY)
    const residentOrders = () => orderCommands({ docs: alice.docs, clock: alice.clock, actor: () => ({ ...alice.person, staff: false }) }, 'c1', () => ({ today: TODAY, now: '08:00' }))
    await meetAndSettle(all)
    // Before staff have published the drop box, nothing is written at all.
    expect(await residentOrders().reserve({ elderCode: 'AB12CD', day: '2026-11-24', meal: 'lunch', mode: 'delivery', count: 1 }, true)).toMatchObject({ ok: false, problems: { elderCode: 'problem.noDropbox' } })
    await ensureDropbox(staff.docs, staffDocs, staff.clock)
    await meetAndSettle(all)
    const orders = residentOrders()
    expect((await orders.reserve({ elderCode: 'AB12CD', day: '2026-11-24', meal: 'lunch', mode: 'delivery', count: 1 }, true)).ok).toBe(true)
    expect((await orders.setStandingOrder({ elderCode: 'EF34GH', meal: 'lunch', weekdays: [1, 2, 3, 4, 5], mode: 'delivery', count: 1 })).ok).toBe(true)
    expect((await orders.pauseStandingOrder('EF34GH', 'lunch', '2026-11-27')).ok).toBe(true)
    await meetAndSettle(all)

    expect(leaks(bob, ['AB12CD', 'EF34GH', '2026-11-27', 'pausedFrom', 'pausedUntil'])).toEqual([])
    // No value says how an order is served (a menu's own "delivery" offer is a field name, not an order's mode).
    expect(publicStrings(bob, false).filter((s) => s === 'delivery' || s === 'eatIn')).toEqual([])
    // Every phone still counts the seats alike: the reservation and the standing order (a pause keeps its seat).
    const seats = (d: Device) => {
      const data = readCanteen(d.docs)
      return allocateSeats(ordersFor('2026-11-24', 'lunch', data.reservations, data.standing), 2)
    }
    for (const d of all) expect(seats(d).seatsLeft, d.name).toBe(0)

    // Staff open every order into the staff space: codes, modes and the pause.
    expect(await settleOrders(staff.docs, staffDocs, staff.clock)).toBe(2)
    const opened = readOpenedOrders(staff.docs, staffDocs)
    const served = ordersFor('2026-11-24', 'lunch', opened.reservations, opened.standing).map((o) => `${o.elderCode}:${o.mode}:${o.paused ?? false}`).sort()
    expect(served).toEqual(['AB12CD:delivery:false', 'EF34GH:delivery:true'])
    expect(opened.standing[0]).toMatchObject({ code: 'EF34GH', pausedFrom: TODAY, pausedUntil: '2026-11-27' })
    for (const d of all) expect(d.gate.refused(), d.name).toEqual([])
  })

  it('an order sealed to staff and copied onto another order is not opened there', async () => {
    const { staff, alice, all } = await community()
    const staffDocs = new SpaceDocs()
    for (const day of ['2026-11-24']) publishMenu(staff.docs, staff.clock, staff.person, { day, meal: 'lunch', dishes: ['米饭'], seats: 9, cutoff: '09:00', delivery: true }, TODAY)
    await ensureDropbox(staff.docs, staffDocs, staff.clock)
    await meetAndSettle(all)
    const orders = orderCommands({ docs: alice.docs, clock: alice.clock, actor: () => ({ ...alice.person, staff: false }) }, 'c1', () => ({ today: TODAY, now: '08:00' }))
    const first = await orders.reserve({ elderCode: 'AB12CD', day: '2026-11-24', meal: 'lunch', mode: 'delivery', count: 1 }, false)
    const second = await orders.reserve({ elderCode: 'EF34GH', day: '2026-11-24', meal: 'lunch', mode: 'eatIn', count: 1 }, false)
    if (!first.ok || !second.ok) throw new Error('not reserved')
    // Alice's tampered phone pastes the first order's sealed part onto the second (her own, signed).
    const { sig: _sig, ...plain } = (await import('../../src/store/layout')).publicSpace(alice.docs).reservations.get(second.value.id) as Record<string, unknown>
    await tamper(alice, 'reservations', second.value.id, { ...plain, sealed: first.value.sealed, updatedAt: alice.clock.tick() })
    await meetAndSettle(all)
    await settleOrders(staff.docs, staffDocs, staff.clock)
    const opened = readOpenedOrders(staff.docs, staffDocs).reservations.map((r) => r.code ?? 'sealed')
    expect(opened.sort()).toEqual(['AB12CD', 'sealed'])
  })

  it('door marks sealed back from a round name no meal-card code, and staff still read each mark', async () => {
    const { staff, alice, bob, all } = await community()
    const staffDocs = new SpaceDocs()
    const round: Round = { id: `${MONTH}_round1`, day: TODAY, meal: 'lunch', name: '午餐 · 3号楼', stops: ['AB12CD', 'EF34GH'], volunteerId: 'alice', volunteerName: 'alice', stamp: '0' }
    saveRound(staffDocs, staff.clock, round)
    const sealed = await shareRound(staff.docs, staffDocs, staff.clock, round, elders, verdictFor(alice))
    if (!sealed.ok) throw new Error('not sealed')
    await meetAndSettle(all)
    const opened = (await openShare(alice.keys, sealed.value))!
    await markSharedDoor(alice.docs, alice.clock, opened, { code: 'AB12CD', result: 'delivered', note: '', name: 'alice' }, alice.person)
    await markSharedDoor(alice.docs, alice.clock, opened, { code: 'EF34GH', result: 'concern', note: '没开门，电话不通', name: 'alice' }, alice.person)
    // The latest mark per stop still counts: marked again, the same reply is replaced.
    await markSharedDoor(alice.docs, alice.clock, opened, { code: 'AB12CD', result: 'notHome', note: '', name: 'alice' }, alice.person)
    await meetAndSettle(all)

    expect(leaks(bob, ['AB12CD', 'EF34GH', '李奶奶', '王爷爷', '没开门', '13800000000'])).toEqual([])
    expect(readCanteen(bob.docs).marks).toEqual([])

    expect((await settleShares(staff.docs, staffDocs, staff.clock, TODAY)).imported).toBe(2)
    const marks = readCanteen(staff.docs, staffDocs).marks.map((m) => `${m.elderCode}:${m.result}:${m.note}`).sort()
    expect(marks).toEqual(['AB12CD:notHome:', 'EF34GH:concern:没开门，电话不通'])
    for (const d of all) expect(d.gate.refused(), d.name).toEqual([])
  })

  it('"needs help" after a sealed visit posts a neutral request; the household and note reach staff only', async () => {
    const { staff, alice, bob, all } = await community()
    const staffDocs = new SpaceDocs()
    const linked = saveHousehold(staffDocs, staff.clock, { grid: '3号楼', label: '张奶奶', elderCode: '', building: '3', unit: '2', room: '301', phone: '13655556666', reason: 'ill', every: 'week', visitorId: 'alice', visitorName: 'alice' }, TODAY)
    if (!linked.ok) throw new Error('not linked')
    const shared = await shareVisits(staff.docs, staffDocs, staff.clock, 'alice', [linked.value], [], verdictFor(alice), TODAY)
    if (!shared.ok) throw new Error('not shared')
    await meetAndSettle(all)
    const opened = (await openShare(alice.keys, shared.value))!
    if (opened.kind !== 'visits') throw new Error('not visits')
    // What the app does on "needs help" (session/shares.ts logVisit): a request, then the sealed visit naming it.
    const household = opened.visits.households[0]!
    const posted = postRequest(alice.docs, alice.clock, alice.person, helpForHousehold(household), TODAY)
    if (!posted.ok) throw new Error('not posted')
    await logSharedVisit(alice.docs, alice.clock, opened, { householdId: household.id, day: TODAY, outcome: 'help', note: '想请人帮忙买药，腿疼', requestId: posted.value.id, name: 'alice' }, alice.person)
    await meetAndSettle(all)

    expect(leaks(bob, ['张奶奶', '想请人帮忙买药', '腿疼', '301', '13655556666'])).toEqual([])
    const [request] = readAidData(bob.docs).requests
    expect(request).toMatchObject({ where: '3号楼', details: '', postedBy: 'alice' })
    expect(isVisitHelp(request!)).toBe(true)

    await settleShares(staff.docs, staffDocs, staff.clock, TODAY)
    const [visit] = readVisitData(staffDocs).visits
    expect(visit).toMatchObject({ householdId: linked.value.id, outcome: 'help', note: '想请人帮忙买药，腿疼', requestId: request!.id })
    for (const d of all) expect(d.gate.refused(), d.name).toEqual([])
  })

  it('"needs help" logged by a staff-space visitor posts the same neutral request', async () => {
    const { staff, bob, all } = await community()
    const staffDocs = new SpaceDocs()
    const clock = new HybridClock('staff2', () => Date.parse('2026-11-23T09:00:00'))
    const linked = saveHousehold(staffDocs, clock, { grid: '西院', label: '刘爷爷', elderCode: '', building: '', unit: '', room: '102', phone: '', reason: 'alone', every: 'week', visitorId: 'staff', visitorName: 'staff' }, TODAY)
    if (!linked.ok) throw new Error('not linked')
    const logged = logVisit(staffDocs, staff.docs, staff.clock, linked.value.id, 'help', '灯泡坏了', staff.person, TODAY)
    if (!logged.ok) throw new Error('not logged')
    await meetAndSettle(all)
    expect(leaks(bob, ['刘爷爷', '灯泡坏了', '102'])).toEqual([])
    expect(readVisitData(staffDocs).visits).toMatchObject([{ note: '灯泡坏了', requestId: logged.value.request!.id }])
  })
})
