import type { ActivityView, Headcount } from './activities'
import type { Day, Month } from './calendar'
import type { Tier } from './canteen'
import type { VolunteerHours } from './shifts'
import type { GridReport } from './visits'
import type { AidOverview } from './aid'
import type { ConcernReport } from './concerns'

// One page for the whole community's month, as staff report upward: activities held
// (场次) and who came (人次), volunteer shifts (人次, hours), meals by tier and elders
// served, households visited and coverage, help requests and concerns with their rates.
// Each feature counts its own part (its month report); this puts them side by side.

export interface ActivityMonth {
  /** 场次: activities on days up to `asOf`, not cancelled. */
  held: number
  /** 人次: the headcount staff entered, or the confirmed RSVPs where none was entered. */
  attendance: number
  /** Of the activities held, how many had a headcount (the rest count their RSVPs). */
  counted: number
}

export function activityMonth(views: readonly ActivityView[], headcountOf: (id: string) => Headcount | undefined, month: Month, asOf: Day): ActivityMonth {
  const held = views.filter((v) => !v.cancelled && v.activity.date.startsWith(month) && v.activity.date <= asOf)
  let attendance = 0
  let counted = 0
  for (const view of held) {
    const headcount = headcountOf(view.activity.id)
    if (headcount) counted++
    attendance += headcount ? headcount.count : view.confirmed.length
  }
  return { held: held.length, attendance, counted }
}

export interface ShiftMonth {
  /** 人次: attended places on shifts not cancelled. */
  attendances: number
  minutes: number
  volunteers: number
}

export const shiftMonth = (hours: readonly VolunteerHours[]): ShiftMonth => ({
  attendances: hours.reduce((sum, h) => sum + h.shifts, 0),
  minutes: hours.reduce((sum, h) => sum + h.minutes, 0),
  volunteers: hours.length,
})

export interface VisitMonth {
  households: number
  visited: number
  visits: number
  /** visited ÷ households: how many of the linked households were seen this month. */
  coverage: number | null
}

export function visitMonth(grids: readonly GridReport[]): VisitMonth {
  const households = grids.reduce((sum, g) => sum + g.households, 0)
  const visited = grids.reduce((sum, g) => sum + g.visited, 0)
  return { households, visited, visits: grids.reduce((sum, g) => sum + g.visits, 0), coverage: households === 0 ? null : visited / households }
}

export interface MealMonth {
  byTier: Record<Tier, number>
  extra: number
  elders: number
  subsidy: number
}

export interface CommunityMonth {
  month: Month
  activities: ActivityMonth
  shifts: ShiftMonth
  /** Only on a device that holds the staff space (the roster says who is which tier). */
  meals: MealMonth | null
  visits: VisitMonth | null
  aid: Pick<AidOverview, 'received' | 'finished' | 'finishRate' | 'satisfactionRate'>
  /** Private errands (staff space): received in the month, and how many of those are finished. */
  privateErrands: { received: number; finished: number } | null
  concerns: ConcernReport
}

export const MONTH_ROW_KEYS = [
  'month.activitiesHeld', 'month.activityAttendance', 'month.shiftAttendances', 'month.shiftHours', 'month.volunteers',
  'month.mealsStandard', 'month.mealsDibao', 'month.mealsTekun', 'month.mealsExtra', 'month.eldersServed', 'month.subsidy',
  'month.households', 'month.visited', 'month.visitCoverage',
  'month.aidReceived', 'month.aidFinished', 'month.aidFinishRate', 'month.privateReceived', 'month.privateFinished',
  'month.concernsReceived', 'month.concernsFinished', 'month.concernsResponse', 'month.concernsResolution', 'month.concernsSatisfaction', 'month.concernsFinish', 'month.concernsPassedUp',
] as const
export type MonthRowKey = (typeof MONTH_ROW_KEYS)[number]

export interface MonthRow {
  /** The row's words (ui words-*.ts, 'month.…'). */
  key: MonthRowKey
  /** A count, hours, yuan; or a rate (0–1, null when there is nothing to divide by). */
  value: number | null
  rate?: true
  params?: Record<string, number>
}

/** The rows of the month's page and its CSV, in order. */
export function monthRows(m: CommunityMonth): MonthRow[] {
  const pct = (rate: number | null) => ({ value: rate, rate: true as const })
  const rows: MonthRow[] = [
    { key: 'month.activitiesHeld', value: m.activities.held },
    { key: 'month.activityAttendance', value: m.activities.attendance, params: { counted: m.activities.counted } },
    { key: 'month.shiftAttendances', value: m.shifts.attendances },
    { key: 'month.shiftHours', value: Math.round((m.shifts.minutes / 60) * 10) / 10 },
    { key: 'month.volunteers', value: m.shifts.volunteers },
  ]
  if (m.meals) {
    rows.push(
      { key: 'month.mealsStandard', value: m.meals.byTier.standard },
      { key: 'month.mealsDibao', value: m.meals.byTier.dibao },
      { key: 'month.mealsTekun', value: m.meals.byTier.tekun },
      { key: 'month.mealsExtra', value: m.meals.extra },
      { key: 'month.eldersServed', value: m.meals.elders },
      { key: 'month.subsidy', value: m.meals.subsidy },
    )
  }
  if (m.visits) {
    rows.push(
      { key: 'month.households', value: m.visits.households },
      { key: 'month.visited', value: m.visits.visited },
      { key: 'month.visitCoverage', ...pct(m.visits.coverage) },
    )
  }
  rows.push(
    { key: 'month.aidReceived', value: m.aid.received },
    { key: 'month.aidFinished', value: m.aid.finished },
    { key: 'month.aidFinishRate', ...pct(m.aid.finishRate) },
  )
  if (m.privateErrands) rows.push({ key: 'month.privateReceived', value: m.privateErrands.received }, { key: 'month.privateFinished', value: m.privateErrands.finished })
  rows.push(
    { key: 'month.concernsReceived', value: m.concerns.total.received },
    { key: 'month.concernsFinished', value: m.concerns.total.finished },
    { key: 'month.concernsResponse', ...pct(m.concerns.rates.response) },
    { key: 'month.concernsResolution', ...pct(m.concerns.rates.resolution) },
    { key: 'month.concernsSatisfaction', ...pct(m.concerns.rates.satisfaction) },
    { key: 'month.concernsFinish', ...pct(m.concerns.rates.finish) },
    { key: 'month.concernsPassedUp', value: m.concerns.total.passedUp },
  )
  return rows
}
