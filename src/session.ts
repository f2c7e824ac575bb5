import * as Y from 'yjs'
import { createSignal, type Accessor } from 'solid-js'
import type { Membership, SpaceKey, SpaceKind } from './domain/community'
import { HybridClock } from './domain/hlc'
import { MemberSchema, type Member } from './domain/members'
import { NoticeSchema, NoticeWithdrawalSchema, type Notice, type NoticeWithdrawal } from './domain/notices'
import { publicSpace } from './store/layout'
import { liveCollection, type LiveCollection } from './store/reactive'
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
}

export interface CommunitySession {
  membership: Membership
  clock: HybridClock
  publicSpace: OpenSpace
  staffSpace: OpenSpace | null
  members: LiveCollection<Member>
  notices: LiveCollection<Notice>
  noticeWithdrawals: LiveCollection<NoticeWithdrawal>
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
  let sync: SpaceSync | null = null
  let syncProblem: string | null = null
  // y-webrtc encrypts with WebCrypto, which browsers offer only to https and localhost.
  if (typeof crypto === 'undefined' || !crypto.subtle) {
    syncProblem = 'problem.noCrypto'
  } else {
    sync = connectSpace(doc, key.room, key.secret, signaling, storage.isFromStorage)
    const current = sync
    setStatus(current.status())
    current.onChange(() => setStatus(current.status()))
  }
  return { kind, key, doc, storage, sync, syncProblem, status }
}

async function closeSpace(space: OpenSpace): Promise<void> {
  await space.sync?.destroy()
  await space.storage.destroy()
  space.doc.destroy()
}

export function openCommunity(membership: Membership, deviceId: string, signaling: string[]): CommunitySession {
  const clock = new HybridClock(deviceId)
  const pub = openSpace('public', membership.public, signaling)
  const staff = membership.staff ? openSpace('staff', membership.staff, signaling) : null
  const layout = publicSpace(pub.doc)
  // Every stamp seen from others moves our clock past it, so what we do next is
  // ordered after what we have seen.
  const members = liveCollection(layout.members, MemberSchema, (m) => clock.receive(m.stamp))
  const notices = liveCollection(layout.notices, NoticeSchema, (n) => clock.receive(n.editedAt))
  const noticeWithdrawals = liveCollection(layout.noticeWithdrawals, NoticeWithdrawalSchema, (w) => clock.receive(w.stamp))
  let closing: Promise<void> | undefined
  const whenLoaded = Promise.all([pub.storage.whenLoaded, staff?.storage.whenLoaded]).then(() => undefined)
  return {
    membership,
    clock,
    publicSpace: pub,
    staffSpace: staff,
    members,
    notices,
    noticeWithdrawals,
    whenLoaded,
    close() {
      // Idempotent: switching and leaving may both ask to close the same session.
      closing ??= (async () => {
        members.dispose()
        notices.dispose()
        noticeWithdrawals.dispose()
        await Promise.all([closeSpace(pub), staff ? closeSpace(staff) : undefined])
      })()
      return closing
    },
  }
}
