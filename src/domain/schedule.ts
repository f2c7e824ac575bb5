import * as v from 'valibot'
import { IdSchema } from './ids'
import { daysBetween, isDay, isTime, minutesOf, plusDays, weekdayOf, type Day } from './calendar'
import { StampSchema } from './hlc'
import type { Problems } from './validation'

// What shifts and activities share as things on a calendar: a day with a start
// and an end, weekly series stored one record per date, and cancellation as its
// own entry (so an edit made at the same moment elsewhere cannot undo it).

export const SERIES_MAX_DAYS = 366

export const DaySchema = v.custom<Day>((x) => typeof x === 'string' && isDay(x), 'not a day')
export const TimeSchema = v.custom<string>((x) => typeof x === 'string' && isTime(x), 'not a time')

export const CancellationSchema = v.object({
  id: IdSchema,
  byId: v.string(),
  reason: v.pipe(v.string(), v.maxLength(200)),
  stamp: StampSchema,
})
export type Cancellation = v.InferOutput<typeof CancellationSchema>

export interface Repeat {
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  weekdays: number[]
  from: Day
  until: Day
}

export function checkTimes(start: string, end: string, problems: Problems<'start' | 'end'>): void {
  if (!isTime(start)) problems.start = 'problem.badTime'
  if (!isTime(end)) problems.end = 'problem.badTime'
  else if (isTime(start) && minutesOf(end) <= minutesOf(start)) problems.end = 'problem.endBeforeStart'
}

/** A new date may not be in the past; an edit may keep the day it had. */
export function checkDate(date: string, today: Day, mayBePast: boolean, problems: Problems<'date'>): void {
  if (!isDay(date)) problems.date = 'problem.badDate'
  else if (!mayBePast && date < today) problems.date = 'problem.dateInPast'
}

/** Checks a weekly repeat and returns it with its weekdays cleaned up (sorted, unique). */
export function checkRepeat(repeat: Repeat, today: Day, problems: Problems<'weekdays' | 'from' | 'until'>): Repeat {
  const weekdays = [...new Set(repeat.weekdays)].filter((d) => Number.isInteger(d) && d >= 1 && d <= 7).sort()
  const before = Object.keys(problems).length
  if (weekdays.length === 0) problems.weekdays = 'problem.noWeekdays'
  if (!isDay(repeat.from)) problems.from = 'problem.badDate'
  else if (repeat.from < today) problems.from = 'problem.dateInPast'
  if (!isDay(repeat.until)) problems.until = 'problem.badDate'
  else if (isDay(repeat.from) && repeat.until < repeat.from) problems.until = 'problem.untilBeforeFrom'
  else if (isDay(repeat.from) && daysBetween(repeat.from, repeat.until) > SERIES_MAX_DAYS) problems.until = 'problem.seriesTooLong'
  if (Object.keys(problems).length === before && seriesDates(weekdays, repeat.from, repeat.until).length === 0) {
    problems.weekdays = 'problem.noDatesInRange'
  }
  return { weekdays, from: repeat.from, until: repeat.until }
}

/** Every date from `from` to `until` (inclusive) that falls on one of the weekdays. */
export function seriesDates(weekdays: readonly number[], from: Day, until: Day): Day[] {
  const wanted = new Set(weekdays)
  const dates: Day[] = []
  for (let d = from; d <= until; d = plusDays(d, 1)) if (wanted.has(weekdayOf(d))) dates.push(d)
  return dates
}

const ICAL_DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU']

/** The iCalendar RRULE for a weekly repeat, ending on its last day (floating local time). */
export function weeklyRule(repeat: Repeat): string {
  const days = repeat.weekdays.map((d) => ICAL_DAYS[d - 1]).join(',')
  return `FREQ=WEEKLY;BYDAY=${days};UNTIL=${repeat.until.replace(/-/g, '')}T235959`
}
