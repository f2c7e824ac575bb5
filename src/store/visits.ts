import type { SpaceDocs } from './space-docs'
import type { HybridClock } from '../domain/hlc'
import { datedId, newId } from '../domain/ids'
import { today, type Day } from '../domain/calendar'
import { failed, type Checked } from '../domain/validation'
import { checkHouseholdDraft, checkVisitNote, helpForHousehold, FollowUpSchema, HouseholdSchema, VisitSchema, type FollowUp, type Household, type HouseholdDraft, type Outcome, type Visit } from '../domain/visits'
import type { AidRequest } from '../domain/aid'
import { readCollection, readRecord, type Writer } from './collection'
import { staffSpace } from './layout'
import { postRequest } from './aid'
import { liveOf, type ShownMonths } from './reactive'
import type { Person } from './places'
import { feature } from './feature'

// Grids and household visits (domain/visits.ts), in the staff space: staff link
// households to visitors; a visitor logs each visit; "needs help" also posts a help
// request on the household's behalf in the public space (代办): its grid, never its door.

export function findHousehold(staffDocs: SpaceDocs, id: string): Household | null {
  return readRecord(HouseholdSchema, id, staffSpace(staffDocs).households.get(id))
}

/** Links a household to a visitor (new), or changes its details, visitor or frequency. */
export function saveHousehold(staffDocs: SpaceDocs, clock: HybridClock, draft: HouseholdDraft, today: Day, id?: string): Checked<Household> {
  const before = id === undefined ? null : findHousehold(staffDocs, id)
  if (id !== undefined && !before) return failed('household', 'problem.notFound')
  const check = checkHouseholdDraft(draft)
  if (!check.ok) return check
  if (before) clock.receive(before.stamp)
  const household: Household = { id: id ?? newId(), ...check.value, since: before?.since ?? today, ended: before?.ended ?? false, stamp: clock.tick() }
  staffDocs.transact(() => staffSpace(staffDocs).households.put(household.id, household))
  return { ok: true, value: household }
}

/** No more visits (moved, passed away); earlier months' reports keep it. */
export function endHousehold(staffDocs: SpaceDocs, clock: HybridClock, id: string): Checked<Household> {
  const before = findHousehold(staffDocs, id)
  if (!before) return failed('household', 'problem.notFound')
  clock.receive(before.stamp)
  const ended: Household = { ...before, ended: true, stamp: clock.tick() }
  staffDocs.transact(() => staffSpace(staffDocs).households.put(id, ended))
  return { ok: true, value: ended }
}

/**
 * The visitor logs a visit, offline like everything else. "Needs help" also posts a
 * help request for the household in the public space, which names its grid only.
 */
export function logVisit(
  staffDocs: SpaceDocs,
  pubDocs: SpaceDocs,
  clock: HybridClock,
  householdId: string,
  outcome: Outcome,
  note: string,
  by: Person,
  day: Day,
): Checked<{ visit: Visit; request: AidRequest | null }> {
  const household = findHousehold(staffDocs, householdId)
  if (!household || household.ended) return failed('household', 'problem.notFound')
  const problems = checkVisitNote(outcome, note)
  if (problems.note) return failed('note', problems.note)
  const said = note.trim()
  let request: AidRequest | null = null
  if (outcome === 'help') {
    const posted = postRequest(pubDocs, clock, by, helpForHousehold(household), day)
    if (!posted.ok) return failed('note', Object.values(posted.problems)[0] ?? 'problem.required')
    request = posted.value
  }
  const visit: Visit = { id: datedId(day), householdId, day, outcome, note: said, visitorId: by.id, visitorName: by.name, requestId: request?.id ?? '', stamp: clock.tick() }
  staffDocs.transact(() => staffSpace(staffDocs).visits.put(visit.id, visit))
  return { ok: true, value: { visit, request } }
}

/** Staff note that an urgent visit has been dealt with: it leaves every staff Today. */
export function followUp(staffDocs: SpaceDocs, clock: HybridClock, visitId: string, by: Person): Checked<FollowUp> {
  const visit = readRecord(VisitSchema, visitId, staffSpace(staffDocs).visits.get(visitId))
  if (!visit || visit.outcome !== 'urgent') return failed('visit', 'problem.notFound')
  const record: FollowUp = { id: visitId, byId: by.id, byName: by.name, stamp: clock.tick() }
  staffDocs.transact(() => staffSpace(staffDocs).visitFollowUps.put(visitId, record))
  return { ok: true, value: record }
}

/** Bound to the staff space (households, visits) and the public space (help requests). */
export const visitCommands = (pub: Writer, staff: Writer) => ({
  saveHousehold: (draft: HouseholdDraft, id?: string) => saveHousehold(staff.docs, staff.clock, draft, today(), id),
  endHousehold: (id: string) => endHousehold(staff.docs, staff.clock, id),
  logVisit: (householdId: string, outcome: Outcome, note: string) => logVisit(staff.docs, pub.docs, staff.clock, householdId, outcome, note, staff.actor(), today()),
  followUp: (visitId: string) => followUp(staff.docs, staff.clock, visitId, staff.actor()),
})

/** Everything about visits in a staff space, read fresh (tests and exports). */
export function readVisitData(staffDocs: SpaceDocs) {
  const layout = staffSpace(staffDocs)
  return {
    households: [...readCollection(layout.households, HouseholdSchema).records.values()],
    visits: [...readCollection(layout.visits, VisitSchema).records.values()],
    followUps: readCollection(layout.visitFollowUps, FollowUpSchema).records,
  }
}

/** The live collections the visit screens read (visits of the months shown: last month and this). */
export function liveVisitData(staffDocs: SpaceDocs, clock: HybridClock, months: ShownMonths) {
  return {
    households: liveOf(staffDocs, 'households', clock),
    visits: liveOf(staffDocs, 'visits', clock, months),
    followUps: liveOf(staffDocs, 'visitFollowUps', clock, months),
  }
}
export type LiveVisitData = ReturnType<typeof liveVisitData>

/** Grids and household visits: only on devices that hold the staff space. */
export const visitsFeature = feature({
  staffLive: ({ staff, clock, shown }) => liveVisitData(staff, clock, shown.visits),
  staffCommands: ({ pub, staff }) => visitCommands(pub, staff),
})
