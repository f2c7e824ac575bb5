import type { SpaceDocs, SpaceMap } from './space-docs'
import {
  allocateSeats,
  checkElderDraft,
  checkMenuDraft,
  DEFAULT_CUTOFF,
  DEFAULT_PRICES,
  DeliveryMarkSchema,
  DropboxKeySchema,
  DropboxSchema,
  ElderSchema,
  firstOpenDay,
  isPastCutoff,
  markKey,
  menuKey,
  MenuSchema,
  newElderCode,
  OrderDetailSchema,
  ordersFor,
  PricesSchema,
  MEALS,
  type MealPrices,
  reservationKey,
  ReservationSchema,
  RoundSchema,
  StandingOrderSchema,
  standingKey,
  type DeliveryMark,
  type DoorResult,
  type Dropbox,
  type DropboxKey,
  type Elder,
  type ElderDraft,
  type Meal,
  type Menu,
  type MenuDraft,
  type Mode,
  type Opened,
  type OrderDetail,
  type OrderSecret,
  type Prices,
  type Reservation,
  type Round,
  type SealedOrder,
  type StandingOrder,
} from '../domain/canteen'
import { isDay, plusDays, today, type Day } from '../domain/calendar'
import type { HybridClock } from '../domain/hlc'
import { datedId } from '../domain/ids'
import { failed, type Checked } from '../domain/validation'
import { readByPrefix, readCollection, readRecord, type RecordSchema, type Writer } from './collection'
import { publicSpace, staffSpace } from './layout'
import type { Person } from './places'
import { liveOf, liveGroups, type ShownMonths } from './reactive'

const fail = failed

// ---- Public space: prices, menus, reservations, standing orders --------------------

export function readPrices(docs: SpaceDocs): MealPrices {
  return readRecord(PricesSchema, 'prices', publicSpace(docs).canteenSettings.get('prices')) ?? DEFAULT_PRICES
}

/** The elder's price, the low-income price, the visitor price and each meal's cost (NaN or absent: not set). */
export function setPrices(docs: SpaceDocs, clock: HybridClock, input: MealPrices): Checked<Prices> {
  const isYuan = (n: number) => Number.isFinite(n) && n >= 0 && n <= 1000
  if (!isYuan(input.full)) return fail('full', 'problem.badPrice')
  if (!isYuan(input.subsidised) || input.subsidised > input.full) return fail('subsidised', 'problem.badPrice')
  const prices: Prices = { id: 'prices', full: input.full, subsidised: input.subsidised, stamp: clock.tick() }
  if (input.visitor !== undefined && !Number.isNaN(input.visitor)) {
    if (!isYuan(input.visitor)) return fail('visitor', 'problem.badPrice')
    prices.visitor = input.visitor
  }
  const cost: NonNullable<Prices['cost']> = {}
  for (const meal of MEALS) {
    const value = input.cost?.[meal]
    if (value === undefined || Number.isNaN(value)) continue
    // A meal costing less than an elder pays would make the district's share negative.
    if (!isYuan(value) || value < input.full) return fail(meal, 'problem.badPrice')
    cost[meal] = value
  }
  if (Object.keys(cost).length > 0) prices.cost = cost
  docs.transact(() => publicSpace(docs).canteenSettings.put('prices', prices))
  return { ok: true, value: prices }
}

export function findMenu(docs: SpaceDocs, day: Day, meal: Meal): Menu | null {
  const key = menuKey(day, meal)
  return readRecord(MenuSchema, key, publicSpace(docs).menus.get(key))
}

/** Publishes (or replaces) the menu for one day and meal. */
export function publishMenu(docs: SpaceDocs, clock: HybridClock, by: Person, draft: MenuDraft, today: Day): Checked<Menu> {
  const check = checkMenuDraft(draft, today)
  if (!check.ok) return check
  const menu: Menu = { id: menuKey(check.value.day, check.value.meal), ...check.value, byId: by.id, stamp: clock.tick() }
  docs.transact(() => publicSpace(docs).menus.put(menu.id, menu))
  return { ok: true, value: menu }
}

/** Copies last week's menus to the week starting `monday`, for days not yet past and not yet planned. */
export function copyLastWeek(docs: SpaceDocs, clock: HybridClock, by: Person, monday: Day, today: Day): Menu[] {
  const copied: Menu[] = []
  docs.transact(() => {
    for (let i = 0; i < 7; i++) {
      const day = plusDays(monday, i)
      if (day < today) continue
      for (const meal of ['breakfast', 'lunch', 'dinner'] as const) {
        const source = findMenu(docs, plusDays(day, -7), meal)
        if (!source || findMenu(docs, day, meal)) continue
        const menu: Menu = { ...source, id: menuKey(day, meal), day, byId: by.id, stamp: clock.tick() }
        publicSpace(docs).menus.put(menu.id, menu)
        copied.push(menu)
      }
    }
  })
  return copied
}

function readPublic(docs: SpaceDocs) {
  const layout = publicSpace(docs)
  return {
    reservations: [...readCollection(layout.reservations, ReservationSchema).records.values()],
    standing: [...readCollection(layout.standingOrders, StandingOrderSchema).records.values()],
  }
}

/** The canteen's drop box (its public half), or null before staff have published one. */
export function readDropbox(docs: SpaceDocs): Dropbox | null {
  return readRecord(DropboxSchema, 'dropbox', publicSpace(docs).canteenSettings.get('dropbox'))
}

/** Staff: the drop box's private half into the staff space, then its public half into the public space. */
export function putDropbox(pubDocs: SpaceDocs, staffDocs: SpaceDocs, clock: HybridClock, key: string, secret: string): void {
  const stamp = clock.tick()
  staffDocs.transact(() => staffSpace(staffDocs).dropboxKeys.put(key, { id: key, secret, stamp } satisfies DropboxKey))
  pubDocs.transact(() => publicSpace(pubDocs).canteenSettings.put('dropbox', { id: 'dropbox', key, stamp } satisfies Dropbox))
}

/**
 * A reservation by an elder's tag (trust/orders.ts makes it from the code, and seals the
 * code and mode into `sealed`). `mode` is only checked here (delivery where none), never
 * written in the clear.
 */
export interface ReservationRequest {
  tag: string
  day: Day
  meal: Meal
  mode: Mode
  count: number
}

/** Checks what can be checked before sealing: the menu, the cutoff, the count, delivery. */
export function checkReservation(docs: SpaceDocs, request: Omit<ReservationRequest, 'tag'>, today: Day, now: string): Checked<Menu> {
  if (!Number.isInteger(request.count) || request.count < 1) return fail('count', 'problem.countAtLeastOne')
  if (request.count > 10) return fail('count', 'problem.tooMany')
  const menu = isDay(request.day) ? findMenu(docs, request.day, request.meal) : null
  if (!menu) return fail('meal', 'problem.noMenu')
  if (isPastCutoff(menu, today, now)) return fail('meal', 'problem.pastCutoff')
  if (request.mode === 'delivery' && !menu.delivery) return fail('mode', 'problem.noDelivery')
  return { ok: true, value: menu }
}

/**
 * Reserves (or changes) a meal for an elder, from their own phone or on their
 * behalf (代办). Refused after the cutoff, for a meal not on the menu, a count of 0,
 * or delivery where none is offered. A change keeps its place in the queue.
 */
export function reserve(docs: SpaceDocs, clock: HybridClock, request: ReservationRequest, sealed: SealedOrder, by: Person, onBehalf: boolean, today: Day, now: string): Checked<Reservation> {
  const check = checkReservation(docs, request, today, now)
  if (!check.ok) return check
  const menu = check.value
  const key = reservationKey(request.day, request.meal, request.tag)
  const existing = readRecord(ReservationSchema, key, publicSpace(docs).reservations.get(key))
  // Only this meal's reservations are read (by key prefix), not the whole year.
  const layout = publicSpace(docs)
  const reservations = readByPrefix(layout.reservations, ReservationSchema, `${request.day}|${request.meal}|`)
  const standing = [...readCollection(layout.standingOrders, StandingOrderSchema).records.values()]
  const others = ordersFor(request.day, request.meal, reservations, standing).filter((o) => o.tag !== request.tag)
  // Stamped after every reservation of the meal it read, whatever a screen has shown.
  reservations.forEach((r) => clock.receive(r.updatedAt))
  const stamp = clock.tick()
  const keepsPlace = existing?.active ? existing.stamp : stamp
  const seatsTaken = allocateSeats(others.filter((o) => o.stamp < keepsPlace), menu.seats)
  const reservation: Reservation = {
    id: key,
    day: request.day,
    meal: request.meal,
    tag: request.tag,
    count: request.count,
    sealed,
    stamp: keepsPlace,
    updatedAt: stamp,
    active: true,
    byId: by.id,
    byName: by.name,
    onBehalf,
    sawSeat: seatsTaken.seatsLeft >= request.count,
  }
  docs.transact(() => publicSpace(docs).reservations.put(key, reservation))
  return { ok: true, value: reservation }
}

/** Whether a meal can still be cancelled (before its cutoff). */
export function checkCancel(docs: SpaceDocs, day: Day, meal: Meal, today: Day, now: string): Checked<Menu> {
  const menu = findMenu(docs, day, meal)
  if (!menu) return fail('meal', 'problem.noMenu')
  if (isPastCutoff(menu, today, now)) return fail('meal', 'problem.pastCutoff')
  return { ok: true, value: menu }
}

/** Cancels one meal (also one day of a standing order), until the cutoff. `sealed`: for a day with no reservation yet. */
export function cancelReservation(docs: SpaceDocs, clock: HybridClock, tag: string, day: Day, meal: Meal, sealed: SealedOrder, by: Person, today: Day, now: string): Checked<Reservation> {
  const check = checkCancel(docs, day, meal, today, now)
  if (!check.ok) return check
  const key = reservationKey(day, meal, tag)
  const existing = readRecord(ReservationSchema, key, publicSpace(docs).reservations.get(key))
  if (existing) clock.receive(existing.updatedAt)
  const stamp = clock.tick()
  const cancelled: Reservation = existing
    ? { ...existing, active: false, updatedAt: stamp, byId: by.id, byName: by.name }
    : { id: key, day, meal, tag, count: 1, sealed, stamp, updatedAt: stamp, active: false, byId: by.id, byName: by.name, onBehalf: false, sawSeat: false }
  docs.transact(() => publicSpace(docs).reservations.put(key, cancelled))
  return { ok: true, value: cancelled }
}

export interface StandingRequest {
  tag: string
  meal: Meal
  weekdays: number[]
  mode: Mode
  count: number
}

/** Checks a standing order before it is sealed: its weekdays and count. */
export function checkStanding(request: Omit<StandingRequest, 'tag'>): Checked<number[]> {
  const weekdays = [...new Set(request.weekdays)].filter((d) => d >= 1 && d <= 7).sort()
  if (weekdays.length === 0) return fail('weekdays', 'problem.noWeekdays')
  if (!Number.isInteger(request.count) || request.count < 1) return fail('count', 'problem.countAtLeastOne')
  if (request.count > 10) return fail('count', 'problem.tooMany')
  return { ok: true, value: weekdays }
}

/** The first day a standing order set (or paused) now applies from: the first whose cutoff has not passed. */
export const standingFrom = (docs: SpaceDocs, meal: Meal, today: Day, now: string): Day => firstOpenDay(today, now, findMenu(docs, today, meal)?.cutoff ?? DEFAULT_CUTOFF[meal])

/** Every chosen weekday, this meal, from the first day whose cutoff has not passed. */
export function setStandingOrder(docs: SpaceDocs, clock: HybridClock, request: StandingRequest, sealed: SealedOrder, by: Person, today: Day, now: string): Checked<StandingOrder> {
  const check = checkStanding(request)
  if (!check.ok) return check
  const key = standingKey(request.tag, request.meal)
  const existing = readRecord(StandingOrderSchema, key, publicSpace(docs).standingOrders.get(key))
  const stamp = clock.tick()
  const order: StandingOrder = {
    id: key,
    tag: request.tag,
    meal: request.meal,
    weekdays: check.value,
    count: request.count,
    from: standingFrom(docs, request.meal, today, now),
    sealed,
    active: true,
    stamp: existing?.active ? existing.stamp : stamp,
    updatedAt: stamp,
    byId: by.id,
    byName: by.name,
  }
  docs.transact(() => publicSpace(docs).standingOrders.put(key, order))
  return { ok: true, value: order }
}

export function findStanding(docs: SpaceDocs, tag: string, meal: Meal): StandingOrder | null {
  const key = standingKey(tag, meal)
  return readRecord(StandingOrderSchema, key, publicSpace(docs).standingOrders.get(key))
}

/** Whether a standing order can be paused until `until` (a hospital stay): from the first day still open. */
export function checkPause(docs: SpaceDocs, tag: string, meal: Meal, until: Day, today: Day, now: string): Checked<{ order: StandingOrder; from: Day }> {
  const existing = findStanding(docs, tag, meal)
  if (!existing || !existing.active) return fail('standing', 'problem.notFound')
  const from = standingFrom(docs, meal, today, now)
  if (!isDay(until)) return fail('until', 'problem.badDate')
  if (until < from) return fail('until', 'problem.untilBeforeFrom')
  return { ok: true, value: { order: existing, from } }
}

/** Pauses a standing order: the dates go only into its sealed part (`sealed`, made by trust/orders.ts). */
export function pauseStandingOrder(docs: SpaceDocs, clock: HybridClock, order: StandingOrder, sealed: SealedOrder, by: Person): StandingOrder {
  const paused: StandingOrder = { ...order, sealed, updatedAt: clock.tick(), byId: by.id, byName: by.name }
  docs.transact(() => publicSpace(docs).standingOrders.put(order.id, paused))
  return paused
}

export function stopStandingOrder(docs: SpaceDocs, clock: HybridClock, tag: string, meal: Meal, by: Person): Checked<StandingOrder> {
  const existing = findStanding(docs, tag, meal)
  if (!existing) return fail('standing', 'problem.notFound')
  const stopped: StandingOrder = { ...existing, active: false, updatedAt: clock.tick(), byId: by.id, byName: by.name }
  docs.transact(() => publicSpace(docs).standingOrders.put(existing.id, stopped))
  return { ok: true, value: stopped }
}

/** Staff: the drop box's private halves this device holds (what residents sealed to staff opens with one of them). */
export const readDropboxKeys = (staffDocs: SpaceDocs): DropboxKey[] => [...readCollection(staffSpace(staffDocs).dropboxKeys, DropboxKeySchema).records.values()]

/** The orders a staff device looks at: all of them, or those whose keys changed since it last looked. */
export type OrdersToRead = 'all' | { reservations: ReadonlySet<string>; standingOrders: ReadonlySet<string> }

/** Staff: the drop-box keys held, and each order (of those asked for) whose current version has not been opened into the staff space. */
export function readOrderSecrets(pubDocs: SpaceDocs, staffDocs: SpaceDocs, only: OrdersToRead = 'all') {
  const details = staffSpace(staffDocs).orderDetails
  const keys = readDropboxKeys(staffDocs)
  const opened = (record: Reservation | StandingOrder) => readRecord(OrderDetailSchema, record.id, details.get(record.id))?.version === record.updatedAt
  // A staff device runs this at every start and change over a month of orders, nearly
  // all opened before: an order whose stored version a detail already names is not
  // read at all (a forged one only goes unopened); the rest are read as usual.
  const field = (value: unknown, name: string) => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined)
  const unopened = <T extends Reservation | StandingOrder>(map: SpaceMap, schema: RecordSchema<T>, keys: ReadonlySet<string> | null): T[] => {
    const found: T[] = []
    const stored = keys ? [...keys].map((key): [string, unknown] => [key, map.shardOf(key)?.get(key)]) : map.unjudged()
    for (const [key, raw] of stored) {
      if (raw === undefined) continue
      if (field(raw, 'updatedAt') === field(details.shardOf(key)?.get(key), 'version')) continue
      const record = readRecord(schema, key, map.get(key))
      if (record && !opened(record)) found.push(record)
    }
    return found
  }
  const layout = publicSpace(pubDocs)
  const pending = [
    ...unopened(layout.reservations, ReservationSchema, only === 'all' ? null : only.reservations).map((record) => ({ kind: 'reservation' as const, record })),
    ...unopened(layout.standingOrders, StandingOrderSchema, only === 'all' ? null : only.standingOrders).map((record) => ({ kind: 'standing' as const, record })),
  ]
  return { keys, pending }
}

/** Staff: what was opened of one order's version, filed under the order's own key. */
export function putOrderDetail(staffDocs: SpaceDocs, clock: HybridClock, kind: OrderDetail['kind'], record: Reservation | StandingOrder, secret: OrderSecret): boolean {
  const detail: OrderDetail = { id: record.id, kind, ...secret, version: record.updatedAt, stamp: clock.tick() }
  if (readRecord(OrderDetailSchema, record.id, detail) === null) return false
  staffDocs.transact(() => staffSpace(staffDocs).orderDetails.put(record.id, detail))
  return true
}

/** Staff: orders with what was opened of them (an order not opened yet, or changed since, has no code). */
export function withDetails<T extends Reservation | StandingOrder>(records: readonly T[], detailOf: (id: string) => OrderDetail | undefined): Opened<T>[] {
  return records.map((record) => {
    const detail = detailOf(record.id)
    if (!detail || detail.version !== record.updatedAt) return record
    const { code, mode, pausedFrom, pausedUntil } = detail
    return { ...record, code, mode, ...(pausedFrom ? { pausedFrom } : {}), ...(pausedUntil ? { pausedUntil } : {}) }
  })
}

// ---- Staff space: the elder roster, delivery rounds, door marks -------------------

export function addElder(staffDocs: SpaceDocs, clock: HybridClock, draft: ElderDraft): Checked<Elder> {
  const check = checkElderDraft(draft)
  if (!check.ok) return check
  const elders = staffSpace(staffDocs).elders
  let code = ''
  do code = newElderCode(() => crypto.getRandomValues(new Uint8Array(1))[0]!)
  while (elders.has(code))
  const elder: Elder = { id: code, ...check.value, stamp: clock.tick() }
  staffDocs.transact(() => elders.put(code, elder))
  return { ok: true, value: elder }
}

export function editElder(staffDocs: SpaceDocs, clock: HybridClock, code: string, draft: ElderDraft): Checked<Elder> {
  if (!staffSpace(staffDocs).elders.has(code)) return fail('elder', 'problem.notFound')
  const check = checkElderDraft(draft)
  if (!check.ok) return check
  const elder: Elder = { id: code, ...check.value, stamp: clock.tick() }
  staffDocs.transact(() => staffSpace(staffDocs).elders.put(code, elder))
  return { ok: true, value: elder }
}

export function saveRound(staffDocs: SpaceDocs, clock: HybridClock, round: Omit<Round, 'id' | 'stamp'> & { id?: string }): Checked<Round> {
  if (round.stops.length === 0) return fail('stops', 'problem.noStops')
  if (!round.name.trim()) return fail('name', 'problem.required')
  const saved: Round = { ...round, id: round.id ?? datedId(round.day), name: round.name.trim(), stamp: clock.tick() }
  staffDocs.transact(() => staffSpace(staffDocs).rounds.put(saved.id, saved))
  return { ok: true, value: saved }
}

/** The volunteer at the door: delivered, not home, or a concern (with a note). */
export function markDoor(staffDocs: SpaceDocs, clock: HybridClock, roundId: string, code: string, result: DoorResult, note: string, by: Person): Checked<DeliveryMark> {
  const round = readRecord(RoundSchema, roundId, staffSpace(staffDocs).rounds.get(roundId))
  if (!round || !round.stops.includes(code)) return fail('stop', 'problem.notFound')
  if (result === 'concern' && !note.trim()) return fail('note', 'problem.concernNeedsNote')
  const mark: DeliveryMark = { id: markKey(roundId, code, clock.deviceId), roundId, elderCode: code, result, note: note.trim().slice(0, 300), byId: by.id, byName: by.name, stamp: clock.tick() }
  staffDocs.transact(() => staffSpace(staffDocs).deliveryMarks.put(mark.id, mark))
  return { ok: true, value: mark }
}

// ---- Bound commands: what screens call ---------------------------------------------

// What anyone may do in the canteen (reserve, a standing order) seals what is personal first: trust/orders.ts orderCommands.

/** What staff do: menus and prices in the public space; the roster, rounds and door marks in the staff space. */
export const staffCanteenCommands = (pub: Writer, staff: Writer) => ({
  publishMenu: (draft: MenuDraft) => publishMenu(pub.docs, pub.clock, pub.actor(), draft, today()),
  copyLastWeek: (monday: Day) => copyLastWeek(pub.docs, pub.clock, pub.actor(), monday, today()),
  setPrices: (prices: MealPrices) => setPrices(pub.docs, pub.clock, prices),
  addElder: (draft: ElderDraft) => addElder(staff.docs, staff.clock, draft),
  editElder: (code: string, draft: ElderDraft) => editElder(staff.docs, staff.clock, code, draft),
  saveRound: (round: Omit<Round, 'id' | 'stamp'> & { id?: string }) => saveRound(staff.docs, staff.clock, round),
  markDoor: (roundId: string, code: string, result: DoorResult, note: string) => markDoor(staff.docs, staff.clock, roundId, code, result, note, staff.actor()),
})

export function readCanteen(docs: SpaceDocs, staffDocs?: SpaceDocs) {
  const layout = publicSpace(docs)
  const staff = staffDocs ? staffSpace(staffDocs) : null
  return {
    prices: readPrices(docs),
    menus: [...readCollection(layout.menus, MenuSchema).records.values()],
    ...readPublic(docs),
    elders: staff ? readCollection(staff.elders, ElderSchema).records : new Map<string, Elder>(),
    rounds: staff ? [...readCollection(staff.rounds, RoundSchema).records.values()] : [],
    marks: staff ? [...readCollection(staff.deliveryMarks, DeliveryMarkSchema).records.values()] : [],
    /** Staff: what was opened of each order, by the order's key. */
    details: staff ? readCollection(staff.orderDetails, OrderDetailSchema).records : new Map<string, OrderDetail>(),
  }
}

/** Staff: reservations and standing orders with what was opened of them (for the board, rounds and report). */
export function readOpenedOrders(docs: SpaceDocs, staffDocs: SpaceDocs) {
  const data = readCanteen(docs, staffDocs)
  return { reservations: withDetails(data.reservations, (id) => data.details.get(id)), standing: withDetails(data.standing, (id) => data.details.get(id)) }
}

export function liveCanteenData(docs: SpaceDocs, clock: HybridClock, months?: ShownMonths) {
  const layout = publicSpace(docs)
  return {
    // (The drop box's public key lives here too: a record of its own, not a malformed price.)
    settings: liveOf(docs, 'canteenSettings', clock, months),
    menus: liveOf(docs, 'menus', clock, months),
    /** Every shown month's reservations, read when a screen first asks (a month's report). */
    reservations: liveOf(docs, 'reservations', clock, months),
    /** One day's reservations (their keys begin with the day), read when a screen shows that day. */
    reservationsOn: liveGroups(layout.reservations, ReservationSchema, (r) => clock.receive(r.updatedAt)),
    standing: liveOf(docs, 'standingOrders', clock, months),
  }
}
export type LiveCanteenData = ReturnType<typeof liveCanteenData>

export function liveStaffCanteenData(staffDocs: SpaceDocs, clock: HybridClock, months?: ShownMonths) {
  return {
    // The roster, rounds and door marks are read when a canteen screen first shows them.
    elders: liveOf(staffDocs, 'elders', clock, months),
    rounds: liveOf(staffDocs, 'rounds', clock, months),
    marks: liveOf(staffDocs, 'deliveryMarks', clock, months),
    /** What was opened of each order (filed like the orders: a day's in its month). */
    details: liveOf(staffDocs, 'orderDetails', clock, months),
    /** The drop box's private halves (read by trust/orders.ts; here so Diagnostics counts a malformed one). */
    dropboxKeys: liveOf(staffDocs, 'dropboxKeys', clock),
  }
}
export type LiveStaffCanteenData = ReturnType<typeof liveStaffCanteenData>
