import type { SpaceDoc } from './space-doc'
import {
  allocateSeats,
  checkElderDraft,
  checkMenuDraft,
  DEFAULT_CUTOFF,
  DEFAULT_PRICES,
  DeliveryMarkSchema,
  ElderSchema,
  firstOpenDay,
  isPastCutoff,
  markKey,
  menuKey,
  MenuSchema,
  newElderCode,
  ordersFor,
  PricesSchema,
  reservationKey,
  ReservationSchema,
  RoundSchema,
  StandingOrderSchema,
  standingKey,
  type DeliveryMark,
  type DoorResult,
  type Elder,
  type ElderDraft,
  type Meal,
  type Menu,
  type MenuDraft,
  type Mode,
  type Prices,
  type Reservation,
  type Round,
  type StandingOrder,
} from '../domain/canteen'
import { isDay, plusDays, type Day } from '../domain/calendar'
import type { HybridClock } from '../domain/hlc'
import { datedId } from '../domain/ids'
import { failed, type Checked } from '../domain/validation'
import { inTransaction, putRecord, readByPrefix, readCollection, readRecord } from './collection'
import { publicSpace, staffSpace } from './layout'
import type { Person } from './places'
import { liveCollection, type ShownPeriods } from './reactive'

const fail = failed
const CODE = /^[A-Z0-9]{6}$/

// ---- Public space: prices, menus, reservations, standing orders --------------------

export function readPrices(doc: SpaceDoc): { full: number; subsidised: number } {
  return readRecord(PricesSchema, 'prices', publicSpace(doc).canteenSettings.get('prices')) ?? DEFAULT_PRICES
}

export function setPrices(doc: SpaceDoc, clock: HybridClock, full: number, subsidised: number): Checked<Prices> {
  if (!Number.isFinite(full) || full < 0 || full > 1000) return fail('full', 'problem.badPrice')
  if (!Number.isFinite(subsidised) || subsidised < 0 || subsidised > full) return fail('subsidised', 'problem.badPrice')
  const prices: Prices = { id: 'prices', full, subsidised, stamp: clock.tick() }
  inTransaction(doc, () => putRecord(publicSpace(doc).canteenSettings, 'prices', prices))
  return { ok: true, value: prices }
}

export function findMenu(doc: SpaceDoc, day: Day, meal: Meal): Menu | null {
  const key = menuKey(day, meal)
  return readRecord(MenuSchema, key, publicSpace(doc).menus.get(key))
}

/** Publishes (or replaces) the menu for one day and meal. */
export function publishMenu(doc: SpaceDoc, clock: HybridClock, by: Person, draft: MenuDraft, today: Day): Checked<Menu> {
  const check = checkMenuDraft(draft, today)
  if (!check.ok) return check
  const menu: Menu = { id: menuKey(check.value.day, check.value.meal), ...check.value, byId: by.id, stamp: clock.tick() }
  inTransaction(doc, () => putRecord(publicSpace(doc).menus, menu.id, menu))
  return { ok: true, value: menu }
}

/** Copies last week's menus to the week starting `monday`, for days not yet past and not yet planned. */
export function copyLastWeek(doc: SpaceDoc, clock: HybridClock, by: Person, monday: Day, today: Day): Menu[] {
  const copied: Menu[] = []
  inTransaction(doc, () => {
    for (let i = 0; i < 7; i++) {
      const day = plusDays(monday, i)
      if (day < today) continue
      for (const meal of ['breakfast', 'lunch', 'dinner'] as const) {
        const source = findMenu(doc, plusDays(day, -7), meal)
        if (!source || findMenu(doc, day, meal)) continue
        const menu: Menu = { ...source, id: menuKey(day, meal), day, byId: by.id, stamp: clock.tick() }
        putRecord(publicSpace(doc).menus, menu.id, menu)
        copied.push(menu)
      }
    }
  })
  return copied
}

function readPublic(doc: SpaceDoc) {
  const layout = publicSpace(doc)
  return {
    reservations: [...readCollection(layout.reservations, ReservationSchema).records.values()],
    standing: [...readCollection(layout.standingOrders, StandingOrderSchema).records.values()],
  }
}

export interface ReservationRequest {
  elderCode: string
  day: Day
  meal: Meal
  mode: Mode
  count: number
}

/**
 * Reserves (or changes) a meal for an elder, from their own phone or on their
 * behalf (代办). Refused after the cutoff, for a meal not on the menu, a count of 0,
 * or delivery where none is offered. A change keeps its place in the queue.
 */
export function reserve(doc: SpaceDoc, clock: HybridClock, request: ReservationRequest, by: Person, onBehalf: boolean, today: Day, now: string): Checked<Reservation> {
  const code = request.elderCode.trim().toUpperCase()
  if (!CODE.test(code)) return fail('elderCode', 'problem.badCode')
  if (!Number.isInteger(request.count) || request.count < 1) return fail('count', 'problem.countAtLeastOne')
  if (request.count > 10) return fail('count', 'problem.tooMany')
  const menu = isDay(request.day) ? findMenu(doc, request.day, request.meal) : null
  if (!menu) return fail('meal', 'problem.noMenu')
  if (isPastCutoff(menu, today, now)) return fail('meal', 'problem.pastCutoff')
  if (request.mode === 'delivery' && !menu.delivery) return fail('mode', 'problem.noDelivery')
  const key = reservationKey(request.day, request.meal, code)
  const existing = readRecord(ReservationSchema, key, publicSpace(doc).reservations.get(key))
  // Only this meal's reservations are read (by key prefix), not the whole year.
  const layout = publicSpace(doc)
  const reservations = readByPrefix(layout.reservations, ReservationSchema, `${request.day}|${request.meal}|`)
  const standing = [...readCollection(layout.standingOrders, StandingOrderSchema).records.values()]
  const others = ordersFor(request.day, request.meal, reservations, standing).filter((o) => o.elderCode !== code)
  const stamp = clock.tick()
  const keepsPlace = existing?.active ? existing.stamp : stamp
  const seatsTaken = allocateSeats(others.filter((o) => o.stamp < keepsPlace), menu.seats)
  const reservation: Reservation = {
    id: key,
    day: request.day,
    meal: request.meal,
    elderCode: code,
    mode: request.mode,
    count: request.count,
    stamp: keepsPlace,
    updatedAt: stamp,
    active: true,
    byId: by.id,
    byName: by.name,
    onBehalf,
    sawSeat: seatsTaken.seatsLeft >= request.count,
  }
  inTransaction(doc, () => putRecord(publicSpace(doc).reservations, key, reservation))
  return { ok: true, value: reservation }
}

/** Cancels one meal (also one day of a standing order), until the cutoff. */
export function cancelReservation(doc: SpaceDoc, clock: HybridClock, code: string, day: Day, meal: Meal, by: Person, today: Day, now: string): Checked<Reservation> {
  const menu = findMenu(doc, day, meal)
  if (!menu) return fail('meal', 'problem.noMenu')
  if (isPastCutoff(menu, today, now)) return fail('meal', 'problem.pastCutoff')
  const key = reservationKey(day, meal, code)
  const existing = readRecord(ReservationSchema, key, publicSpace(doc).reservations.get(key))
  const stamp = clock.tick()
  const cancelled: Reservation = existing
    ? { ...existing, active: false, updatedAt: stamp, byId: by.id, byName: by.name }
    : { id: key, day, meal, elderCode: code, mode: 'eatIn', count: 1, stamp, updatedAt: stamp, active: false, byId: by.id, byName: by.name, onBehalf: false, sawSeat: false }
  inTransaction(doc, () => putRecord(publicSpace(doc).reservations, key, cancelled))
  return { ok: true, value: cancelled }
}

export interface StandingRequest {
  elderCode: string
  meal: Meal
  weekdays: number[]
  mode: Mode
  count: number
}

/** Every chosen weekday, this meal, from the first day whose cutoff has not passed. */
export function setStandingOrder(doc: SpaceDoc, clock: HybridClock, request: StandingRequest, by: Person, today: Day, now: string): Checked<StandingOrder> {
  const code = request.elderCode.trim().toUpperCase()
  if (!CODE.test(code)) return fail('elderCode', 'problem.badCode')
  const weekdays = [...new Set(request.weekdays)].filter((d) => d >= 1 && d <= 7).sort()
  if (weekdays.length === 0) return fail('weekdays', 'problem.noWeekdays')
  if (!Number.isInteger(request.count) || request.count < 1) return fail('count', 'problem.countAtLeastOne')
  if (request.count > 10) return fail('count', 'problem.tooMany')
  const key = standingKey(code, request.meal)
  const existing = readRecord(StandingOrderSchema, key, publicSpace(doc).standingOrders.get(key))
  const stamp = clock.tick()
  const cutoff = findMenu(doc, today, request.meal)?.cutoff ?? DEFAULT_CUTOFF[request.meal]
  const order: StandingOrder = {
    id: key,
    elderCode: code,
    meal: request.meal,
    weekdays,
    mode: request.mode,
    count: request.count,
    from: firstOpenDay(today, now, cutoff),
    active: true,
    stamp: existing?.active ? existing.stamp : stamp,
    updatedAt: stamp,
    byId: by.id,
    byName: by.name,
  }
  inTransaction(doc, () => putRecord(publicSpace(doc).standingOrders, key, order))
  return { ok: true, value: order }
}

/** Pauses a standing order until a date (a hospital stay), from the first day still open. */
export function pauseStandingOrder(doc: SpaceDoc, clock: HybridClock, code: string, meal: Meal, until: Day, by: Person, today: Day, now: string): Checked<StandingOrder> {
  const key = standingKey(code, meal)
  const existing = readRecord(StandingOrderSchema, key, publicSpace(doc).standingOrders.get(key))
  if (!existing || !existing.active) return fail('standing', 'problem.notFound')
  const from = firstOpenDay(today, now, findMenu(doc, today, meal)?.cutoff ?? DEFAULT_CUTOFF[meal])
  if (!isDay(until)) return fail('until', 'problem.badDate')
  if (until < from) return fail('until', 'problem.untilBeforeFrom')
  const paused: StandingOrder = { ...existing, pausedFrom: from, pausedUntil: until, updatedAt: clock.tick(), byId: by.id, byName: by.name }
  inTransaction(doc, () => putRecord(publicSpace(doc).standingOrders, key, paused))
  return { ok: true, value: paused }
}

export function stopStandingOrder(doc: SpaceDoc, clock: HybridClock, code: string, meal: Meal, by: Person): Checked<StandingOrder> {
  const key = standingKey(code, meal)
  const existing = readRecord(StandingOrderSchema, key, publicSpace(doc).standingOrders.get(key))
  if (!existing) return fail('standing', 'problem.notFound')
  const stopped: StandingOrder = { ...existing, active: false, updatedAt: clock.tick(), byId: by.id, byName: by.name }
  inTransaction(doc, () => putRecord(publicSpace(doc).standingOrders, key, stopped))
  return { ok: true, value: stopped }
}

// ---- Staff space: the elder roster, delivery rounds, door marks -------------------

export function addElder(staffDoc: SpaceDoc, clock: HybridClock, draft: ElderDraft): Checked<Elder> {
  const check = checkElderDraft(draft)
  if (!check.ok) return check
  const elders = staffSpace(staffDoc).elders
  let code = ''
  do code = newElderCode(() => crypto.getRandomValues(new Uint8Array(1))[0]!)
  while (elders.has(code))
  const elder: Elder = { id: code, ...check.value, stamp: clock.tick() }
  inTransaction(staffDoc, () => putRecord(elders, code, elder))
  return { ok: true, value: elder }
}

export function editElder(staffDoc: SpaceDoc, clock: HybridClock, code: string, draft: ElderDraft): Checked<Elder> {
  if (!staffSpace(staffDoc).elders.has(code)) return fail('elder', 'problem.notFound')
  const check = checkElderDraft(draft)
  if (!check.ok) return check
  const elder: Elder = { id: code, ...check.value, stamp: clock.tick() }
  inTransaction(staffDoc, () => putRecord(staffSpace(staffDoc).elders, code, elder))
  return { ok: true, value: elder }
}

export function saveRound(staffDoc: SpaceDoc, clock: HybridClock, round: Omit<Round, 'id' | 'stamp'> & { id?: string }): Checked<Round> {
  if (round.stops.length === 0) return fail('stops', 'problem.noStops')
  if (!round.name.trim()) return fail('name', 'problem.required')
  const saved: Round = { ...round, id: round.id ?? datedId(round.day), name: round.name.trim(), stamp: clock.tick() }
  inTransaction(staffDoc, () => putRecord(staffSpace(staffDoc).rounds, saved.id, saved))
  return { ok: true, value: saved }
}

/** The volunteer at the door: delivered, not home, or a concern (with a note). */
export function markDoor(staffDoc: SpaceDoc, clock: HybridClock, roundId: string, code: string, result: DoorResult, note: string, by: Person): Checked<DeliveryMark> {
  const round = readRecord(RoundSchema, roundId, staffSpace(staffDoc).rounds.get(roundId))
  if (!round || !round.stops.includes(code)) return fail('stop', 'problem.notFound')
  if (result === 'concern' && !note.trim()) return fail('note', 'problem.concernNeedsNote')
  const mark: DeliveryMark = { id: markKey(roundId, code, clock.deviceId), roundId, elderCode: code, result, note: note.trim().slice(0, 300), byId: by.id, byName: by.name, stamp: clock.tick() }
  inTransaction(staffDoc, () => putRecord(staffSpace(staffDoc).deliveryMarks, mark.id, mark))
  return { ok: true, value: mark }
}

export function readCanteen(doc: SpaceDoc, staffDoc?: SpaceDoc) {
  const layout = publicSpace(doc)
  const staff = staffDoc ? staffSpace(staffDoc) : null
  return {
    prices: readPrices(doc),
    menus: [...readCollection(layout.menus, MenuSchema).records.values()],
    ...readPublic(doc),
    elders: staff ? readCollection(staff.elders, ElderSchema).records : new Map<string, Elder>(),
    rounds: staff ? [...readCollection(staff.rounds, RoundSchema).records.values()] : [],
    marks: staff ? [...readCollection(staff.deliveryMarks, DeliveryMarkSchema).records.values()] : [],
  }
}

export function liveCanteenData(doc: SpaceDoc, clock: HybridClock, periods?: ShownPeriods) {
  const layout = publicSpace(doc)
  return {
    settings: liveCollection(layout.canteenSettings, PricesSchema, (p) => clock.receive(p.stamp), periods),
    menus: liveCollection(layout.menus, MenuSchema, (m) => clock.receive(m.stamp), periods),
    reservations: liveCollection(layout.reservations, ReservationSchema, (r) => clock.receive(r.updatedAt), periods),
    standing: liveCollection(layout.standingOrders, StandingOrderSchema, (s) => clock.receive(s.updatedAt), periods),
  }
}
export type LiveCanteenData = ReturnType<typeof liveCanteenData>

export function liveStaffCanteenData(staffDoc: SpaceDoc, clock: HybridClock, periods?: ShownPeriods) {
  const layout = staffSpace(staffDoc)
  return {
    elders: liveCollection(layout.elders, ElderSchema, (e) => clock.receive(e.stamp), periods),
    rounds: liveCollection(layout.rounds, RoundSchema, (r) => clock.receive(r.stamp), periods),
    marks: liveCollection(layout.deliveryMarks, DeliveryMarkSchema, (m) => clock.receive(m.stamp), periods),
  }
}
export type LiveStaffCanteenData = ReturnType<typeof liveStaffCanteenData>
