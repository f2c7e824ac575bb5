import { createMemo } from 'solid-js'
import { statusOf } from '../../domain/places'
import { sortShifts, viewOfLine, type Shift, type ShiftView } from '../../domain/shifts'
import { lineOf, type LineRecords, type Offer } from '../../domain/offers'
import type { CommunitySession } from '../../session'
import { createDeferredMemo, createDeferredMemos, entriesOf, groupBy, isIn, sameItems } from '../common/derive'

// The shift views every screen shows, derived from the merged entries (the same
// entries give the same lists on every device), with what anyone may do to a shift.

export function createShiftBoard(session: CommunitySession) {
  const data = session.shifts
  // One shift's entries are read through its own group: a sign-up wakes its own shift's view, not every card's.
  const signupsOf = (id: string) => entriesOf(data.signups, id)
  const offersByShift = createMemo(() => groupBy(data.offers.ids(), data.offers.byId, (o) => o.shiftId))
  const takesByShift = createMemo(() => groupBy(data.takes.ids(), data.takes.byId, (t) => t.shiftId))
  const allOffers = createMemo(() => data.offers.ids().map((id) => data.offers.byId[id]).filter((o): o is Offer => o !== undefined))
  const cancelled = createMemo(() => new Set(data.cancellations.ids()))
  const offersOf = createDeferredMemos((id: string) => offersByShift().get(id) ?? [], sameItems)
  const takesOf = createDeferredMemos((id: string) => takesByShift().get(id) ?? [], sameItems)
  const recordsOf = (id: string): LineRecords => ({ signups: signupsOf(id), offers: offersOf(id), takes: takesOf(id) })

  const viewOf = (id: string): ShiftView | null => {
    const shift = data.shifts.byId[id]
    return shift ? viewOfLine(shift, lineOf(id, recordsOf, allOffers()), cancelled().has(id)) : null
  }
  const shifts = createMemo(() =>
    data.shifts
      .ids()
      .map((id) => data.shifts.byId[id])
      .filter((s): s is Shift => s !== undefined)
      .sort(sortShifts),
  )
  // Views are worked out when a screen reads them, not on every change: a sign-up
  // would otherwise recompute every shift of the months shown.
  const allViews = () => shifts().map((s) => viewOf(s.id)!)
  /** Views of the shifts in a month ('YYYY-MM') or a year ('YYYY'). */
  const viewsIn = (monthOrYear: string) => shifts().filter((s) => s.date.startsWith(monthOrYear)).map((s) => viewOf(s.id)!)
  const attendance = createDeferredMemo(() => data.attendance.ids().map((id) => data.attendance.byId[id]!).filter(Boolean))

  /** Shifts this person is in (confirmed, waiting or bumped, or given a place), cancelled ones included. */
  const mine = (volunteerId: string) =>
    shifts()
      // Only the shifts this person signed up for or took a place on are worked out (Today
      // asks at every start), found by their own entries' keys, not every shift's line.
      .filter(
        (shift) =>
          isIn(data.signups, shift.id, volunteerId) ||
          (takesByShift().get(shift.id) ?? []).some((t) => t.takerId === volunteerId && t.releasedAt === null) ||
          // a place received in a swap: this person's own offer names this shift in return
          allOffers().some((o) => o.giverId === volunteerId && o.swapFor === shift.id),
      )
      .map((shift) => {
        const view = viewOf(shift.id)!
        return { view, ...statusOf(view, volunteerId) }
      })
      // A place given away is no longer this person's.
      .filter((entry) => entry.status !== 'none' || entry.view.cancelled)

  return {
    ...session.commands.shifts,
    /** Makes sure the entries of these months are read (a week or report outside the usual months). */
    showMonths: (months: Iterable<string>) => session.shown.shifts.show(months),
    viewOf,
    shifts,
    allViews,
    viewsIn,
    mine,
    /** Swaps others propose to this person for their place on this shift, still open. */
    swapsProposedTo: (shiftId: string, personId: string) =>
      allOffers().filter((o) => o.swapFor === shiftId && o.toId === personId && viewOf(o.shiftId)?.offers.get(o.giverId)?.stamp === o.stamp),
    signupOf: (shiftId: string, volunteerId: string) => signupsOf(shiftId).find((s) => s.personId === volunteerId),
    cancellationOf: (id: string) => data.cancellations.byId[id],
    /** Who is confirmed on a meal-delivery shift that day (the canteen assigns rounds from them). */
    deliveryVolunteers: (day: string) =>
      allViews()
        .filter((v) => v.shift.date === day && v.shift.category === 'delivery' && !v.cancelled)
        .flatMap((v) => v.confirmed.map((e) => ({ id: e.personId, name: e.personName }))),
    attendanceOf: (key: string) => data.attendance.byId[key],
    attendance,
  }
}
export type ShiftBoard = ReturnType<typeof createShiftBoard>
