import { categoryList, concernStatus, isOverdue, newestFirst, photoKey, type Concern, type ConcernEvent, type ConcernStatus } from '../../domain/concerns'
import { plusDays, type Day } from '../../domain/calendar'
import { stampDay } from '../../domain/hlc'
import type { CommunitySession } from '../../session'
import { createDeferredMemo, groupBy } from '../common/derive'

// Concerns with their derived state, for every concern screen, with the steps anyone
// may take (who may take which is checked in the domain).

export interface ConcernItem {
  concern: Concern
  status: ConcernStatus
}

export function createConcernBoard(session: CommunitySession) {
  const data = session.concerns
  const isStaff = (id: string) => session.members.byId[id]?.role === 'staff'
  const eventsBy = createDeferredMemo(() => groupBy(data.events.ids(), data.events.byId, (e) => e.concernId))
  const items = createDeferredMemo((): ConcernItem[] =>
    newestFirst(
      data.concerns
        .ids()
        .map((id) => data.concerns.byId[id])
        .filter((c): c is Concern => c !== undefined)
        .map((concern) => ({ concern, status: concernStatus(concern, eventsBy().get(concern.id) ?? [], isStaff) })),
    ),
  )
  const open = (i: ConcernItem) => i.status.state === 'new' || i.status.state === 'handling' || i.status.state === 'passedUp'
  const categoryRecords = createDeferredMemo(() => data.categories.ids().map((id) => data.categories.byId[id]!).filter(Boolean))
  return {
    ...session.commands.concerns,
    isStaff,
    /** The categories a concern may be reported under now (the list staff keep). */
    categories: createDeferredMemo(() => categoryList(categoryRecords())),
    /** Every category staff added or took off the list, for the list's own screen. */
    categoryRecords,
    categoryRecord: (id: string) => data.categories.byId[id],
    items,
    item: (id: string) => items().find((i) => i.concern.id === id),
    photoOf: (id: string) => data.photos.byId[photoKey(id)],
    /** A private concern's words and a step's note, opened on staff devices and the reporter's (null elsewhere). */
    wordsOf: (concern: Concern) => session.privateConcerns.words(concern),
    noteOf: (concern: Concern, event: ConcernEvent) => session.privateConcerns.note(concern, event),
    /** How many drop box keys this device can read (staff devices): a private concern not opened yet is tried again when it changes. */
    openingKeys: () => session.staffLive?.canteen.dropboxKeys.ids().length ?? 0,
    /** What this person reported, or what was reported for them. */
    mine: (personId: string) => items().filter((i) => i.concern.reportedBy === personId || i.concern.forId === personId),
    /** Staff's list: what is still open, overdue first (督办). */
    todo: (today: Day) => {
      const waiting = items().filter((i) => open(i) || i.status.state === 'answered' || i.status.state === 'resolved')
      return [...waiting.filter((i) => isOverdue(i.concern, i.status, today)), ...waiting.filter((i) => !isOverdue(i.concern, i.status, today))]
    },
    overdue: (today: Day) => items().filter((i) => isOverdue(i.concern, i.status, today)),
    /** Open ones and those reported in the last week: the list for the reception day (书记接待日). */
    week: (today: Day) => items().filter((i) => open(i) || stampDay(i.concern.stamp) >= plusDays(today, -7)),
  }
}
export type ConcernBoard = ReturnType<typeof createConcernBoard>
