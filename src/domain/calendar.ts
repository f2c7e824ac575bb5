import { addDays, addMonths, differenceInCalendarDays, endOfMonth, getISODay, parseISO, startOfISOWeek } from 'date-fns'

// Local calendar days as 'YYYY-MM-DD' and times as 'HH:mm', as the design card says.
// date-fns does the arithmetic; these helpers keep the string forms in one place.

export type Day = string
export type Time = string

export const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/
export const TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/

/** A real calendar day (not 2026-02-30). Checked by hand: it runs for every dated record read. */
export const isDay = (value: string): boolean => {
  if (!DAY_PATTERN.test(value)) return false
  const [year, month, day] = [Number(value.slice(0, 4)), Number(value.slice(5, 7)), Number(value.slice(8, 10))]
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}
export const isTime = (value: string): boolean => TIME_PATTERN.test(value)

// By hand, not date-fns's format: screens ask for today on every card, and format's
// pattern parsing made that a third of a sign-up's time on a slow phone.
const two = (n: number) => String(n).padStart(2, '0')
export const dayOf = (date: Date): Day => `${String(date.getFullYear()).padStart(4, '0')}-${two(date.getMonth() + 1)}-${two(date.getDate())}`
export const today = (now: Date = new Date()): Day => dayOf(now)
export const timeOf = (date: Date): Time => `${two(date.getHours())}:${two(date.getMinutes())}`
export const nowTime = (now: Date = new Date()): Time => timeOf(now)
export const plusDays = (day: Day, days: number): Day => dayOf(addDays(parseISO(day), days))
export const daysBetween = (from: Day, to: Day): number => differenceInCalendarDays(parseISO(to), parseISO(from))
/** 1 = Monday … 7 = Sunday (ISO), the way Chinese calendars start the week. */
export const weekdayOf = (day: Day): number => getISODay(parseISO(day))
export const weekStart = (day: Day): Day => dayOf(startOfISOWeek(parseISO(day)))
export const weekDays = (day: Day): Day[] => Array.from({ length: 7 }, (_, i) => plusDays(weekStart(day), i))

export const minutesOf = (time: Time): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5))
export const monthOf = (day: Day): string => day.slice(0, 7)
/** The last day of a month ('YYYY-MM'). */
export const lastDayOf = (month: string): Day => dayOf(endOfMonth(parseISO(`${month}-01`)))
export const yearOf = (day: Day): string => day.slice(0, 4)

// A month is how a year of entries is split: dated records get ids that
// begin with their month, and every entry keyed under them or under a day does too,
// so a phone can keep to the months it shows without reading the rest.
export type Month = string
const MONTH_KEY = /^(\d{4}-\d{2})[-_]/

/** The month a key belongs to, or null for records that belong to no month (members, groups …). */
export const monthOfKey = (key: string): Month | null => MONTH_KEY.exec(key)?.[1] ?? null

/** The months a phone shows without being asked: this month, then the next (what is coming). */
export function monthsAround(day: Day): Month[] {
  const first = parseISO(`${monthOf(day)}-01`)
  return [0, 1].map((months) => monthOf(dayOf(addMonths(first, months))))
}

/**
 * The months every device keeps and offers even when no screen shows them: last
 * month (reports, late attendance) through six months ahead (what is published ahead:
 * shifts, activities, menus).
 */
export function keptMonths(day: Day): Month[] {
  const first = parseISO(`${monthOf(day)}-01`)
  return [-1, 0, 1, 2, 3, 4, 5, 6].map((months) => monthOf(dayOf(addMonths(first, months))))
}

/** A dated record stays in the month its id names, so an edit may move it within that month only. */
export const staysInItsMonth = (id: string, day: Day): boolean => {
  const month = monthOfKey(id)
  return month === null || month === monthOf(day)
}

/** The months a week touches (one, or two when it straddles a month's end). */
export const monthsOfWeek = (monday: Day): Month[] => [...new Set([monthOf(monday), monthOf(plusDays(monday, 6))])]

/** The twelve months of a day's year. */
export const monthsOfYear = (day: Day): Month[] => Array.from({ length: 12 }, (_, i) => `${yearOf(day)}-${String(i + 1).padStart(2, '0')}`)

/**
 * The week as an agenda: its seven days in order, except that in the current week
 * today comes first (what matters now), then the rest of the week from tomorrow on.
 * Days already past this week come last.
 */
export function agendaDays(weekOf: Day, today: Day): Day[] {
  const days = weekDays(weekOf)
  const at = days.indexOf(today)
  return at < 0 ? days : [...days.slice(at), ...days.slice(0, at)]
}
