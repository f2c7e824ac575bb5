import type { SpaceDoc } from './space-doc'
import { staysInItsMonth, type Day } from '../domain/calendar'
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
import { inTransaction, putRecord, readCollection, readRecord } from './collection'
import { publicSpace } from './layout'
import { joinLine, leaveLine, type Person } from './places'
import { liveCollection, type ShownPeriods } from './reactive'
import { writeCancellation } from './schedule'

const notFound = failed('activity', 'problem.notFound')

// ---- Groups ---------------------------------------------------------------------

export function publishGroup(doc: SpaceDoc, clock: HybridClock, by: Person, draft: GroupDraft): Checked<Group> {
  const check = checkGroupDraft(draft)
  if (!check.ok) return check
  const stamp = clock.tick()
  const group: Group = { id: newId(), ...check.value, createdBy: by.id, stamp, editedAt: stamp }
  inTransaction(doc, () => putRecord(publicSpace(doc).groups, group.id, group))
  return { ok: true, value: group }
}

export function editGroup(doc: SpaceDoc, clock: HybridClock, id: string, draft: GroupDraft): Checked<Group> {
  const group = readRecord(GroupSchema, id, publicSpace(doc).groups.get(id))
  if (!group) return notFound
  const check = checkGroupDraft(draft)
  if (!check.ok) return check
  const edited: Group = { ...group, ...check.value, editedAt: clock.tick() }
  inTransaction(doc, () => putRecord(publicSpace(doc).groups, id, edited))
  return { ok: true, value: edited }
}

/** Membership has no limit; it uses the same per-person entries as places. */
export function joinGroup(doc: SpaceDoc, clock: HybridClock, groupId: string, person: Person): Checked<PlaceEntry> {
  if (!publicSpace(doc).groups.has(groupId)) return notFound
  return inTransaction(doc, () => joinLine(publicSpace(doc).groupMembers, clock, groupId, null, person, person))
}

export function leaveGroup(doc: SpaceDoc, clock: HybridClock, groupId: string, person: Person): Checked<PlaceEntry> {
  return inTransaction(doc, () => leaveLine(publicSpace(doc).groupMembers, clock, groupId, person.id, person))
}

// ---- Activities -----------------------------------------------------------------

export function findActivity(doc: SpaceDoc, id: string): Activity | null {
  return readRecord(ActivitySchema, id, publicSpace(doc).activities.get(id))
}

function withoutEmptyGroup(draft: ActivityDraft) {
  const { groupId, ...rest } = draft
  return groupId ? { ...rest, groupId } : rest
}

export function publishActivity(doc: SpaceDoc, clock: HybridClock, by: Person, draft: ActivityDraft, today: Day): Checked<Activity> {
  const check = checkActivityDraft(draft, today, false)
  if (!check.ok) return check
  const stamp = clock.tick()
  const activity: Activity = { id: datedId(check.value.date), ...withoutEmptyGroup(check.value), createdBy: by.id, stamp, editedAt: stamp }
  inTransaction(doc, () => putRecord(publicSpace(doc).activities, activity.id, activity))
  return { ok: true, value: activity }
}

/** Weekly rehearsals and classes: one record per date, each remembering the rule. */
export function publishActivitySeries(doc: SpaceDoc, clock: HybridClock, by: Person, draft: ActivityDraft, repeat: Repeat, today: Day): Checked<Activity[]> {
  const check = checkActivitySeries(draft, repeat, today)
  if (!check.ok) return check
  const seriesId = newId()
  const rule = check.value.repeat
  const activities = seriesDates(rule.weekdays, rule.from, rule.until).map((date): Activity => {
    const stamp = clock.tick()
    return { id: datedId(date), seriesId, repeat: rule, ...withoutEmptyGroup(check.value.draft), date, createdBy: by.id, stamp, editedAt: stamp }
  })
  inTransaction(doc, () => activities.forEach((a) => putRecord(publicSpace(doc).activities, a.id, a)))
  return { ok: true, value: activities }
}

/** Edits one occurrence. A smaller capacity moves the latest to the waitlist (the screen asks first). */
export function editActivity(doc: SpaceDoc, clock: HybridClock, id: string, draft: ActivityDraft, today: Day): Checked<Activity> {
  const activity = findActivity(doc, id)
  if (!activity) return notFound
  const check = checkActivityDraft(draft, today, draft.date === activity.date)
  if (!check.ok) return check
  if (!staysInItsMonth(id, check.value.date)) return { ok: false, problems: { date: 'problem.otherMonth' } }
  const { groupId: _old, ...kept } = activity
  const edited: Activity = { ...kept, ...withoutEmptyGroup(check.value), editedAt: clock.tick() }
  inTransaction(doc, () => putRecord(publicSpace(doc).activities, id, edited))
  return { ok: true, value: edited }
}

export function cancelActivity(doc: SpaceDoc, clock: HybridClock, by: Person, id: string, reason: string): Checked<Cancellation> {
  if (!findActivity(doc, id)) return notFound
  return { ok: true, value: inTransaction(doc, () => writeCancellation(publicSpace(doc).activityCancellations, clock, by.id, id, reason)) }
}

/** Going (or waitlisted when full); staff may RSVP for a resident without a phone. */
export function rsvp(doc: SpaceDoc, clock: HybridClock, activityId: string, person: Person, by: Person): Checked<PlaceEntry> {
  const activity = findActivity(doc, activityId)
  if (!activity) return notFound
  if (publicSpace(doc).activityCancellations.has(activityId)) return { ok: false, problems: { activity: 'problem.activityCancelled' } }
  return inTransaction(doc, () => joinLine(publicSpace(doc).rsvps, clock, activityId, activity.capacity, person, by))
}

export function cancelRsvp(doc: SpaceDoc, clock: HybridClock, activityId: string, personId: string, by: Person): Checked<PlaceEntry> {
  return inTransaction(doc, () => leaveLine(publicSpace(doc).rsvps, clock, activityId, personId, by))
}

/** Whether an activity has begun by this day (and time, when given; a day alone counts as all of it). */
function startedBy(activity: Activity, today: Day, time = '23:59') {
  return activity.date < today || (activity.date === today && activity.start <= time)
}

export function recordHeadcount(doc: SpaceDoc, clock: HybridClock, activityId: string, count: number, by: Person, today: Day): Checked<Headcount> {
  const activity = findActivity(doc, activityId)
  if (!activity) return notFound
  if (!startedBy(activity, today)) return { ok: false, problems: { count: 'problem.notYetHeld' } }
  if (!Number.isInteger(count) || count < 0) return { ok: false, problems: { count: 'problem.badCount' } }
  const headcount: Headcount = { id: activityId, count, byId: by.id, stamp: clock.tick() }
  inTransaction(doc, () => putRecord(publicSpace(doc).headcounts, activityId, headcount))
  return { ok: true, value: headcount }
}

/** A participant's 1–5 rating with an optional comment; rating again replaces it. */
export function rate(doc: SpaceDoc, clock: HybridClock, activityId: string, person: Person, stars: number, comment: string, today: Day, time?: string): Checked<Rating> {
  const activity = findActivity(doc, activityId)
  if (!activity) return notFound
  if (!startedBy(activity, today, time)) return { ok: false, problems: { stars: 'problem.notYetHeld' } }
  const check = checkRating(stars, comment)
  if (!check.ok) return check
  const key = entryKey(activityId, person.id)
  const rating: Rating = { id: key, activityId, personId: person.id, personName: person.name, ...check.value, stamp: clock.tick() }
  inTransaction(doc, () => putRecord(publicSpace(doc).ratings, key, rating))
  return { ok: true, value: rating }
}

export function readActivityData(doc: SpaceDoc) {
  const layout = publicSpace(doc)
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

export function liveActivityData(doc: SpaceDoc, clock: HybridClock, periods?: ShownPeriods) {
  const layout = publicSpace(doc)
  return {
    groups: liveCollection(layout.groups, GroupSchema, (g) => clock.receive(g.editedAt), periods),
    groupMembers: liveCollection(layout.groupMembers, PlaceEntrySchema, (m) => clock.receive(m.updatedAt), periods),
    activities: liveCollection(layout.activities, ActivitySchema, (a) => clock.receive(a.editedAt), periods),
    cancellations: liveCollection(layout.activityCancellations, CancellationSchema, (c) => clock.receive(c.stamp), periods),
    rsvps: liveCollection(layout.rsvps, PlaceEntrySchema, (r) => clock.receive(r.updatedAt), periods),
    headcounts: liveCollection(layout.headcounts, HeadcountSchema, (h) => clock.receive(h.stamp), periods),
    ratings: liveCollection(layout.ratings, RatingSchema, (r) => clock.receive(r.stamp), periods),
  }
}
export type LiveActivityData = ReturnType<typeof liveActivityData>
