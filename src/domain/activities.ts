import * as v from 'valibot'
import { IdSchema } from './ids'
import { plusDays, type Day } from './calendar'
import { StampSchema } from './hlc'
import { allocatePlaces, entryKey, type PlaceEntry, type PlaceView } from './places'
import { checkDate, checkRepeat, checkTimes, DaySchema, TimeSchema, type Repeat } from './schedule'
import { checked, checkText, type Checked, type Problems } from './validation'

// Interest groups (兴趣小组) and community activities (社区活动): the weekly preview
// residents browse, RSVPs with the same first-come rule as shift places, and the
// ratings that tell a group how it went. A recurring activity is stored one record
// per date (like shifts) and remembers its weekly rule for calendar export.

export const ACTIVITY_CATEGORIES = ['dance', 'crafts', 'photography', 'cooking', 'calligraphy', 'papercut', 'health', 'clinic', 'firstaid', 'market', 'other'] as const
export type ActivityCategory = (typeof ACTIVITY_CATEGORIES)[number]

const stamp = StampSchema
const id = IdSchema
const text = (max: number) => v.pipe(v.string(), v.maxLength(max))

export const NAME_MAX = 40
export const TITLE_MAX = 60
export const PLACE_MAX = 60
export const DESCRIPTION_MAX = 1000
export const PERSON_MAX = 30
export const CAPACITY_MAX = 1000
export const COMMENT_MAX = 300

export const GroupSchema = v.object({
  id,
  name: v.pipe(v.string(), v.minLength(1), v.maxLength(NAME_MAX)),
  category: v.picklist(ACTIVITY_CATEGORIES),
  description: text(DESCRIPTION_MAX),
  meetingPlace: text(PLACE_MAX),
  meetingTime: text(PLACE_MAX),
  contact: text(PERSON_MAX),
  createdBy: v.string(),
  stamp,
  editedAt: stamp,
})
export type Group = v.InferOutput<typeof GroupSchema>

const RepeatSchema = v.object({
  weekdays: v.array(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(7))),
  from: DaySchema,
  until: DaySchema,
})

export const ActivitySchema = v.object({
  id,
  seriesId: v.optional(v.string()),
  /** The weekly rule this occurrence belongs to, for calendar export. */
  repeat: v.optional(RepeatSchema),
  groupId: v.optional(v.string()),
  title: v.pipe(v.string(), v.minLength(1), v.maxLength(TITLE_MAX)),
  category: v.picklist(ACTIVITY_CATEGORIES),
  place: text(PLACE_MAX),
  date: DaySchema,
  start: TimeSchema,
  end: TimeSchema,
  description: text(DESCRIPTION_MAX),
  /** null: anyone may come. */
  capacity: v.nullable(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(CAPACITY_MAX))),
  leader: text(PERSON_MAX),
  createdBy: v.string(),
  stamp,
  editedAt: stamp,
})
export type Activity = v.InferOutput<typeof ActivitySchema>

/** Staff count the people who came; the latest count stands. */
export const HeadcountSchema = v.object({ id, count: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100_000)), byId: v.string(), stamp })
export type Headcount = v.InferOutput<typeof HeadcountSchema>

/** One rating per person per activity, keyed like a place entry. */
export const RatingSchema = v.pipe(
  v.object({
    id: v.string(),
    activityId: id,
    personId: v.string(),
    personName: v.string(),
    stars: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(5)),
    comment: text(COMMENT_MAX),
    stamp,
  }),
  v.check((r) => r.id === entryKey(r.activityId, r.personId), 'id does not match what it belongs to'),
)
export type Rating = v.InferOutput<typeof RatingSchema>

// ---- Drafts -----------------------------------------------------------------

export interface ActivityDraft {
  title: string
  groupId: string | null
  category: ActivityCategory
  place: string
  date: Day
  start: string
  end: string
  description: string
  capacity: number | null
  leader: string
}

export type ActivityField = keyof ActivityDraft | 'weekdays' | 'from' | 'until'

export function checkActivityDraft(draft: ActivityDraft, today: Day, mayBePast: boolean): Checked<ActivityDraft, ActivityField> {
  const problems: Problems<ActivityField> = {}
  checkText(problems, 'title', draft.title, { required: true, max: TITLE_MAX })
  checkText(problems, 'place', draft.place, { required: false, max: PLACE_MAX })
  checkText(problems, 'description', draft.description, { required: false, max: DESCRIPTION_MAX })
  checkText(problems, 'leader', draft.leader, { required: false, max: PERSON_MAX })
  if (!(ACTIVITY_CATEGORIES as readonly string[]).includes(draft.category)) problems.category = 'problem.required'
  checkTimes(draft.start, draft.end, problems)
  checkDate(draft.date, today, mayBePast, problems)
  if (draft.capacity !== null) {
    if (!Number.isInteger(draft.capacity) || draft.capacity < 1) problems.capacity = 'problem.placesAtLeastOne'
    else if (draft.capacity > CAPACITY_MAX) problems.capacity = 'problem.tooMany'
  }
  return checked(
    { ...draft, title: draft.title.trim(), place: draft.place.trim(), description: draft.description.trim(), leader: draft.leader.trim() },
    problems,
  )
}

export function checkActivitySeries(draft: ActivityDraft, repeat: Repeat, today: Day): Checked<{ draft: ActivityDraft; repeat: Repeat }, ActivityField> {
  const problems: Problems<ActivityField> = {}
  const single = checkActivityDraft({ ...draft, date: repeat.from }, today, false)
  if (!single.ok) Object.assign(problems, single.problems)
  const cleanRepeat = checkRepeat(repeat, today, problems)
  if (problems.date) {
    problems.from = problems.date
    delete problems.date
  }
  return checked({ draft: single.ok ? single.value : draft, repeat: cleanRepeat }, problems)
}

export interface GroupDraft {
  name: string
  category: ActivityCategory
  description: string
  meetingPlace: string
  meetingTime: string
  contact: string
}

export function checkGroupDraft(draft: GroupDraft): Checked<GroupDraft, keyof GroupDraft> {
  const problems: Problems<keyof GroupDraft> = {}
  checkText(problems, 'name', draft.name, { required: true, max: NAME_MAX })
  checkText(problems, 'description', draft.description, { required: false, max: DESCRIPTION_MAX })
  checkText(problems, 'meetingPlace', draft.meetingPlace, { required: false, max: PLACE_MAX })
  checkText(problems, 'meetingTime', draft.meetingTime, { required: false, max: PLACE_MAX })
  checkText(problems, 'contact', draft.contact, { required: false, max: PERSON_MAX })
  if (!(ACTIVITY_CATEGORIES as readonly string[]).includes(draft.category)) problems.category = 'problem.required'
  const trimmed = Object.fromEntries(Object.entries(draft).map(([k, val]) => [k, typeof val === 'string' ? val.trim() : val])) as unknown as GroupDraft
  return checked(trimmed, problems)
}

export function checkRating(stars: number, comment: string): Checked<{ stars: number; comment: string }, 'stars' | 'comment'> {
  const problems: Problems<'stars' | 'comment'> = {}
  if (!Number.isInteger(stars) || stars < 1 || stars > 5) problems.stars = 'problem.starsOneToFive'
  checkText(problems, 'comment', comment, { required: false, max: COMMENT_MAX })
  return checked({ stars, comment: comment.trim() }, problems)
}

/** How many confirmed people a smaller capacity would move to the waitlist. */
export function overflowIfCapacity(view: PlaceView, capacity: number | null): number {
  if (capacity === null) return 0
  return Math.max(0, view.confirmed.length - capacity)
}

// ---- The week at a glance ----------------------------------------------------

export interface ActivityView extends PlaceView {
  activity: Activity
  cancelled: boolean
}

export function activityView(activity: Activity, rsvps: readonly PlaceEntry[], cancelled: boolean): ActivityView {
  const own = rsvps.filter((r) => r.recordId === activity.id)
  return { activity, cancelled, ...allocatePlaces(own, activity.capacity, cancelled) }
}

export const sortActivities = (a: Activity, b: Activity): number =>
  a.date !== b.date ? (a.date < b.date ? -1 : 1) : a.start !== b.start ? (a.start < b.start ? -1 : 1) : a.id < b.id ? -1 : 1

export interface ActivityFilter {
  category: ActivityCategory | null
  groupId: string | null
  /** Words to find in the title, place, description or leader (any case). */
  words: string
}

export function matchesFilter(activity: Activity, filter: ActivityFilter, groupName = ''): boolean {
  if (filter.category && activity.category !== filter.category) return false
  if (filter.groupId && activity.groupId !== filter.groupId) return false
  const words = filter.words.trim().toLowerCase().split(/\s+/).filter(Boolean)
  if (words.length === 0) return true
  const haystack = [activity.title, activity.place, activity.description, activity.leader, groupName].join(' ').toLowerCase()
  return words.every((w) => haystack.includes(w))
}

export function groupByDay(activities: readonly Activity[], days: readonly Day[]): { day: Day; activities: Activity[] }[] {
  return days.map((day) => ({ day, activities: activities.filter((a) => a.date === day).sort(sortActivities) }))
}

export function inWeek(activity: Activity, weekOf: Day): boolean {
  return activity.date >= weekOf && activity.date <= plusDays(weekOf, 6)
}

export interface RatingSummary {
  count: number
  average: number | null
  comments: Rating[]
}

export function summariseRatings(ratings: readonly Rating[]): RatingSummary {
  if (ratings.length === 0) return { count: 0, average: null, comments: [] }
  const average = Math.round((ratings.reduce((s, r) => s + r.stars, 0) / ratings.length) * 10) / 10
  return { count: ratings.length, average, comments: ratings.filter((r) => r.comment).sort((a, b) => (a.stamp < b.stamp ? 1 : -1)) }
}

// ---- Calendar export -----------------------------------------------------------

export interface ActivityEvent {
  uid: string
  title: string
  date: Day
  start: string
  end: string
  location: string
  description: string
  rrule?: string
}

const eventOf = (a: Activity): ActivityEvent => ({
  uid: `${a.id}@neighbours`,
  title: a.title,
  date: a.date,
  start: a.start,
  end: a.end,
  location: a.place,
  description: a.description,
})

/**
 * A group's activities as calendar events. A series that is still regular (no
 * occurrence edited or cancelled) becomes one event with a weekly RRULE; anything
 * else is listed date by date, so the calendar shows exactly what will happen.
 */
export function calendarEvents(activities: readonly Activity[], cancelled: ReadonlySet<string>, weeklyRule: (r: Repeat) => string): ActivityEvent[] {
  const events: ActivityEvent[] = []
  const bySeries = new Map<string, Activity[]>()
  for (const a of activities) {
    if (a.seriesId && a.repeat) bySeries.set(a.seriesId, [...(bySeries.get(a.seriesId) ?? []), a])
    else if (!cancelled.has(a.id)) events.push(eventOf(a))
  }
  for (const [seriesId, occurrences] of bySeries) {
    const sorted = [...occurrences].sort(sortActivities)
    const first = sorted[0]!
    const regular = sorted.every((a) => !cancelled.has(a.id) && a.editedAt === a.stamp && a.start === first.start && a.end === first.end)
    if (regular) events.push({ ...eventOf(first), uid: `${seriesId}@neighbours`, rrule: weeklyRule(first.repeat!) })
    else events.push(...sorted.filter((a) => !cancelled.has(a.id)).map(eventOf))
  }
  return events.sort((a, b) => (a.date + a.start < b.date + b.start ? -1 : 1))
}
