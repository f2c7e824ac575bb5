// The days the suite is run at. A community app lives by the calendar: a week that
// starts on Monday, month ends, the year's end, 29 February, the Spring Festival. A
// test that passes only on the day it was written hides bugs that come on another.
//
// `npm test` runs at the real date, plus the unit sweep (tests/unit/dates.test.ts),
// which runs the today-dependent rules at every date below. `npm run test:dates`
// (scripts/test-dates.mjs) runs the unit suite and the date-dependent browser tests
// once per date, with NEIGHBOURS_TEST_DATE set: the unit project shifts the test
// process's Date to it (tests/clock.setup.ts), the browser tests set each page's clock
// (tests/e2e/harness.ts) and the hub process's Date (tests/clock-shift.mjs).
//
// To add a date: add a line here, with why it matters. Nothing else changes.

export interface TestDate {
  /** A local calendar day, YYYY-MM-DD. */
  day: string
  why: string
}

export const DATES: readonly TestDate[] = [
  { day: '2026-12-05', why: 'a Saturday: the week shown started five days ago' },
  { day: '2026-12-06', why: 'a Sunday: the last day of the ISO week; tomorrow is in the next one' },
  { day: '2026-12-07', why: 'a Monday: the first day of the week' },
  { day: '2027-04-30', why: 'the last day of a month (a Friday): tomorrow is in the next month' },
  { day: '2026-12-31', why: '31 December: tomorrow is in the next year' },
  { day: '2027-02-28', why: '28 February of a common year: tomorrow is 1 March' },
  { day: '2028-02-28', why: '28 February of a leap year: tomorrow is 29 February' },
  { day: '2028-02-29', why: '29 February' },
  { day: '2027-02-05', why: 'the day before the Spring Festival (6 February 2027) and its week off' },
]

/** The variable that names the date a run pretends it is (YYYY-MM-DD, or YYYY-MM-DDTHH:mm local). */
export const TEST_DATE = 'NEIGHBOURS_TEST_DATE'

/** A day as a local instant: 10:00 unless a time is given (the browser tests' menus close at 23:59). */
export function instantOf(dayOrTime: string): number {
  const at = /^\d{4}-\d{2}-\d{2}$/.test(dayOrTime) ? `${dayOrTime}T10:00:00` : dayOrTime
  const ms = new Date(at).getTime()
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/.test(dayOrTime) || Number.isNaN(ms)) throw new Error(`${TEST_DATE}="${dayOrTime}" is not a day (YYYY-MM-DD) or a local time (YYYY-MM-DDTHH:mm)`)
  return ms
}

/** How far this run's "now" is from the real clock: 0 unless NEIGHBOURS_TEST_DATE is set. Fixed when first read. */
const chosen = process.env[TEST_DATE]
const alreadyShifted = (Date as unknown as { shifted?: boolean }).shifted === true // by tests/clock.setup.ts
export const clockOffsetMs = chosen && !alreadyShifted ? instantOf(chosen) - Date.now() : 0

/** Now, as this run pretends it is: what the pages' clocks show and what dates in tests are counted from. */
export const testNow = (): Date => new Date(Date.now() + clockOffsetMs)
