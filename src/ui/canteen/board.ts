import { createMemo } from 'solid-js'
import { allocateSeats, DEFAULT_PRICES, doorResults, mealBoard, menuKey, ordersFor, seatStatusOf, type Elder, type Meal, type Menu, type Reservation, type Round, type StandingOrder } from '../../domain/canteen'
import type { Day } from '../../domain/calendar'
import type { CommunitySession } from '../../session'
import { groupBy } from '../common/derive'

// Canteen views for every screen, derived from the merged entries. The staff
// parts exist only where the device holds the staff space.

export function createCanteenBoard(session: CommunitySession) {
  const data = session.canteen
  const staff = session.staffCanteen
  const values = <T,>(c: { ids: () => readonly string[]; byId: Readonly<Record<string, T>> }) => c.ids().map((id) => c.byId[id]!).filter(Boolean)
  const reservations = createMemo<Reservation[]>(() => values(data.reservations))
  const standing = createMemo<StandingOrder[]>(() => values(data.standing))
  const menus = createMemo<Menu[]>(() => values(data.menus))
  const elders = createMemo(() => new Map<string, Elder>(staff ? values(staff.elders).map((e) => [e.id, e]) : []))
  const rounds = createMemo<Round[]>(() => (staff ? values(staff.rounds) : []))
  const marks = createMemo(() => (staff ? values(staff.marks) : []))
  const prices = () => data.settings.byId['prices'] ?? DEFAULT_PRICES

  const menuOf = (day: Day, meal: Meal): Menu | undefined => data.menus.byId[menuKey(day, meal)]
  // Reservations by day and meal, grouped once per change, so each meal line and each
  // elder's row reads its own few instead of scanning every reservation shown.
  const byMeal = createMemo(() => groupBy(data.reservations.ids(), data.reservations.byId, (r) => menuKey(r.day, r.meal)))
  const reservationsFor = (day: Day, meal: Meal) => byMeal().get(menuKey(day, meal)) ?? []
  const ordersOf = (day: Day, meal: Meal) => ordersFor(day, meal, reservationsFor(day, meal), standing())
  const seatsOf = (day: Day, meal: Meal) => allocateSeats(ordersOf(day, meal), menuOf(day, meal)?.seats ?? 0)

  return {
    /** Makes sure the entries of these months are read (a week or report outside the usual months). */
    showMonths: (months: Iterable<string>) => session.periods.canteen.show(months),
    hasStaffSpace: staff !== null,
    prices,
    menus,
    menuOf,
    ordersOf,
    seatsOf,
    reservations,
    standing,
    elders,
    rounds,
    reservationOf: (day: Day, meal: Meal, code: string) => reservationsFor(day, meal).find((r) => r.elderCode === code),
    seatStatus: (day: Day, meal: Meal, code: string) => seatStatusOf(seatsOf(day, meal), code),
    standingOf: (code: string) => standing().filter((s) => s.elderCode === code && s.active),
    board: (day: Day, meal: Meal) => mealBoard(menuOf(day, meal) ?? null, meal, ordersOf(day, meal), elders(), prices()),
    resultsOf: (roundId: string) => doorResults(marks(), roundId),
    allResults: () => rounds().flatMap((r) => [...doorResults(marks(), r.id).values()]),
  }
}
export type CanteenBoard = ReturnType<typeof createCanteenBoard>
