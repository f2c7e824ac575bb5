import * as v from 'valibot'
import { IdSchema } from './ids'
import { StampSchema } from './hlc'
import { allocatePlaces, entryKey, type PlaceEntry, type PlaceView } from './places'
import { lineOf, recordsByShift, type Offer, type ResolvedLine, type Take, type Transfer } from './offers'
import { minutesOf, monthOf, yearOf, type Day } from './calendar'
import { checkDate, checkRepeat, checkTimes, DaySchema, TimeSchema, type Repeat } from './schedule'
import { checked, checkText, type Checked, type Problems } from './validation'

// Volunteer shifts (志愿岗). Staff publish shifts, one-off or as a weekly series
// whose occurrences are stored one record each (so one can be edited or cancelled
// alone). A volunteer's sign-up is their own entry keyed by (shift, volunteer); who
// is confirmed and who waits is derived from all entries by HLC order, so every
// device shows the same list after a merge.

export const SHIFT_CATEGORIES = ['canteen', 'delivery', 'afterschool', 'patrol', 'event', 'other'] as const
export type ShiftCategory = (typeof SHIFT_CATEGORIES)[number]

const stamp = StampSchema
const personId = v.pipe(v.string(), v.minLength(1), v.maxLength(80))

export const TITLE_MAX = 60
export const PLACE_MAX = 60
export const NOTES_MAX = 500
export const SKILL_MAX = 40
export const PLACES_MAX = 500

export const ShiftSchema = v.object({
  id: IdSchema,
  seriesId: v.optional(v.string()),
  title: v.pipe(v.string(), v.minLength(1), v.maxLength(TITLE_MAX)),
  category: v.picklist(SHIFT_CATEGORIES),
  place: v.pipe(v.string(), v.maxLength(PLACE_MAX)),
  date: DaySchema,
  start: TimeSchema,
  end: TimeSchema,
  places: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(PLACES_MAX)),
  notes: v.pipe(v.string(), v.maxLength(NOTES_MAX)),
  skill: v.pipe(v.string(), v.maxLength(SKILL_MAX)),
  createdBy: v.string(),
  stamp,
  editedAt: stamp,
})
export type Shift = v.InferOutput<typeof ShiftSchema>

export const ATTENDANCE = ['attended', 'noshow'] as const
export const AttendanceSchema = v.pipe(
  v.object({
    id: v.string(),
    shiftId: v.string(),
    volunteerId: personId,
    status: v.picklist(ATTENDANCE),
    byId: v.string(),
    stamp,
  }),
  v.check((a) => a.id === entryKey(a.shiftId, a.volunteerId), 'id does not match what it belongs to'),
)
export type Attendance = v.InferOutput<typeof AttendanceSchema>

// ---- Drafts and their checks -------------------------------------------------

export interface ShiftDraft {
  title: string
  category: ShiftCategory
  place: string
  date: Day
  start: string
  end: string
  places: number
  notes: string
  skill: string
}

export interface SeriesDraft extends Omit<ShiftDraft, 'date'>, Repeat {}

export type ShiftField = keyof ShiftDraft | 'weekdays' | 'from' | 'until'

function checkCommon(draft: Omit<ShiftDraft, 'date'>, problems: Problems<ShiftField>) {
  checkText(problems, 'title', draft.title, { required: true, max: TITLE_MAX })
  checkText(problems, 'place', draft.place, { required: false, max: PLACE_MAX })
  checkText(problems, 'notes', draft.notes, { required: false, max: NOTES_MAX })
  checkText(problems, 'skill', draft.skill, { required: false, max: SKILL_MAX })
  if (!(SHIFT_CATEGORIES as readonly string[]).includes(draft.category)) problems.category = 'problem.required'
  checkTimes(draft.start, draft.end, problems)
  if (!Number.isInteger(draft.places) || draft.places < 1) problems.places = 'problem.placesAtLeastOne'
  else if (draft.places > PLACES_MAX) problems.places = 'problem.tooMany'
}

const trimmed = <D extends Omit<ShiftDraft, 'date'>>(draft: D): D => ({
  ...draft,
  title: draft.title.trim(),
  place: draft.place.trim(),
  notes: draft.notes.trim(),
  skill: draft.skill.trim(),
})

/** A new shift may not start on a day already past. An edit may keep its old day. */
export function checkShiftDraft(draft: ShiftDraft, today: Day, isNew: boolean): Checked<ShiftDraft, ShiftField> {
  const problems: Problems<ShiftField> = {}
  checkCommon(draft, problems)
  checkDate(draft.date, today, !isNew, problems)
  return checked(trimmed(draft), problems)
}

export function checkSeriesDraft(draft: SeriesDraft, today: Day): Checked<SeriesDraft, ShiftField> {
  const problems: Problems<ShiftField> = {}
  checkCommon(draft, problems)
  const repeat = checkRepeat(draft, today, problems)
  return checked({ ...trimmed(draft), ...repeat }, problems)
}

// ---- What the screens show, derived from the merged entries -------------------

export interface ShiftView extends PlaceView {
  shift: Shift
  cancelled: boolean
  /** Places that changed hands, oldest first (the shift's history). */
  transfers: readonly Transfer[]
  /** Places on offer now, by giver (none once cancelled). */
  offers: ReadonlyMap<string, Offer>
  /** Takes that did not count; their takers are told why. */
  lost: ResolvedLine['lost']
  /** The take each person holds their place by, if they were given it. */
  through: ReadonlyMap<string, Take>
  /** Who holds their place by a swap. */
  swapped: ReadonlySet<string>
}

/** What a screen shows of a shift, from its line as it stands (domain/offers.ts). */
export function viewOfLine(shift: Shift, line: ResolvedLine, cancelled: boolean): ShiftView {
  const { entries, transfers, lost, through, swapped } = line
  return { shift, cancelled, transfers, lost, through, swapped, offers: cancelled ? new Map() : line.open, ...allocatePlaces(entries, shift.places, cancelled) }
}

/** A shift's view from the records of every shift (any order), the same on every device. */
export function shiftView(shift: Shift, signups: readonly PlaceEntry[], cancelled: boolean, offers: readonly Offer[] = [], takes: readonly Take[] = []): ShiftView {
  return viewOfLine(shift, lineOf(shift.id, recordsByShift(signups, offers, takes), offers), cancelled)
}

export function shiftMinutes(shift: Shift): number {
  return minutesOf(shift.end) - minutesOf(shift.start)
}

export const sortShifts = (a: Shift, b: Shift): number =>
  a.date !== b.date ? (a.date < b.date ? -1 : 1) : a.start !== b.start ? (a.start < b.start ? -1 : 1) : a.id < b.id ? -1 : 1

export interface VolunteerHours {
  volunteerId: string
  name: string
  shifts: number
  minutes: number
}

/**
 * Hours count only where staff marked a volunteer attended on a shift that was not
 * cancelled and where the volunteer was confirmed; `monthOrYear` is 'YYYY-MM' or 'YYYY'.
 */
export function hoursByVolunteer(
  views: readonly ShiftView[],
  attendance: readonly Attendance[],
  monthOrYear: string,
): VolunteerHours[] {
  const attended = new Set(attendance.filter((a) => a.status === 'attended').map((a) => entryKey(a.shiftId, a.volunteerId)))
  const totals = new Map<string, VolunteerHours>()
  for (const view of views) {
    if (view.cancelled) continue
    const inMonthOrYear = monthOrYear.length === 7 ? monthOf(view.shift.date) === monthOrYear : yearOf(view.shift.date) === monthOrYear
    if (!inMonthOrYear) continue
    for (const signup of view.confirmed) {
      if (!attended.has(entryKey(view.shift.id, signup.personId))) continue
      const total = totals.get(signup.personId) ?? { volunteerId: signup.personId, name: signup.personName, shifts: 0, minutes: 0 }
      total.shifts += 1
      total.minutes += shiftMinutes(view.shift)
      totals.set(signup.personId, total)
    }
  }
  return [...totals.values()].sort((a, b) => b.minutes - a.minutes || a.name.localeCompare(b.name))
}
