import type { Accessor } from 'solid-js'
import type { Actor } from '../../domain/actor'
import type { Day } from '../../domain/calendar'
import type { Menu, Meal } from '../../domain/canteen'
import type { Notice } from '../../domain/notices'
import type { Shift } from '../../domain/shifts'
import type { Activity } from '../../domain/activities'
import type { PlaceStatus } from '../../domain/places'
import type { SpaceSyncStatus } from '../../sync/activity'
import type { CollectionName } from '../../domain/collections'

// What Today and the shell read, and nothing more. The live community satisfies it, and
// so does Today's glance (today/glance.tsx), drawn from localStorage before the live
// app has loaded: a part of Today that reads anything else is not drawn on the glance,
// and the type check says so.

export interface TodayView {
  /** True on the glance, where parts that load later wait for the live app. */
  glance: boolean
  name: string
  actor: Accessor<Actor>
  /** Whether this device holds the staff space (its staff tools are drawn, inert on the glance). */
  hasStaff: boolean
  notices: { ids: Accessor<readonly string[]>; noticeOf: (id: string) => Pick<Notice, 'title' | 'body' | 'authorName'> | undefined }
  canteen: {
    menuOf: (day: Day, meal: Meal) => Menu | undefined
    /** Seats left; unknown on a glance made on an earlier day. */
    seatsOf: (day: Day, meal: Meal) => { seatsLeft: number | undefined }
  }
  shifts: { mine: (personId: string) => { view: { shift: Pick<Shift, 'date' | 'start' | 'end' | 'title'>; cancelled: boolean }; status: PlaceStatus; position: number }[] }
  activities: { mine: (personId: string, from: Day) => { view: { activity: Pick<Activity, 'date' | 'start' | 'title'>; cancelled: boolean }; status: PlaceStatus; position: number }[] }
  sync: {
    spaces: readonly { status: Accessor<SpaceSyncStatus> }[]
    saving: Accessor<boolean>
    /** A record this device wrote that is not yet signed and on disk. */
    savingRecord: (collection: CollectionName, key: string) => boolean
  }
}
