import { createMemo } from 'solid-js'
import { allocateSeats, DEFAULT_PRICES, doorResults, mealTally, menuKey, ordersFor, seatStatusOf, type Elder, type Meal, type Menu, type OrderDetail, type Reservation, type Round, type StandingOrder } from '../../domain/canteen'
import type { Day } from '../../domain/calendar'
import type { CommunitySession, StaffCommands } from '../../session'
import { withDetails, type LiveStaffCanteenData } from '../../store/canteen'
import { createDeferredMemo, createDeferredMemos, groupItems } from '../common/derive'

// Canteen views for every screen, derived from the merged entries, with what anyone
// may do (reserve, a standing order). The staff board adds the roster, rounds and
// door marks, which only a device holding the staff space has.

const values = <T,>(c: { ids: () => readonly string[]; byId: Readonly<Record<string, T>> }) => c.ids().map((id) => c.byId[id]!).filter(Boolean)

export function createCanteenBoard(session: CommunitySession) {
  const data = session.canteen
  // The month's reservations, for the month's report only: read when it is first shown.
  const reservations = createDeferredMemo<Reservation[]>(() => values(data.reservations))
  const standing = createMemo<StandingOrder[]>(() => values(data.standing))
  // Every menu of the months shown, for reports: Today and the week look up theirs by key.
  const menus = createDeferredMemo<Menu[]>(() => values(data.menus))
  const prices = () => {
    const stored = data.settings.byId['prices']
    return stored?.id === 'prices' ? stored : DEFAULT_PRICES
  }

  const menuOf = (day: Day, meal: Meal): Menu | undefined => data.menus.byId[menuKey(day, meal)]
  // A day's reservations by meal, grouped once per change of that day, so each meal
  // line and each elder's row reads its own few; only the days shown are read at all.
  const byMeal = createDeferredMemos((day: Day) => groupItems(data.reservationsOn.of(day), (r) => r.meal))
  const reservationsFor = (day: Day, meal: Meal) => byMeal(day).get(meal) ?? []
  const ordersOf = (day: Day, meal: Meal) => ordersFor(day, meal, reservationsFor(day, meal), standing())
  const seatsOf = (day: Day, meal: Meal) => allocateSeats(ordersOf(day, meal), menuOf(day, meal)?.seats ?? 0)

  return {
    ...session.commands.canteen,
    /** Makes sure the entries of these months are read (a week or report outside the usual months). */
    showMonths: (months: Iterable<string>) => session.shown.canteen.show(months),
    prices,
    menus,
    menuOf,
    ordersOf,
    seatsOf,
    reservations,
    standing,
    /** A day's reservations of one meal (an elder's is found by their tag, trust/orders.ts). */
    reservationsFor,
    reservationOf: (day: Day, meal: Meal, tag: string) => reservationsFor(day, meal).find((r) => r.tag === tag),
    seatStatus: (day: Day, meal: Meal, tag: string) => seatStatusOf(seatsOf(day, meal), tag),
    /** The active standing orders of these tags (an elder has one per meal). */
    standingOf: (tags: readonly string[]) => standing().filter((s) => tags.includes(s.tag) && s.active),
  }
}
export type CanteenBoard = ReturnType<typeof createCanteenBoard>

/** The staff's canteen: the roster, each meal's tally, rounds and door marks, and their commands. */
export function createStaffCanteenBoard(staff: LiveStaffCanteenData, canteen: CanteenBoard, commands: StaffCommands['canteen']) {
  // Read when a canteen screen first asks, not at a staff phone's start (Today shows none of them).
  const elders = createDeferredMemo(() => new Map<string, Elder>(values(staff.elders).map((e) => [e.id, e])))
  const rounds = createDeferredMemo<Round[]>(() => values(staff.rounds))
  const marks = createDeferredMemo(() => values(staff.marks))
  // What this and other staff devices opened of each order (trust/orders.ts settleOrders): its code, mode and pause.
  const detailOf = (id: string): OrderDetail | undefined => staff.details.byId[id]
  // Deferred too: with the details of standing orders it would read a month of opened orders at a staff phone's start.
  const standing = createDeferredMemo(() => withDetails(canteen.standing(), detailOf))
  /** One meal's orders with their codes and modes, seated as on every device. */
  const ordersOf = (day: Day, meal: Meal) => ordersFor(day, meal, withDetails(canteen.reservationsFor(day, meal), detailOf), standing())
  return {
    ...commands,
    elders,
    rounds,
    ordersOf,
    /** Every shown month's orders with what was opened of them, for the month's report. */
    // Deferred like the public one: a staff phone's start reads no month of orders.
    reservations: createDeferredMemo(() => withDetails(canteen.reservations(), detailOf)),
    standing,
    /** What the kitchen needs for one meal: how many eat in and go out, by diet, and what is due. */
    tally: (day: Day, meal: Meal) => mealTally(canteen.menuOf(day, meal) ?? null, meal, ordersOf(day, meal), elders(), canteen.prices()),
    /** The meals served to one meal's orders, in seat order. */
    servedOf: (day: Day, meal: Meal) => allocateSeats(ordersOf(day, meal), canteen.menuOf(day, meal)?.seats ?? 0).served,
    resultsOf: (roundId: string) => doorResults(marks(), roundId),
    allResults: () => rounds().flatMap((r) => [...doorResults(marks(), r.id).values()]),
  }
}
export type StaffCanteenBoard = ReturnType<typeof createStaffCanteenBoard>
