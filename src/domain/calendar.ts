import { addDays, differenceInCalendarDays, format, getISODay, parseISO, startOfISOWeek } from 'date-fns'

// Local calendar days as 'YYYY-MM-DD' and times as 'HH:mm', as the design card says.
// date-fns does the arithmetic; these helpers keep the string forms in one place.

export type Day = string
export type Time = string

export const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/
export const TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/

export const isDay = (value: string): boolean => DAY_PATTERN.test(value) && !Number.isNaN(parseISO(value).getTime())
export const isTime = (value: string): boolean => TIME_PATTERN.test(value)

export const dayOf = (date: Date): Day => format(date, 'yyyy-MM-dd')
export const today = (now: Date = new Date()): Day => dayOf(now)
export const nowTime = (now: Date = new Date()): Time => format(now, 'HH:mm')
export const plusDays = (day: Day, days: number): Day => dayOf(addDays(parseISO(day), days))
export const daysBetween = (from: Day, to: Day): number => differenceInCalendarDays(parseISO(to), parseISO(from))
/** 1 = Monday … 7 = Sunday (ISO), the way Chinese calendars start the week. */
export const weekdayOf = (day: Day): number => getISODay(parseISO(day))
export const weekStart = (day: Day): Day => dayOf(startOfISOWeek(parseISO(day)))
export const weekDays = (day: Day): Day[] => Array.from({ length: 7 }, (_, i) => plusDays(weekStart(day), i))

export const minutesOf = (time: Time): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5))
export const monthOf = (day: Day): string => day.slice(0, 7)
export const yearOf = (day: Day): string => day.slice(0, 4)
