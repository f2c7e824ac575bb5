import { SpaceDocs } from '../../src/store/space-docs'
import { describe, expect, it } from 'vitest'
import { HybridClock } from '../../src/domain/hlc'
import { allocateSeats, isPastCutoff, isPaused, mealTally, monthReport, ordersFor, planRounds, priceFor, chargeFor, seatStatusOf, standingApplies, subsidyFor, doorResults, type ElderDraft } from '../../src/domain/canteen'
import { addElder, copyLastWeek, markDoor, publishMenu, readCanteen, readOpenedOrders, saveRound, setPrices } from '../../src/store/canteen'
import { ensureDropbox, openOwn, orderCommands, settleOrders } from '../../src/trust/orders'

const TODAY = '2026-11-23' // Monday
const staff = { id: 'staff', name: '王主任' }
// The elder's price and the low-income price; the visitor price for extra portions; each meal's cost.
const prices = { full: 8, subsidised: 2, visitor: 15, cost: { breakfast: 6, lunch: 16, dinner: 14 } }
function setup() {
  let wall = 1_800_000_000_000
  return { docs: new SpaceDocs(), staffDocs: new SpaceDocs(), clock: new HybridClock('dev', () => (wall += 1000)) }
}
/** Orders as the screens make them (sealed, by tag), at a chosen time of TODAY, after staff published the drop box. */
async function ordering(docs: SpaceDocs, staffDocs: SpaceDocs, clock: HybridClock, time = '08:00') {
  await ensureDropbox(docs, staffDocs, clock)
  let now = time
  const commands = orderCommands({ docs, clock, actor: () => ({ ...staff, staff: true }) }, 'c1', () => ({ today: TODAY, now }))
  return Object.assign(commands, { at: (t: string) => void (now = t) })
}
const lunch = (day = TODAY, seats = 3) => ({ day, meal: 'lunch' as const, dishes: ['红烧豆腐', '青菜', '米饭'], seats, cutoff: '09:00', delivery: true })
const elder = (over: Partial<ElderDraft> = {}): ElderDraft => ({ name: '张大爷', building: '3号楼', unit: '2单元501', phone: '13800000000', emergencyName: '张小明', emergencyPhone: '13900000000', diets: [], allergies: '', tier: 'standard', service: 'eatIn', deliveryNote: '', ...over })

describe('prices and subsidy', () => {
  it('8 yuan, 2 for low-income and extreme-hardship elders; the district pays the rest of the meal’s cost, for every tier', () => {
    expect(priceFor('standard', prices)).toBe(8)
    expect(priceFor('dibao', prices)).toBe(2)
    expect(priceFor('tekun', prices)).toBe(2)
    expect(subsidyFor('standard', 'lunch', prices)).toBe(8)
    expect(subsidyFor('dibao', 'lunch', prices)).toBe(14)
    expect(subsidyFor('tekun', 'dinner', prices)).toBe(12)
    // A meal that costs less than the elder's price is not subsidised (never below nothing).
    expect(subsidyFor('standard', 'breakfast', prices)).toBe(0)
    // No cost set: no subsidy can be counted (the report says how many such meals).
    expect(subsidyFor('dibao', 'lunch', { full: 8, subsidised: 2 })).toBeNull()
  })
  it('extra portions on one order are at the visitor price, the elder’s own meal at their tier’s', () => {
    expect(chargeFor('standard', 1, prices)).toBe(8)
    expect(chargeFor('standard', 2, prices)).toBe(8 + 15)
    expect(chargeFor('dibao', 3, prices)).toBe(2 + 15 + 15)
    expect(chargeFor('tekun', 1, prices)).toBe(2)
    // No visitor price set: extras at the elder's full price.
    expect(chargeFor('dibao', 2, { full: 8, subsidised: 2 })).toBe(2 + 8)
  })
  it('amounts are settings, checked', () => {
    const { docs, clock } = setup()
    expect(setPrices(docs, clock, { full: 10, subsidised: 3, visitor: 18, cost: { lunch: 20 } }).ok).toBe(true)
    expect(readCanteen(docs).prices).toMatchObject({ full: 10, subsidised: 3, visitor: 18, cost: { lunch: 20 } })
    expect(setPrices(docs, clock, { full: 5, subsidised: 6 })).toMatchObject({ ok: false, problems: { subsidised: 'problem.badPrice' } })
    // A cost below what an elder pays would make the district's share negative.
    expect(setPrices(docs, clock, { full: 8, subsidised: 2, cost: { lunch: 7 } })).toMatchObject({ ok: false, problems: { lunch: 'problem.badPrice' } })
    expect(setPrices(docs, clock, { full: 8, subsidised: 2, visitor: -1 })).toMatchObject({ ok: false, problems: { visitor: 'problem.badPrice' } })
  })
})

describe('menus and the cutoff', () => {
  it('refuses a menu with no seats or no dishes', () => {
    const { docs, clock } = setup()
    expect(publishMenu(docs, clock, staff, { ...lunch(), seats: 0 }, TODAY)).toMatchObject({ ok: false, problems: { seats: 'problem.noSeats' } })
    expect(publishMenu(docs, clock, staff, { ...lunch(), dishes: [' '] }, TODAY)).toMatchObject({ ok: false, problems: { dishes: 'problem.noDishes' } })
    expect(publishMenu(docs, clock, staff, lunch(), TODAY).ok).toBe(true)
  })
  it('closes at the cutoff on the day, not before', () => {
    expect(isPastCutoff({ day: TODAY, cutoff: '09:00' }, TODAY, '08:59')).toBe(false)
    expect(isPastCutoff({ day: TODAY, cutoff: '09:00' }, TODAY, '09:00')).toBe(true)
    expect(isPastCutoff({ day: '2026-11-24', cutoff: '09:00' }, TODAY, '23:00')).toBe(false)
    expect(isPastCutoff({ day: '2026-11-22', cutoff: '09:00' }, TODAY, '00:00')).toBe(true)
  })
  it('refuses a reservation after the cutoff, for a meal not served, a count of 0, delivery where none', async () => {
    const { docs, staffDocs, clock } = setup()
    publishMenu(docs, clock, staff, { ...lunch(), delivery: false }, TODAY)
    const c = await ordering(docs, staffDocs, clock, '09:30')
    const base = { elderCode: 'ABC234', day: TODAY, meal: 'lunch' as const, mode: 'eatIn' as const, count: 1 }
    expect(await c.reserve(base, true)).toMatchObject({ ok: false, problems: { meal: 'problem.pastCutoff' } })
    c.at('08:00')
    expect(await c.reserve({ ...base, meal: 'dinner' }, true)).toMatchObject({ ok: false, problems: { meal: 'problem.noMenu' } })
    expect(await c.reserve({ ...base, count: 0 }, true)).toMatchObject({ ok: false, problems: { count: 'problem.countAtLeastOne' } })
    expect(await c.reserve({ ...base, mode: 'delivery' }, true)).toMatchObject({ ok: false, problems: { mode: 'problem.noDelivery' } })
    expect(await c.reserve({ ...base, elderCode: 'bad' }, true)).toMatchObject({ ok: false, problems: { elderCode: 'problem.badCode' } })
    expect((await c.reserve(base, true)).ok).toBe(true)
    c.at('09:01')
    expect(await c.cancelReservation('ABC234', TODAY, 'lunch')).toMatchObject({ ok: false, problems: { meal: 'problem.pastCutoff' } })
  })
  it('refuses an order, in plain words, before staff have published the drop box (nothing goes out unsealed)', async () => {
    const { docs, clock } = setup()
    publishMenu(docs, clock, staff, lunch(), TODAY)
    const c = orderCommands({ docs, clock, actor: () => ({ ...staff, staff: false }) }, 'c1', () => ({ today: TODAY, now: '08:00' }))
    expect(await c.reserve({ elderCode: 'ABC234', day: TODAY, meal: 'lunch', mode: 'eatIn', count: 1 }, false)).toEqual({ ok: false, problems: { elderCode: 'problem.noDropbox' } })
    expect(await c.setStandingOrder({ elderCode: 'ABC234', meal: 'lunch', weekdays: [1], mode: 'eatIn', count: 1 })).toEqual({ ok: false, problems: { elderCode: 'problem.noDropbox' } })
    expect(readCanteen(docs).reservations).toEqual([])
  })
  it("copies last week's menus into this week, leaving planned days alone", () => {
    const { docs, clock } = setup()
    publishMenu(docs, clock, staff, lunch('2026-11-24', 40), '2026-11-17')
    publishMenu(docs, clock, staff, lunch('2026-11-25', 40), '2026-11-17')
    publishMenu(docs, clock, staff, lunch('2026-12-02', 7), TODAY) // already planned next week
    const copied = copyLastWeek(docs, clock, staff, '2026-11-30', TODAY)
    expect(copied.map((m) => m.day)).toEqual(['2026-12-01'])
    expect(readCanteen(docs).menus.find((m) => m.day === '2026-12-02')?.seats).toBe(7)
  })
})

describe('seats: the first reservations that fit, in HLC order', () => {
  it('serves in order, keeps a family together, lets a later small order fit', () => {
    const order = (tag: string, count: number, at: number) => ({ tag, count, stamp: `0000000000${at}-00000-d`, source: 'reservation' as const, sawSeat: true, onBehalf: false })
    const view = allocateSeats([order('C', 1, 3), order('A', 2, 1), order('B', 2, 2)], 3)
    expect(view.served.map((o) => o.tag)).toEqual(['A', 'C'])
    expect(view.waiting.map((o) => o.tag)).toEqual(['B'])
    expect(seatStatusOf(view, 'B')).toBe('bumped')
  })
  it('a change keeps its place in the queue', async () => {
    const { docs, staffDocs, clock } = setup()
    publishMenu(docs, clock, staff, lunch(TODAY, 2), TODAY)
    const c = await ordering(docs, staffDocs, clock, '07:00')
    await c.reserve({ elderCode: 'AAAAAA', day: TODAY, meal: 'lunch', mode: 'eatIn', count: 1 }, true)
    await c.reserve({ elderCode: 'BBBBBB', day: TODAY, meal: 'lunch', mode: 'eatIn', count: 1 }, true)
    const changed = await c.reserve({ elderCode: 'AAAAAA', day: TODAY, meal: 'lunch', mode: 'delivery', count: 1 }, true)
    await settleOrders(docs, staffDocs, clock)
    const data = readOpenedOrders(docs, staffDocs)
    const view = allocateSeats(ordersFor(TODAY, 'lunch', data.reservations, data.standing), 2)
    expect(view.served.map((o) => o.elderCode)).toEqual(['AAAAAA', 'BBBBBB'])
    expect(view.served.map((o) => o.mode)).toEqual(['delivery', 'eatIn'])
    // Whoever knows the code opens their own copy; the public record holds neither code nor mode.
    if (!changed.ok) throw new Error('not changed')
    expect(await openOwn((await c.card('AAAAAA'))!, changed.value)).toEqual({ code: 'AAAAAA', mode: 'delivery' })
    expect(await openOwn((await c.card('BBBBBB'))!, changed.value)).toBeNull()
    expect(JSON.stringify(changed.value)).not.toMatch(/AAAAAA|delivery/)
  })
})

describe('standing orders and pauses', () => {
  it('every weekday lunch, delivered; a pause skips the stay in hospital (sealed: the seat is kept, nothing cooked); a one-day cancel overrides', async () => {
    const { docs, staffDocs, clock } = setup()
    for (const day of ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-28']) publishMenu(docs, clock, staff, lunch(day, 10), TODAY)
    const c = await ordering(docs, staffDocs, clock, '10:00')
    const set = await c.setStandingOrder({ elderCode: 'CCCCCC', meal: 'lunch', weekdays: [1, 2, 3, 4, 5], mode: 'delivery', count: 1 })
    if (!set.ok) throw new Error('standing failed')
    expect(set.value.from).toBe('2026-11-24') // today's lunch cutoff has passed
    expect(standingApplies(set.value, '2026-11-23')).toBe(false)
    expect(standingApplies(set.value, '2026-11-24')).toBe(true)
    expect(standingApplies(set.value, '2026-11-28')).toBe(false) // Saturday
    const paused = await c.pauseStandingOrder('CCCCCC', 'lunch', '2026-11-24')
    if (!paused.ok) throw new Error('not paused')
    // The pause is in the sealed part only: the public order still takes its seat that day.
    expect(JSON.stringify(paused.value)).not.toMatch(/paused|CCCCCC|delivery/)
    expect(standingApplies(paused.value, '2026-11-24')).toBe(true)
    const own = await openOwn((await c.card('CCCCCC'))!, paused.value)
    expect(own).toEqual({ code: 'CCCCCC', mode: 'delivery', pausedFrom: '2026-11-24', pausedUntil: '2026-11-24' })
    expect(isPaused(own!, '2026-11-24') && !isPaused(own!, '2026-11-25')).toBe(true)
    expect(await c.pauseStandingOrder('CCCCCC', 'lunch', '2026-11-20')).toMatchObject({ ok: false, problems: { until: 'problem.untilBeforeFrom' } })
    // Staff open it: the kitchen cooks nothing for the paused day, and the seat stays held for all alike.
    await settleOrders(docs, staffDocs, clock)
    const opened = readOpenedOrders(docs, staffDocs)
    const tally = mealTally(readCanteen(docs).menus.find((m) => m.day === '2026-11-24')!, 'lunch', ordersFor('2026-11-24', 'lunch', opened.reservations, opened.standing), new Map(), prices)
    expect(tally).toMatchObject({ paused: 1, delivered: 0, eatIn: 0 })
    expect(ordersFor('2026-11-25', 'lunch', opened.reservations, opened.standing)).toMatchObject([{ elderCode: 'CCCCCC', mode: 'delivery', source: 'standing' }])
    await c.cancelReservation('CCCCCC', '2026-11-25', 'lunch')
    const data = readCanteen(docs)
    expect(ordersFor('2026-11-25', 'lunch', data.reservations, data.standing)).toEqual([])
    expect(await c.setStandingOrder({ elderCode: 'CCCCCC', meal: 'lunch', weekdays: [], mode: 'delivery', count: 1 })).toMatchObject({ ok: false, problems: { weekdays: 'problem.noWeekdays' } })
  })
})

describe('opening orders', () => {
  it('a run asked for the orders changed since opens those alone; a run over all opens the rest', async () => {
    const { docs, staffDocs, clock } = setup()
    publishMenu(docs, clock, staff, lunch(TODAY, 10), TODAY)
    const commands = await ordering(docs, staffDocs, clock)
    const ids: string[] = []
    for (const name of ['张大爷', '李奶奶', '王爷爷']) {
      const added = addElder(staffDocs, clock, elder({ name }))
      if (!added.ok) throw new Error('elder failed')
      const reserved = await commands.reserve({ elderCode: added.value.id, day: TODAY, meal: 'lunch', mode: 'eatIn', count: 1 }, true)
      if (!reserved.ok) throw new Error('reserve failed')
      ids.push(reserved.value.id)
    }
    expect(await settleOrders(docs, staffDocs, clock, { reservations: new Set([ids[1]!]), standingOrders: new Set() })).toBe(1)
    expect(readOpenedOrders(docs, staffDocs).reservations.filter((r) => 'code' in r).map((r) => r.id)).toEqual([ids[1]])
    // A key that names no order, or an order opened before, opens nothing.
    expect(await settleOrders(docs, staffDocs, clock, { reservations: new Set([ids[1]!, 'no-such-order']), standingOrders: new Set() })).toBe(0)
    expect(await settleOrders(docs, staffDocs, clock)).toBe(2)
  })
})

describe('the staff board, rounds and the monthly report', () => {
  it('counts eaten in and delivered by diet, money due by tier, subsidy; plans rounds by building; tracks doors', async () => {
    const { docs, staffDocs, clock } = setup()
    publishMenu(docs, clock, staff, lunch(TODAY, 10), TODAY)
    const a = addElder(staffDocs, clock, elder({ name: '张大爷', tier: 'dibao', diets: ['lowSalt', 'soft'], building: '3号楼', unit: '2单元' }))
    const b = addElder(staffDocs, clock, elder({ name: '李奶奶', tier: 'standard', diets: ['diabetic'], building: '1号楼', unit: '1单元' }))
    const c = addElder(staffDocs, clock, elder({ name: '王爷爷', tier: 'tekun', building: '3号楼', unit: '1单元' }))
    if (!a.ok || !b.ok || !c.ok) throw new Error('elders failed')
    expect(addElder(staffDocs, clock, elder({ name: '' }))).toMatchObject({ ok: false, problems: { name: 'problem.required' } })
    const commands = await ordering(docs, staffDocs, clock)
    await commands.reserve({ elderCode: a.value.id, day: TODAY, meal: 'lunch', mode: 'delivery', count: 1 }, true)
    await commands.reserve({ elderCode: b.value.id, day: TODAY, meal: 'lunch', mode: 'eatIn', count: 2 }, true)
    await commands.reserve({ elderCode: c.value.id, day: TODAY, meal: 'lunch', mode: 'delivery', count: 1 }, true)
    // Before staff open them, the board counts three orders it cannot name.
    const sealed = readOpenedOrders(docs, staffDocs)
    expect(mealTally(readCanteen(docs).menus[0]!, 'lunch', ordersFor(TODAY, 'lunch', sealed.reservations, sealed.standing), readCanteen(docs, staffDocs).elders, prices)).toMatchObject({ unknownCodes: 3, eatIn: 4 })
    expect(await settleOrders(docs, staffDocs, clock)).toBe(3)
    expect(await settleOrders(docs, staffDocs, clock)).toBe(0)
    const data = { ...readCanteen(docs, staffDocs), ...readOpenedOrders(docs, staffDocs) }
    const orders = ordersFor(TODAY, 'lunch', data.reservations, data.standing)
    const board = mealTally(data.menus[0]!, 'lunch', orders, data.elders, prices)
    // The district pays each elder's own lunch: 16 − 2 (低保), 16 − 8, 16 − 2 (特困); the carer's portion is not subsidised.
    expect(board).toMatchObject({ eatIn: 2, delivered: 2, waiting: 0, subsidy: 14 + 8 + 14 })
    expect(board.byDiet).toMatchObject({ lowSalt: 1, soft: 1, diabetic: 2, none: 1 })
    // 李奶奶 reserved two: her own at 8, the second portion at the visitor price.
    expect(board.dueByTier).toEqual({ standard: 8 + 15, dibao: 2, tekun: 2 })

    const plan = planRounds(orders, data.elders)
    expect(plan).toEqual([{ name: '3号楼', stops: [c.value.id, a.value.id] }])
    const round = saveRound(staffDocs, clock, { day: TODAY, meal: 'lunch', name: plan[0]!.name, stops: plan[0]!.stops, volunteerId: 'v1', volunteerName: '小刘' })
    if (!round.ok) throw new Error('round failed')
    expect(markDoor(staffDocs, clock, round.value.id, a.value.id, 'concern', '', staff)).toMatchObject({ ok: false, problems: { note: 'problem.concernNeedsNote' } })
    markDoor(staffDocs, clock, round.value.id, a.value.id, 'notHome', '', { id: 'v1', name: '小刘' })
    markDoor(staffDocs, clock, round.value.id, a.value.id, 'delivered', '邻居代收', { id: 'v1', name: '小刘' })
    markDoor(staffDocs, clock, round.value.id, c.value.id, 'notHome', '', { id: 'v1', name: '小刘' })
    const results = doorResults(readCanteen(docs, staffDocs).marks, round.value.id)
    expect(results.get(a.value.id)?.result).toBe('delivered')
    expect(results.get(c.value.id)?.result).toBe('notHome')

    const report = monthReport('2026-11', TODAY, data.menus, data.reservations, data.standing, data.elders, [...results.values()].map((m) => m.result), prices)
    expect(report.served.lunch).toEqual({ standard: 1, dibao: 1, tekun: 1 })
    expect(report).toMatchObject({ extra: { lunch: 1 }, elders: 3, deliveriesMade: 1, deliveriesMissed: 1, subsidyByTier: { standard: 8, dibao: 14, tekun: 14 }, subsidy: 36, withoutCost: 0 })
    expect(monthReport('2026-11', TODAY, data.menus, data.reservations, data.standing, data.elders, [], { full: 8, subsidised: 2 })).toMatchObject({ subsidy: 0, withoutCost: 3 })
  })
})
