import { createMemo } from 'solid-js'
import { activityView, sortActivities, summariseRatings, type Activity, type ActivityView, type Group, type Rating } from '../../domain/activities'
import { statusOf, type PlaceEntry } from '../../domain/places'
import type { CommunitySession } from '../../session'
import { createDeferredMemo, entriesOf, groupBy, isIn } from '../common/derive'

// Activity and group views for every screen, derived from the merged entries, with
// what anyone may do (RSVP, rate, join a group).

export function createActivityBoard(session: CommunitySession) {
  const data = session.activities
  // Read when a group screen first asks (Today shows no group).
  const membersBy = createDeferredMemo(() => groupBy(data.groupMembers.ids(), data.groupMembers.byId, (m) => m.recordId))
  const ratingsBy = createDeferredMemo(() => groupBy(data.ratings.ids(), data.ratings.byId, (r) => r.activityId))
  const cancelled = createMemo(() => new Set(data.cancellations.ids()))
  // Per activity, so an RSVP wakes its own card's view only.
  const rsvpsOf = (id: string) => entriesOf(data.rsvps, id)

  const activities = createMemo(() =>
    data.activities
      .ids()
      .map((id) => data.activities.byId[id])
      .filter((a): a is Activity => a !== undefined)
      .sort(sortActivities),
  )
  const groups = createMemo(() =>
    data.groups
      .ids()
      .map((id) => data.groups.byId[id])
      .filter((g): g is Group => g !== undefined)
      .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN')),
  )
  const viewOf = (id: string): ActivityView | null => {
    const activity = data.activities.byId[id]
    return activity ? activityView(activity, rsvpsOf(id), cancelled().has(id)) : null
  }
  const activeMembers = (groupId: string): PlaceEntry[] => (membersBy().get(groupId) ?? []).filter((m) => m.active)
  const ratingsOf = (activityId: string): Rating[] => ratingsBy().get(activityId) ?? []

  return {
    ...session.commands.activities,
    /** Makes sure the entries of these months are read (a week or report outside the usual months). */
    showMonths: (months: Iterable<string>) => session.shown.activities.show(months),
    activities,
    groups,
    viewOf,
    isCancelled: (id: string) => cancelled().has(id),
    cancellationOf: (id: string) => data.cancellations.byId[id],
    groupOf: (id: string | undefined) => (id ? data.groups.byId[id] : undefined),
    activeMembers,
    rsvpOf: (activityId: string, personId: string) => rsvpsOf(activityId).find((r) => r.personId === personId),
    headcountOf: (activityId: string) => data.headcounts.byId[activityId],
    ratingsOf,
    myRating: (activityId: string, personId: string) => ratingsOf(activityId).find((r) => r.personId === personId),
    groupRatings: (groupId: string) => summariseRatings(activities().filter((a) => a.groupId === groupId).flatMap((a) => ratingsOf(a.id))),
    /** Activities this person has an RSVP for (going or waiting), from `fromDay` on. */
    mine: (personId: string, fromDay: string) =>
      activities()
        .filter((a) => a.date >= fromDay && isIn(data.rsvps, a.id, personId))
        .map((a) => {
          const view = viewOf(a.id)!
          return { view, ...statusOf(view, personId) }
        }),
  }
}
export type ActivityBoard = ReturnType<typeof createActivityBoard>
