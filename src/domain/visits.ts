import * as v from 'valibot'
import { addMonths, parseISO } from 'date-fns'
import { IdSchema } from './ids'
import { StampSchema } from './hlc'
import { DaySchema } from './schedule'
import { dayOf, monthOf, plusDays, type Day, type Month } from './calendar'
import { checked, checkText, type Checked, type Problems } from './validation'
import type { AidDraft } from './aid'

// Grids and household visits (网格 / 联户走访). A community is divided into grids
// (buildings, courtyards); staff link each household that needs looking in on (an
// elder living alone, someone disabled or ill) to a visitor, with how often to visit.
// The visitor logs each visit in two taps: all well, needs help (which opens a help
// request on the household's behalf), or urgent (which every staff device shows at
// once). Households and visits are personal: they live in the staff space.

export const FREQUENCIES = ['week', 'fortnight', 'month'] as const
export type Frequency = (typeof FREQUENCIES)[number]
export const REASONS = ['alone', 'disabled', 'ill', 'other'] as const
export type Reason = (typeof REASONS)[number]
export const OUTCOMES = ['well', 'help', 'urgent'] as const
export type Outcome = (typeof OUTCOMES)[number]

export const GRID_MAX = 20
export const LABEL_MAX = 30
export const PLACE_MAX = 20
export const NOTE_MAX = 300

const text = (max: number) => v.pipe(v.string(), v.maxLength(max))
const personId = v.pipe(v.string(), v.minLength(1), v.maxLength(80))

export const HouseholdSchema = v.object({
  id: IdSchema,
  grid: v.pipe(v.string(), v.minLength(1), v.maxLength(GRID_MAX)),
  /** How the visitor knows them: "张奶奶". */
  label: v.pipe(v.string(), v.minLength(1), v.maxLength(LABEL_MAX)),
  /** An elder of the canteen roster, or '' for a household entered here. */
  elderCode: text(20),
  building: text(PLACE_MAX),
  unit: text(PLACE_MAX),
  room: text(PLACE_MAX),
  phone: text(30),
  reason: v.picklist(REASONS),
  every: v.picklist(FREQUENCIES),
  visitorId: personId,
  visitorName: v.pipe(v.string(), v.minLength(1), v.maxLength(30)),
  /** When the household was linked: the first visit is due from then. */
  since: DaySchema,
  /** No longer visited (moved away, passed away); kept for the reports of earlier months. */
  ended: v.boolean(),
  stamp: StampSchema,
})
export type Household = v.InferOutput<typeof HouseholdSchema>

export const VisitSchema = v.object({
  /** Dated by its day, so it is filed in that month's doc. */
  id: IdSchema,
  householdId: IdSchema,
  day: DaySchema,
  outcome: v.picklist(OUTCOMES),
  note: text(NOTE_MAX),
  visitorId: personId,
  visitorName: v.pipe(v.string(), v.minLength(1), v.maxLength(30)),
  /** The help request opened for it ("needs help"), if one was. */
  requestId: text(80),
  stamp: StampSchema,
})
export type Visit = v.InferOutput<typeof VisitSchema>

/** Staff note that an urgent visit has been dealt with (keyed by the visit). */
export const FollowUpSchema = v.object({
  id: IdSchema,
  byId: v.string(),
  byName: v.string(),
  stamp: StampSchema,
})
export type FollowUp = v.InferOutput<typeof FollowUpSchema>

// ---- Drafts ----------------------------------------------------------------

export interface HouseholdDraft {
  grid: string
  label: string
  elderCode: string
  building: string
  unit: string
  room: string
  phone: string
  reason: Reason
  every: Frequency
  visitorId: string
  visitorName: string
}
export type HouseholdField = keyof HouseholdDraft

export function checkHouseholdDraft(draft: HouseholdDraft): Checked<HouseholdDraft, HouseholdField> {
  const problems: Problems<HouseholdField> = {}
  checkText(problems, 'grid', draft.grid, { required: true, max: GRID_MAX })
  checkText(problems, 'label', draft.label, { required: true, max: LABEL_MAX })
  for (const field of ['building', 'unit', 'room'] as const) checkText(problems, field, draft[field], { required: false, max: PLACE_MAX })
  checkText(problems, 'phone', draft.phone, { required: false, max: 30 })
  if (!(REASONS as readonly string[]).includes(draft.reason)) problems.reason = 'problem.required'
  if (!(FREQUENCIES as readonly string[]).includes(draft.every)) problems.every = 'problem.required'
  if (!draft.visitorId.trim() || !draft.visitorName.trim()) problems.visitorId = 'problem.required'
  const trim = (s: string) => s.trim()
  return checked({ ...draft, grid: trim(draft.grid), label: trim(draft.label), building: trim(draft.building), unit: trim(draft.unit), room: trim(draft.room), phone: trim(draft.phone) }, problems)
}

export function checkVisitNote(outcome: Outcome, note: string): Problems<'note'> {
  const problems: Problems<'note'> = {}
  checkText(problems, 'note', note, { required: false, max: NOTE_MAX })
  // Staff must know what is wrong before they can help.
  if (outcome === 'urgent' && !note.trim()) problems.note = 'problem.concernNeedsNote'
  return problems
}

// ---- Who is due ---------------------------------------------------------------

/** The day the next visit is due after one on `day` (a month later for monthly visits). */
export function nextDue(day: Day, every: Frequency): Day {
  if (every === 'week') return plusDays(day, 7)
  if (every === 'fortnight') return plusDays(day, 14)
  return dayOf(addMonths(parseISO(day), 1))
}

export type DueStatus = 'overdue' | 'due' | 'visited'

export interface HouseholdDue {
  household: Household
  status: DueStatus
  /** When the next visit is due. */
  due: Day
  last: Visit | null
}

/** Days before a visit falls due that it shows as due (so a visitor can plan the week). */
export const DUE_AHEAD_DAYS = 2

/**
 * Where a household stands on `today`, from its visits. Visits are read from last
 * month and this month (a device holds those): enough for the longest interval, so a
 * household with none there is overdue unless it was linked more recently.
 */
export function dueOf(household: Household, visits: readonly Visit[], today: Day): HouseholdDue {
  const own = visits.filter((visit) => visit.householdId === household.id && visit.day <= today)
  const last = own.reduce<Visit | null>((latest, visit) => (latest === null || visit.day > latest.day || (visit.day === latest.day && visit.stamp > latest.stamp) ? visit : latest), null)
  const due = last ? nextDue(last.day, household.every) : household.since
  const status: DueStatus = today > due ? 'overdue' : plusDays(today, DUE_AHEAD_DAYS) >= due ? 'due' : 'visited'
  return { household, status, due, last }
}

const ORDER: Record<DueStatus, number> = { overdue: 0, due: 1, visited: 2 }

/** A visitor's list: overdue first, then due, each by the day it fell due. */
export const byUrgency = (a: HouseholdDue, b: HouseholdDue) => ORDER[a.status] - ORDER[b.status] || (a.due < b.due ? -1 : a.due > b.due ? 1 : a.household.label.localeCompare(b.household.label))

// ---- The month's report ----------------------------------------------------------

export interface GridReport {
  grid: string
  households: number
  visits: number
  /** Households visited at least once in the month. */
  visited: number
  help: number
  urgent: number
  /** Households overdue on the report's day. */
  overdue: number
}

/**
 * Each grid's visits in a month, and who is overdue on `asOf` (the month's last day, or
 * today if sooner). A household linked after the month is not in it; one no longer
 * visited counts in the months it was visited.
 */
export function monthReport(households: readonly Household[], visits: readonly Visit[], month: Month, asOf: Day): GridReport[] {
  const inMonth = visits.filter((visit) => monthOf(visit.day) === month)
  const grids = new Map<string, GridReport>()
  for (const household of households) {
    if (monthOf(household.since) > month) continue
    if (household.ended && !inMonth.some((visit) => visit.householdId === household.id)) continue
    const row = grids.get(household.grid) ?? { grid: household.grid, households: 0, visits: 0, visited: 0, help: 0, urgent: 0, overdue: 0 }
    const own = inMonth.filter((visit) => visit.householdId === household.id)
    row.households += 1
    row.visits += own.length
    row.visited += own.length > 0 ? 1 : 0
    row.help += own.filter((visit) => visit.outcome === 'help').length
    row.urgent += own.filter((visit) => visit.outcome === 'urgent').length
    row.overdue += !household.ended && dueOf(household, visits, asOf).status === 'overdue' ? 1 : 0
    grids.set(household.grid, row)
  }
  return [...grids.values()].sort((a, b) => a.grid.localeCompare(b.grid))
}

/**
 * What "needs help" posts in the public space, which every resident's phone holds: a
 * neutral request in the household's grid, never its label (a name at a known building
 * tells who is frail) nor the visitor's note (often health). The note and the household
 * stay in the visit log (staff space, or sealed to staff), which names the request, so
 * staff follow it up from there. The title and "for" are fixed words that screens show
 * in the reader's language (`isVisitHelp`).
 */
export const VISIT_HELP_TITLE = '走访发现需要帮助'
export const VISIT_HELP_FOR = '走访住户'
export function helpForHousehold(household: Pick<Household, 'grid'>): AidDraft {
  return { kind: 'need', category: 'other', title: VISIT_HELP_TITLE, details: '', when: '', where: household.grid, urgency: 'normal', forName: VISIT_HELP_FOR, materials: [], due: '' }
}
/** Whether a request is one "needs help" posted after a visit (its words are shown translated). */
export const isVisitHelp = (request: { title: string; forName: string }) => request.title === VISIT_HELP_TITLE && request.forName === VISIT_HELP_FOR
