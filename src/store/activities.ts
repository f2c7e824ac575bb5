import type { SpaceDocs } from './space-docs'
import { nowTime, staysInItsMonth, today, type Day } from '../domain/calendar'
import type { HybridClock } from '../domain/hlc'
import { datedId, newId } from '../domain/ids'
import {
  ActivitySchema,
  checkActivityDraft,
  checkActivitySeries,
  checkGroupDraft,
  checkRating,
  GroupSchema,
  HeadcountSchema,
  RatingSchema,
  type Activity,
  type ActivityDraft,
  type Group,
  type GroupDraft,
  type Headcount,
  type Rating,
} from '../domain/activities'
import { entryKey, PlaceEntrySchema, type PlaceEntry } from '../domain/places'
import { CancellationSchema, seriesDates, type Cancellation, type Repeat } from '../domain/schedule'
import { failed, type Checked } from '../domain/validation'
import { readCollection, readRecord, type Writer } from './collection'
import { publicSpace } from './layout'
import { joinLine, leaveLine, type Person } from './places'
import { liveOf, type ShownMonths } from './reactive'
import { writeCancellation } from './schedule'
import { feature } from './feature'

const notFound = failed('activity', 'problem.notFound')

// ---- Groups ---------------------------------------------------------------------

export function publishGroup(docs: SpaceDocs, clock: HybridClock, by: Person, draft: GroupDraft): Checked<Group> {
  const check = checkGroupDraft(draft)
  if (!check.ok) return check
  const stamp = clock.tick()
  const group: Group = { id: newId(), ...check.value, createdBy: by.id, stamp, editedAt: stamp }
  docs.transact(() => publicSpace(docs).groups.put(group.id, group))
  return { ok: true, value: group }
}

export function editGroup(docs: SpaceDocs, clock: HybridClock, id: string, draft: GroupDraft): Checked<Group> {
  const group = readRecord(GroupSchema, id, publicSpace(docs).groups.get(id))
  if (!group) return notFound
  const check = checkGroupDraft(draft)
  if (!check.ok) return check
  const edited: Group = { ...group, ...check.value, editedAt: clock.tick() }
  docs.transact(() => publicSpace(docs).groups.put(id, edited))
  return { ok: true, value: edited }
}

/** Membership has no limit; it uses the same per-person entries as places. */
export function joinGroup(docs: SpaceDocs, clock: HybridClock, groupId: string, person: Person): Checked<PlaceEntry> {
  if (!publicSpace(docs).groups.has(groupId)) return notFound
  return docs.transact(() => joinLine(publicSpace(docs).groupMembers, clock, groupId, null, person, person))
}

export function leaveGroup(docs: SpaceDocs, clock: HybridClock, groupId: string, person: Person): Checked<PlaceEntry> {
  return docs.transact(() => leaveLine(publicSpace(docs).groupMembers, clock, groupId, person.id, person))
}

// ---- Activities -----------------------------------------------------------------

export function findActivity(docs: SpaceDocs, id: string): Activity | null {
  return readRecord(ActivitySchema, id, publicSpace(docs).activities.get(id))
}

function withoutEmptyGroup(draft: ActivityDraft) {
  const { groupId, ...rest } = draft
  return groupId ? { ...rest, groupId } : rest
}

export function publishActivity(docs: SpaceDocs, clock: HybridClock, by: Person, draft: ActivityDraft, today: Day): Checked<Activity> {
  const check = checkActivityDraft(draft, today, false)
  if (!check.ok) return check
  const stamp = clock.tick()
  const activity: Activity = { id: datedId(check.value.date), ...withoutEmptyGroup(check.value), createdBy: by.id, stamp, editedAt: stamp }
  docs.transact(() => publicSpace(docs).activities.put(activity.id, activity))
  return { ok: true, value: activity }
}

/** Weekly rehearsals and classes: one record per date, each remembering the rule. */
export function publishActivitySeries(docs: SpaceDocs, clock: HybridClock, by: Person, draft: ActivityDraft, repeat: Repeat, today: Day): Checked<Activity[]> {
  const check = checkActivitySeries(draft, repeat, today)
  if (!check.ok) return check
  const seriesId = newId()
  const rule = check.value.repeat
  const activities = seriesDates(rule.weekdays, rule.from, rule.until).map((date): Activity => {
    const stamp = clock.tick()
    return { id: datedId(date), seriesId, repeat: rule, ...withoutEmptyGroup(check.value.draft), date, createdBy: by.id, stamp, editedAt: stamp }
  })
  docs.transact(() => activities.forEach((a) => publicSpace(docs).activities.put(a.id, a)))
  return { ok: true, value: activities }
}

/** Edits one occurrence. A smaller capacity moves the latest to the waitlist (the screen asks first). */
export function editActivity(docs: SpaceDocs, clock: HybridClock, id: string, draft: ActivityDraft, today: Day): Checked<Activity> {
  const activity = findActivity(docs, id)
  if (!activity) return notFound
  const check = checkActivityDraft(draft, today, draft.date === activity.date)
  if (!check.ok) return check
  if (!staysInItsMonth(id, check.value.date)) return { ok: false, problems: { date: 'problem.otherMonth' } }
  const { groupId: _old, ...kept } = activity
  const edited: Activity = { ...kept, ...withoutEmptyGroup(check.value), editedAt: clock.tick() }
  docs.transact(() => publicSpace(docs).activities.put(id, edited))
  return { ok: true, value: edited }
}

export function cancelActivity(docs: SpaceDocs, clock: HybridClock, by: Person, id: string, reason: string): Checked<Cancellation> {
  if (!findActivity(docs, id)) return notFound
  return { ok: true, value: docs.transact(() => writeCancellation(publicSpace(docs).activityCancellations, clock, by.id, id, reason)) }
}

/** Going (or waitlisted when full); staff may RSVP for a resident without a phone. */
export function rsvp(docs: SpaceDocs, clock: HybridClock, activityId: string, person: Person, by: Person): Checked<PlaceEntry> {
  const activity = findActivity(docs, activityId)
  if (!activity) return notFound
  if (publicSpace(docs).activityCancellations.has(activityId)) return { ok: false, problems: { activity: 'problem.activityCancelled' } }
  return docs.transact(() => joinLine(publicSpace(docs).rsvps, clock, activityId, activity.capacity, person, by))
}

export function cancelRsvp(docs: SpaceDocs, clock: HybridClock, activityId: string, personId: string, by: Person): Checked<PlaceEntry> {
  return docs.transact(() => leaveLine(publicSpace(docs).rsvps, clock, activityId, personId, by))
}

/** Whether an activity has begun by this day (and time, when given; a day alone counts as all of it). */
function startedBy(activity: Activity, today: Day, time = '23:59') {
  return activity.date < today || (activity.date === today && activity.start <= time)
}

export function recordHeadcount(docs: SpaceDocs, clock: HybridClock, activityId: string, count: number, by: Person, today: Day): Checked<Headcount> {
  const activity = findActivity(docs, activityId)
  if (!activity) return notFound
  if (!startedBy(activity, today)) return { ok: false, problems: { count: 'problem.notYetHeld' } }
  if (!Number.isInteger(count) || count < 0) return { ok: false, problems: { count: 'problem.badCount' } }
  const headcount: Headcount = { id: activityId, count, byId: by.id, stamp: clock.tick() }
  docs.transact(() => publicSpace(docs).headcounts.put(activityId, headcount))
  return { ok: true, value: headcount }
}

/** A participant's 1–5 rating with an optional comment; rating again replaces it. */
export function rate(docs: SpaceDocs, clock: HybridClock, activityId: string, person: Person, stars: number, comment: string, today: Day, time?: string): Checked<Rating> {
  const activity = findActivity(docs, activityId)
  if (!activity) return notFound
  if (!startedBy(activity, today, time)) return { ok: false, problems: { stars: 'problem.notYetHeld' } }
  const check = checkRating(stars, comment)
  if (!check.ok) return check
  const key = entryKey(activityId, person.id)
  // Stamped after the rating it replaces, whatever a screen has read.
  const before = readRecord(RatingSchema, key, publicSpace(docs).ratings.get(key))
  if (before) clock.receive(before.stamp)
  const rating: Rating = { id: key, activityId, personId: person.id, personName: person.name, ...check.value, stamp: clock.tick() }
  docs.transact(() => publicSpace(docs).ratings.put(key, rating))
  return { ok: true, value: rating }
}

/** What anyone may do with activities and groups, bound to the public space and the person acting. */
export const activityCommands = ({ docs, clock, actor }: Writer) => ({
  rsvp: (activityId: string) => rsvp(docs, clock, activityId, actor(), actor()),
  cancelRsvp: (activityId: string) => cancelRsvp(docs, clock, activityId, actor().id, actor()),
  rate: (activityId: string, stars: number, comment: string) => rate(docs, clock, activityId, actor(), stars, comment, today(), nowTime()),
  joinGroup: (groupId: string) => joinGroup(docs, clock, groupId, actor()),
  leaveGroup: (groupId: string) => leaveGroup(docs, clock, groupId, actor()),
})

/** What staff do with activities and groups (only a staff device is given these). */
export const staffActivityCommands = ({ docs, clock, actor }: Writer) => ({
  publish: (draft: ActivityDraft) => publishActivity(docs, clock, actor(), draft, today()),
  publishSeries: (draft: ActivityDraft, repeat: Repeat) => publishActivitySeries(docs, clock, actor(), draft, repeat, today()),
  edit: (id: string, draft: ActivityDraft) => editActivity(docs, clock, id, draft, today()),
  cancel: (id: string, reason: string) => cancelActivity(docs, clock, actor(), id, reason),
  /** RSVPs someone without a phone (代办). */
  rsvpFor: (activityId: string, person: Person) => rsvp(docs, clock, activityId, person, actor()),
  recordHeadcount: (activityId: string, count: number) => recordHeadcount(docs, clock, activityId, count, actor(), today()),
  publishGroup: (draft: GroupDraft) => publishGroup(docs, clock, actor(), draft),
  editGroup: (id: string, draft: GroupDraft) => editGroup(docs, clock, id, draft),
})

export function readActivityData(docs: SpaceDocs) {
  const layout = publicSpace(docs)
  return {
    groups: [...readCollection(layout.groups, GroupSchema).records.values()],
    groupMembers: [...readCollection(layout.groupMembers, PlaceEntrySchema).records.values()],
    activities: [...readCollection(layout.activities, ActivitySchema).records.values()],
    cancellations: readCollection(layout.activityCancellations, CancellationSchema).records,
    rsvps: [...readCollection(layout.rsvps, PlaceEntrySchema).records.values()],
    headcounts: readCollection(layout.headcounts, HeadcountSchema).records,
    ratings: [...readCollection(layout.ratings, RatingSchema).records.values()],
  }
}

export function liveActivityData(docs: SpaceDocs, clock: HybridClock, months?: ShownMonths) {
  return {
    groups: liveOf(docs, 'groups', clock, months),
    groupMembers: liveOf(docs, 'groupMembers', clock, months),
    activities: liveOf(docs, 'activities', clock, months),
    cancellations: liveOf(docs, 'activityCancellations', clock, months),
    rsvps: liveOf(docs, 'rsvps', clock, months),
    headcounts: liveOf(docs, 'headcounts', clock, months),
    // Read when a screen first shows ratings (Today shows none).
    ratings: liveOf(docs, 'ratings', clock, months),
  }
}
export type LiveActivityData = ReturnType<typeof liveActivityData>

export const activitiesFeature = feature({
  live: ({ pub, clock, shown }) => liveActivityData(pub, clock, shown.activities),
  commands: ({ pub }) => activityCommands(pub),
  staffCommands: ({ pub }) => staffActivityCommands(pub),
})
