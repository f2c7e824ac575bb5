import * as v from 'valibot'
import { isDay, minutesOf, plusDays, weekdayOf, type Day } from './calendar'
import { compareStamps, parseStamp, StampSchema, type Stamp } from './hlc'
import { DaySchema, TimeSchema } from './schedule'
import { checked, checkText, type Checked, type Problems } from './validation'

// The elder canteen (助老食堂). Menus, meal reservations and standing orders live in
// the public space, which every resident's phone holds, so they keep only what every
// resident may see: the day, the meal, how many, and the queue. The elder is named by
// a tag made from their meal-card code (trust/orders.ts), never by the code; the code,
// the delivery mode and a pause (a hospital stay) are sealed: once to staff (the
// canteen's drop-box key), once under a key only those who know the code can make (the
// elder, whoever reserves for them). Who a code belongs to (name, address, phone, diet,
// subsidy tier) lives in the staff space alone, as does what staff opened of each order.
// Seats go by the same rule as every other place: reservations in HLC order, the
// first that fit are served, the rest wait, derived on every device alike.

export const MEALS = ['breakfast', 'lunch', 'dinner'] as const
export type Meal = (typeof MEALS)[number]
export const MODES = ['eatIn', 'delivery'] as const
export type Mode = (typeof MODES)[number]
export const TIERS = ['standard', 'dibao', 'tekun'] as const
export type Tier = (typeof TIERS)[number]
export const DIETS = ['lowSalt', 'diabetic', 'soft', 'allergy'] as const
export type Diet = (typeof DIETS)[number]

const stamp = StampSchema
const text = (max: number) => v.pipe(v.string(), v.maxLength(max))
export const ElderCodeSchema = v.pipe(v.string(), v.regex(/^[A-Z0-9]{6}$/))
/** What names an elder's order in the public space: a tag made from their code (trust/orders.ts), not the code. */
export const TagSchema = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{16,43}$/))
const SealedToStaffSchema = v.object({ to: v.string(), from: v.string(), iv: v.string(), box: v.string() })
/** The personal part of an order: sealed to staff's drop box, and under the card's own key. */
export const SealedOrderSchema = v.object({ staff: SealedToStaffSchema, own: v.object({ iv: v.string(), box: v.string() }) })
export type SealedOrder = v.InferOutput<typeof SealedOrderSchema>
/** What an order's sealed part holds once opened. */
export const OrderSecretSchema = v.object({
  code: ElderCodeSchema,
  mode: v.picklist(MODES),
  pausedFrom: v.optional(DaySchema),
  pausedUntil: v.optional(DaySchema),
})
export type OrderSecret = v.InferOutput<typeof OrderSecretSchema>

// ---- Public space ---------------------------------------------------------------

/**
 * The canteen's drop box: the public half of an X25519 key whose private half only staff
 * devices hold (in the staff space). Residents seal what is personal in an order to it.
 */
// (An X25519 public key, base64url: anything else would only make every order fail to seal.)
export const DropboxSchema = v.object({ id: v.literal('dropbox'), key: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{43}$/)), stamp })
export type Dropbox = v.InferOutput<typeof DropboxSchema>

const yuan = v.pipe(v.number(), v.minValue(0), v.maxValue(1000))

/**
 * Prices are community settings. In the field 8 yuan is the elder's price (already
 * subsidised) and 2 yuan the low-income (低保) and extreme-hardship (特困) price; the
 * district pays the rest of each meal's cost (its `cost`, per meal), for every elder.
 * Extra portions on one order (a carer, a visitor) are at the visitor price, with no
 * subsidy. Records written before costs and the visitor price existed have neither.
 */
export const PricesSchema = v.object({
  id: v.literal('prices'),
  full: yuan,
  subsidised: yuan,
  visitor: v.optional(yuan),
  cost: v.optional(v.object({ breakfast: v.optional(yuan), lunch: v.optional(yuan), dinner: v.optional(yuan) })),
  stamp,
})
export type Prices = v.InferOutput<typeof PricesSchema>
export type MealPrices = Omit<Prices, 'id' | 'stamp'>
export const DEFAULT_PRICES: MealPrices = { full: 8, subsidised: 2 }

export const MenuSchema = v.pipe(
  v.object({
    id: v.string(),
    day: DaySchema,
    meal: v.picklist(MEALS),
    dishes: v.pipe(v.array(text(40)), v.minLength(1), v.maxLength(20)),
    seats: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(5000)),
    /** Reservations close at this time on the day itself. */
    cutoff: TimeSchema,
    delivery: v.boolean(),
    byId: v.string(),
    stamp,
  }),
  v.check((m) => m.id === menuKey(m.day, m.meal), 'id does not match what it belongs to'),
)
export type Menu = v.InferOutput<typeof MenuSchema>
export const menuKey = (day: Day, meal: Meal) => `${day}|${meal}`

export const ReservationSchema = v.pipe(
  v.object({
    id: v.string(),
    day: DaySchema,
    meal: v.picklist(MEALS),
    tag: TagSchema,
    count: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10)),
    sealed: SealedOrderSchema,
    /** Place in the queue for seats. */
    stamp,
    updatedAt: stamp,
    active: v.boolean(),
    byId: v.string(),
    byName: v.string(),
    /** Made by someone for the elder (staff or a volunteer, 代办). */
    onBehalf: v.boolean(),
    sawSeat: v.boolean(),
  }),
  v.check((r) => r.id === reservationKey(r.day, r.meal, r.tag), 'id does not match what it belongs to'),
)
export type Reservation = v.InferOutput<typeof ReservationSchema>
export const reservationKey = (day: Day, meal: Meal, tag: string) => `${day}|${meal}|${tag}`

export const StandingOrderSchema = v.pipe(
  v.object({
    id: v.string(),
    tag: TagSchema,
    meal: v.picklist(MEALS),
    weekdays: v.array(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(7))),
    count: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10)),
    /** First day it applies: the first day whose cutoff had not passed when it was set. */
    from: DaySchema,
    /** The mode and any pause (a hospital stay) are in here, not in the clear. */
    sealed: SealedOrderSchema,
    active: v.boolean(),
    stamp,
    updatedAt: stamp,
    byId: v.string(),
    byName: v.string(),
  }),
  v.check((o) => o.id === standingKey(o.tag, o.meal), 'id does not match what it belongs to'),
)
export type StandingOrder = v.InferOutput<typeof StandingOrderSchema>
export const standingKey = (tag: string, meal: Meal) => `${tag}|${meal}`

/** An order with what was sealed in it, once opened (by staff, or by whoever knows the code). */
export type Opened<T> = T & Partial<OrderSecret>


// ---- Staff space ----------------------------------------------------------------

export const ElderSchema = v.object({
  id: ElderCodeSchema,
  name: v.pipe(v.string(), v.minLength(1), v.maxLength(30)),
  building: text(20),
  unit: text(20),
  phone: text(30),
  emergencyName: text(30),
  emergencyPhone: text(30),
  diets: v.array(v.picklist(DIETS)),
  allergies: text(100),
  tier: v.picklist(TIERS),
  service: v.picklist(MODES),
  deliveryNote: text(200),
  stamp,
})
export type Elder = v.InferOutput<typeof ElderSchema>

/** Staff's drop-box keys: the private half of each, so any staff device opens what residents sealed to it. */
export const DropboxKeySchema = v.object({ id: v.string(), secret: v.string(), stamp })
export type DropboxKey = v.InferOutput<typeof DropboxKeySchema>

/**
 * What a staff device opened of one public order (filed under the order's own key, so a
 * day's reservations stay in their month): its code, mode and pause, for the version
 * (`updatedAt`) of the order it was opened from.
 */
export const OrderDetailSchema = v.object({
  id: v.string(),
  kind: v.picklist(['reservation', 'standing']),
  ...OrderSecretSchema.entries,
  version: StampSchema,
  stamp,
})
export type OrderDetail = v.InferOutput<typeof OrderDetailSchema>

export const RoundSchema = v.object({
  id: v.string(),
  day: DaySchema,
  meal: v.picklist(MEALS),
  name: v.pipe(v.string(), v.minLength(1), v.maxLength(40)),
  /** Elder codes in delivery order. */
  stops: v.array(ElderCodeSchema),
  volunteerId: v.string(),
  volunteerName: v.string(),
  stamp,
})
export type Round = v.InferOutput<typeof RoundSchema>

export const DOOR_RESULTS = ['delivered', 'notHome', 'concern'] as const
export type DoorResult = (typeof DOOR_RESULTS)[number]
/** Each device's latest mark for a stop is its own entry; the newest by HLC counts. */
export const DeliveryMarkSchema = v.pipe(
  v.object({
    id: v.string(),
    roundId: v.string(),
    elderCode: ElderCodeSchema,
    result: v.picklist(DOOR_RESULTS),
    note: text(300),
    byId: v.string(),
    byName: v.string(),
    stamp,
  }),
  v.check((m) => m.id === markKey(m.roundId, m.elderCode, parseStamp(m.stamp)?.deviceId ?? ''), 'id does not match what it belongs to'),
)
export type DeliveryMark = v.InferOutput<typeof DeliveryMarkSchema>
export const markKey = (roundId: string, code: string, deviceId: string) => `${roundId}|${code}|${deviceId}`

// ---- Rules ----------------------------------------------------------------------

/** What an elder of this tier pays for their own meal. */
export function priceFor(tier: Tier, prices: MealPrices): number {
  return tier === 'standard' ? prices.full : prices.subsidised
}

/** An extra portion on an elder's order (a carer, a visitor): the visitor price, or the elder's full price if none is set. */
export const extraPrice = (prices: MealPrices): number => prices.visitor ?? prices.full

/** What one order pays at the counter: the elder's own meal at their tier's price, each extra portion at the visitor price. */
export const chargeFor = (tier: Tier, count: number, prices: MealPrices): number => priceFor(tier, prices) + Math.max(0, count - 1) * extraPrice(prices)

/** What the district pays for an elder's own meal: its cost less what the elder paid; null while staff have not set the cost. */
export function subsidyFor(tier: Tier, meal: Meal, prices: MealPrices): number | null {
  const cost = prices.cost?.[meal]
  return cost === undefined ? null : Math.max(0, cost - priceFor(tier, prices))
}

/** Reservations for a meal close at its cutoff on the day; any later day is open. */
export function isPastCutoff(menu: Pick<Menu, 'day' | 'cutoff'>, today: Day, now: string): boolean {
  if (menu.day < today) return true
  return menu.day === today && minutesOf(now) >= minutesOf(menu.cutoff)
}

/** The first day on or after `today` whose cutoff for this meal has not passed. */
export function firstOpenDay(today: Day, now: string, cutoff: string): Day {
  return minutesOf(now) >= minutesOf(cutoff) ? plusDays(today, 1) : today
}

/** Whether a standing order takes a seat on a day (a pause is sealed, so it does not count here: see `isPaused`). */
export function standingApplies(order: Pick<StandingOrder, 'active' | 'from' | 'weekdays'>, day: Day): boolean {
  return order.active && day >= order.from && order.weekdays.includes(weekdayOf(day))
}

/** Paused that day (a hospital stay), as whoever opened the order knows. */
export const isPaused = (order: Partial<OrderSecret>, day: Day): boolean => !!order.pausedFrom && !!order.pausedUntil && day >= order.pausedFrom && day <= order.pausedUntil

/**
 * What an elder has ordered for a meal: an explicit reservation overrides the standing
 * order (they share the elder's tag). `elderCode`, `mode` and `paused` are known only
 * where the order was opened (staff, or the elder's own screen). A paused standing order
 * keeps its seat: every device must count seats alike, and the pause is sealed; staff
 * do not cook for it (mealTally).
 */
export interface Order {
  tag: string
  count: number
  stamp: Stamp
  source: 'reservation' | 'standing'
  sawSeat: boolean
  onBehalf: boolean
  elderCode?: string
  mode?: Mode
  paused?: boolean
}

export function ordersFor(day: Day, meal: Meal, reservations: readonly Opened<Reservation>[], standing: readonly Opened<StandingOrder>[]): Order[] {
  const explicit = new Map(reservations.filter((r) => r.day === day && r.meal === meal).map((r) => [r.tag, r]))
  const orders: Order[] = []
  const secret = (o: Partial<OrderSecret>) => ({ ...(o.code ? { elderCode: o.code } : {}), ...(o.mode ? { mode: o.mode } : {}) })
  for (const r of explicit.values()) {
    if (r.active) orders.push({ tag: r.tag, count: r.count, stamp: r.stamp, source: 'reservation', sawSeat: r.sawSeat, onBehalf: r.onBehalf, ...secret(r) })
  }
  for (const s of standing) {
    if (s.meal !== meal || explicit.has(s.tag) || !standingApplies(s, day)) continue
    orders.push({ tag: s.tag, count: s.count, stamp: s.stamp, source: 'standing', sawSeat: true, onBehalf: false, ...secret(s), ...(isPaused(s, day) ? { paused: true } : {}) })
  }
  return orders
}

export interface SeatView {
  served: Order[]
  waiting: Order[]
  seatsLeft: number
}

/**
 * Seats by HLC order, counting each order's meals: an order that no longer fits
 * waits whole (a family of two is not split), and later smaller orders may still fit.
 */
export function allocateSeats(orders: readonly Order[], seats: number): SeatView {
  const ordered = [...orders].sort((a, b) => compareStamps(a.stamp, b.stamp) || (a.tag < b.tag ? -1 : 1))
  const served: Order[] = []
  const waiting: Order[] = []
  let left = seats
  for (const order of ordered) {
    if (order.count <= left) {
      served.push(order)
      left -= order.count
    } else waiting.push(order)
  }
  return { served, waiting, seatsLeft: left }
}

export type SeatStatus = 'served' | 'waiting' | 'bumped' | 'none'
export function seatStatusOf(view: SeatView, tag: string): SeatStatus {
  if (view.served.some((o) => o.tag === tag)) return 'served'
  const waiting = view.waiting.find((o) => o.tag === tag)
  if (!waiting) return 'none'
  return waiting.sawSeat ? 'bumped' : 'waiting'
}

/** The newest mark (by HLC) for each stop of a round. */
export function doorResults(marks: readonly DeliveryMark[], roundId: string): Map<string, DeliveryMark> {
  const latest = new Map<string, DeliveryMark>()
  for (const m of marks) {
    if (m.roundId !== roundId) continue
    const current = latest.get(m.elderCode)
    if (!current || compareStamps(current.stamp, m.stamp) < 0) latest.set(m.elderCode, m)
  }
  return latest
}

/** Stops in delivery order: by building, then unit, then code. */
export function routeOrder(elders: readonly Pick<Elder, 'id' | 'building' | 'unit'>[]): string[] {
  const collator = new Intl.Collator('zh-CN', { numeric: true })
  return [...elders].sort((a, b) => collator.compare(a.building, b.building) || collator.compare(a.unit, b.unit) || (a.id < b.id ? -1 : 1)).map((e) => e.id)
}

// ---- Drafts and checks -------------------------------------------------------------

export interface MenuDraft {
  day: Day
  meal: Meal
  dishes: string[]
  seats: number
  cutoff: string
  delivery: boolean
}

export function checkMenuDraft(draft: MenuDraft, today: Day): Checked<MenuDraft, keyof MenuDraft> {
  const problems: Problems<keyof MenuDraft> = {}
  const dishes = draft.dishes.map((d) => d.trim()).filter(Boolean)
  if (dishes.length === 0) problems.dishes = 'problem.noDishes'
  else if (dishes.length > 20 || dishes.some((d) => d.length > 40)) problems.dishes = 'problem.tooLong'
  if (!Number.isInteger(draft.seats) || draft.seats < 1) problems.seats = 'problem.noSeats'
  else if (draft.seats > 5000) problems.seats = 'problem.tooMany'
  if (!isDay(draft.day)) problems.day = 'problem.badDate'
  else if (draft.day < today) problems.day = 'problem.dateInPast'
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(draft.cutoff)) problems.cutoff = 'problem.badTime'
  return checked({ ...draft, dishes }, problems)
}

export interface ElderDraft {
  name: string
  building: string
  unit: string
  phone: string
  emergencyName: string
  emergencyPhone: string
  diets: Diet[]
  allergies: string
  tier: Tier
  service: Mode
  deliveryNote: string
}

export function checkElderDraft(draft: ElderDraft): Checked<ElderDraft, keyof ElderDraft> {
  const problems: Problems<keyof ElderDraft> = {}
  checkText(problems, 'name', draft.name, { required: true, max: 30 })
  checkText(problems, 'building', draft.building, { required: true, max: 20 })
  checkText(problems, 'unit', draft.unit, { required: false, max: 20 })
  checkText(problems, 'phone', draft.phone, { required: false, max: 30 })
  checkText(problems, 'emergencyName', draft.emergencyName, { required: false, max: 30 })
  checkText(problems, 'emergencyPhone', draft.emergencyPhone, { required: false, max: 30 })
  checkText(problems, 'allergies', draft.allergies, { required: false, max: 100 })
  checkText(problems, 'deliveryNote', draft.deliveryNote, { required: false, max: 200 })
  const trim = (s: string) => s.trim()
  return checked(
    { ...draft, name: trim(draft.name), building: trim(draft.building), unit: trim(draft.unit), phone: trim(draft.phone), emergencyName: trim(draft.emergencyName), emergencyPhone: trim(draft.emergencyPhone), allergies: trim(draft.allergies), deliveryNote: trim(draft.deliveryNote) },
    problems,
  )
}

// ---- Boards and reports ---------------------------------------------------------------

export interface MealTally {
  meal: Meal
  menu: Menu | null
  eatIn: number
  delivered: number
  waiting: number
  byDiet: Record<Diet | 'none', number>
  /** Yuan due at the counter by tier (extra portions at the visitor price), and the subsidy the district owes for this meal (0 while its cost is not set). */
  dueByTier: Record<Tier, number>
  subsidy: number
  unknownCodes: number
  /** Served standing orders paused that day (a hospital stay): their seats are kept, nothing is cooked. */
  paused: number
}

export function mealTally(menu: Menu | null, meal: Meal, orders: readonly Order[], elders: ReadonlyMap<string, Elder>, prices: MealPrices): MealTally {
  const view = allocateSeats(orders, menu?.seats ?? 0)
  const board: MealTally = {
    meal,
    menu,
    eatIn: 0,
    delivered: 0,
    waiting: view.waiting.reduce((s, o) => s + o.count, 0),
    byDiet: { lowSalt: 0, diabetic: 0, soft: 0, allergy: 0, none: 0 },
    dueByTier: { standard: 0, dibao: 0, tekun: 0 },
    subsidy: 0,
    unknownCodes: 0,
    paused: 0,
  }
  for (const order of view.served) {
    if (order.paused) {
      board.paused += order.count
      continue
    }
    if (order.mode === 'delivery') board.delivered += order.count
    else board.eatIn += order.count
    // Not opened yet (no drop-box key held here, or not yet settled): counted, priced in full.
    const elder = order.elderCode ? elders.get(order.elderCode) : undefined
    if (!elder) {
      board.unknownCodes++
      board.dueByTier.standard += chargeFor('standard', order.count, prices)
      continue
    }
    if (elder.diets.length === 0) board.byDiet.none += order.count
    for (const diet of elder.diets) board.byDiet[diet] += order.count
    board.dueByTier[elder.tier] += chargeFor(elder.tier, order.count, prices)
    board.subsidy += subsidyFor(elder.tier, meal, prices) ?? 0
  }
  return board
}

export interface MonthReport {
  month: string
  /** Elders' own meals served, by meal and tier. */
  served: Record<Meal, Record<Tier, number>>
  /** Extra portions served on elders' orders (a carer, a visitor): paid at the visitor price, not subsidised. */
  extra: Record<Meal, number>
  /** Different elders served at least once (orders not yet opened on this device are not among them). */
  elders: number
  deliveriesMade: number
  deliveriesMissed: number
  /** What the district owes: each elder's meal's cost less what the elder paid, by tier. */
  subsidyByTier: Record<Tier, number>
  subsidy: number
  /** Meals served whose cost staff have not set: no subsidy is counted for them. */
  withoutCost: number
}

/** Meals served (served orders on days up to today), deliveries made and missed, subsidy owed. */
export function monthReport(
  month: string,
  today: Day,
  menus: readonly Menu[],
  reservations: readonly Opened<Reservation>[],
  standing: readonly Opened<StandingOrder>[],
  elders: ReadonlyMap<string, Elder>,
  results: readonly DoorResult[],
  prices: MealPrices,
): MonthReport {
  const served = Object.fromEntries(MEALS.map((m) => [m, { standard: 0, dibao: 0, tekun: 0 }])) as Record<Meal, Record<Tier, number>>
  const extra = Object.fromEntries(MEALS.map((m) => [m, 0])) as Record<Meal, number>
  const subsidyByTier: Record<Tier, number> = { standard: 0, dibao: 0, tekun: 0 }
  const seen = new Set<string>()
  let withoutCost = 0
  for (const menu of menus) {
    if (!menu.day.startsWith(month) || menu.day > today) continue
    const view = allocateSeats(ordersFor(menu.day, menu.meal, reservations, standing), menu.seats)
    for (const order of view.served) {
      if (order.paused) continue
      const elder = order.elderCode ? elders.get(order.elderCode) : undefined
      const tier = elder?.tier ?? 'standard'
      if (elder) seen.add(order.elderCode!)
      served[menu.meal][tier]++
      extra[menu.meal] += order.count - 1
      const subsidy = subsidyFor(tier, menu.meal, prices)
      if (subsidy === null) withoutCost++
      else subsidyByTier[tier] += subsidy
    }
  }
  return {
    month,
    served,
    extra,
    elders: seen.size,
    deliveriesMade: results.filter((r) => r === 'delivered').length,
    deliveriesMissed: results.filter((r) => r !== 'delivered').length,
    subsidyByTier,
    subsidy: subsidyByTier.standard + subsidyByTier.dibao + subsidyByTier.tekun,
    withoutCost,
  }
}

/** The opaque code that names an elder in the public space: 6 characters, no meaning. */
export function newElderCode(randomByte: () => number): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'
  return Array.from({ length: 6 }, () => alphabet[randomByte() % alphabet.length]).join('')
}

/** When reservations close if staff set nothing else (same day). */
export const DEFAULT_CUTOFF: Record<Meal, string> = { breakfast: '06:30', lunch: '09:00', dinner: '14:00' }

/** Today's delivery orders grouped into one round per building, stops in route order. */
export function planRounds(orders: readonly Order[], elders: ReadonlyMap<string, Elder>): { name: string; stops: string[] }[] {
  const byBuilding = new Map<string, Elder[]>()
  for (const order of orders) {
    if (order.mode !== 'delivery' || order.paused || !order.elderCode) continue
    const elder = elders.get(order.elderCode)
    if (!elder) continue
    byBuilding.set(elder.building, [...(byBuilding.get(elder.building) ?? []), elder])
  }
  const collator = new Intl.Collator('zh-CN', { numeric: true })
  return [...byBuilding.entries()].sort(([a], [b]) => collator.compare(a, b)).map(([name, list]) => ({ name, stops: routeOrder(list) }))
}
