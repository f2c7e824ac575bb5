import * as Y from 'yjs'
import { createSignal, type Accessor } from 'solid-js'
import { periodsAround, today } from './domain/calendar'
import type { Membership, SpaceKey, SpaceKind } from './domain/community'
import { HybridClock } from './domain/hlc'
import type { Member } from './domain/members'
import { liveMembers } from './store/members'
import { liveNoticeData, type LiveNoticeData } from './store/notices'
import { ShownPeriods, type LiveCollection } from './store/reactive'
import { liveShiftData, type LiveShiftData } from './store/shifts'
import { liveActivityData, type LiveActivityData } from './store/activities'
import { liveAidData, type LiveAidData } from './store/aid'
import { liveCanteenData, liveStaffCanteenData, type LiveCanteenData, type LiveStaffCanteenData } from './store/canteen'
import { persistSpace, type SpaceStorage } from './sync/persistence'
import { connectSpace, type SpaceSync, type SpaceSyncStatus } from './sync/transport'

// The composition root for one community on this device: each space's Y.Doc with
// its storage and its peer-to-peer room, the clock, and the live collections that
// screens read. Screens call store commands with `doc` and `clock` from here.

export interface OpenSpace {
  kind: SpaceKind
  key: SpaceKey
  doc: Y.Doc
  storage: SpaceStorage
  sync: SpaceSync | null
  /** Why sync could not start (e.g. no WebCrypto over plain http), if it could not. */
  syncProblem: string | null
  status: Accessor<SpaceSyncStatus>
  closed: boolean
}

export interface CommunitySession {
  membership: Membership
  clock: HybridClock
  publicSpace: OpenSpace
  staffSpace: OpenSpace | null
  /** The months each feature's screens read; a screen that shows another month adds it. */
  periods: { shifts: ShownPeriods; activities: ShownPeriods; canteen: ShownPeriods }
  members: LiveCollection<Member>
  notices: LiveNoticeData
  shifts: LiveShiftData
  activities: LiveActivityData
  aid: LiveAidData
  canteen: LiveCanteenData
  /** Only on devices that hold the staff space. */
  staffCanteen: LiveStaffCanteenData | null
  /** Every live collection, for diagnostics (records skipped as malformed). */
  collections: LiveCollection<object>[]
  whenLoaded: Promise<void>
  close(): Promise<void>
}

const idleStatus: SpaceSyncStatus = {
  peers: 0,
  signalingConnected: 0,
  signalingServers: 0,
  lastReceivedAt: null,
  lastSentAt: null,
  lastLocalChangeAt: null,
}

function openSpace(kind: SpaceKind, key: SpaceKey, signaling: string[]): OpenSpace {
  const doc = new Y.Doc()
  const storage = persistSpace(doc, key.room)
  const [status, setStatus] = createSignal<SpaceSyncStatus>(idleStatus)
  // y-webrtc encrypts with WebCrypto, which browsers offer only to https and localhost.
  const noCrypto = typeof crypto === 'undefined' || !crypto.subtle
  const space: OpenSpace = { kind, key, doc, storage, sync: null, syncProblem: noCrypto ? 'problem.noCrypto' : null, status, closed: false }
  // Peers are met once what this device holds is loaded: a provider listening while
  // the stored year is applied would re-encode, encrypt and echo all of it.
  if (!noCrypto) {
    void storage.whenLoaded.then(() => {
      if (space.closed) return
      const sync = connectSpace(doc, key.room, key.secret, signaling, storage.isFromStorage)
      space.sync = sync
      setStatus(sync.status())
      sync.onChange(() => setStatus(sync.status()))
    })
  }
  return space
}

async function closeSpace(space: OpenSpace): Promise<void> {
  space.closed = true
  await space.sync?.destroy()
  await space.storage.destroy()
  space.doc.destroy()
}

export function openCommunity(membership: Membership, deviceId: string, signaling: string[]): CommunitySession {
  const clock = new HybridClock(deviceId)
  const pub = openSpace('public', membership.public, signaling)
  const staff = membership.staff ? openSpace('staff', membership.staff, signaling) : null
  // Each feature's live views feed every stamp they see into the clock, so what this
  // device does next is ordered after everything it has seen.
  const members = liveMembers(pub.doc, clock)
  const notices = liveNoticeData(pub.doc, clock)
  // Screens show last month to two months ahead; older months stay stored, unread.
  const around = periodsAround(today())
  const periods = { shifts: new ShownPeriods(around), activities: new ShownPeriods(around), canteen: new ShownPeriods(around) }
  const shifts = liveShiftData(pub.doc, clock, periods.shifts)
  const activities = liveActivityData(pub.doc, clock, periods.activities)
  const aid = liveAidData(pub.doc, clock)
  const canteen = liveCanteenData(pub.doc, clock, periods.canteen)
  const staffCanteen = staff ? liveStaffCanteenData(staff.doc, clock, periods.canteen) : null
  const collections: LiveCollection<object>[] = [members, ...Object.values(notices), ...Object.values(shifts), ...Object.values(activities), ...Object.values(aid), ...Object.values(canteen), ...Object.values(staffCanteen ?? {})]
  let closing: Promise<void> | undefined
  const whenLoaded = Promise.all([pub.storage.whenLoaded, staff?.storage.whenLoaded]).then(() => undefined)
  return {
    membership,
    clock,
    periods,
    publicSpace: pub,
    staffSpace: staff,
    members,
    notices,
    shifts,
    activities,
    aid,
    canteen,
    staffCanteen,
    collections,
    whenLoaded,
    close() {
      // Idempotent: switching and leaving may both ask to close the same session.
      closing ??= (async () => {
        collections.forEach((c) => c.dispose())
        await Promise.all([closeSpace(pub), staff ? closeSpace(staff) : undefined])
      })()
      return closing
    },
  }
}
