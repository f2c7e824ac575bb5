import { createMemo } from 'solid-js'
import { byUrgency, dueOf, monthReport, type Household, type Visit } from '../../domain/visits'
import { lastDayOf, monthOf, today, type Month } from '../../domain/calendar'
import type { LiveVisitData } from '../../store/visits'
import type { StaffCommands } from '../../session'

// Households, who is due a visit, urgent visits not yet dealt with, and the month's
// report, derived from the staff space's records (the same on every staff device).

export function createVisitBoard(data: LiveVisitData, commands: StaffCommands['visits']) {
  const all = <T,>(collection: { ids: () => readonly string[]; byId: Readonly<Record<string, T>> }) => collection.ids().map((id) => collection.byId[id]).filter((x): x is T => x !== undefined)
  const households = createMemo(() => all<Household>(data.households).sort((a, b) => a.grid.localeCompare(b.grid) || a.label.localeCompare(b.label)))
  const visits = createMemo(() => all<Visit>(data.visits).sort((a, b) => (a.day !== b.day ? (a.day < b.day ? 1 : -1) : a.stamp < b.stamp ? 1 : -1)))
  const current = () => households().filter((h) => !h.ended)
  return {
    ...commands,
    households: current,
    grids: () => [...new Set(current().map((h) => h.grid))],
    /** A visitor's households, overdue first. */
    dueFor: (visitorId: string) => current().filter((h) => h.visitorId === visitorId).map((h) => dueOf(h, visits(), today())).sort(byUrgency),
    dueOf: (household: Household) => dueOf(household, visits(), today()),
    /** Households past their visit, for staff. */
    overdue: () => current().map((h) => dueOf(h, visits(), today())).filter((d) => d.status === 'overdue').sort(byUrgency),
    /** Urgent visits no staff device has marked dealt with yet. */
    urgent: () => visits().filter((v) => v.outcome === 'urgent' && !data.followUps.byId[v.id]),
    visitsIn: (month: Month) => visits().filter((v) => monthOf(v.day) === month),
    householdOf: (id: string) => data.households.byId[id],
    /** The visit that posted a help request (its household and note stay here, not on the request). */
    visitOfRequest: (requestId: string) => visits().find((v) => v.requestId === requestId),
    report: (month: Month) => monthReport(households(), visits(), month, month === monthOf(today()) ? today() : lastDayOf(month)),
  }
}
export type VisitBoard = ReturnType<typeof createVisitBoard>
