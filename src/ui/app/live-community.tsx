import { createEffect, on, onCleanup, type Accessor, type JSX } from 'solid-js'
import type { Role } from '../../domain/community'
import { stampTime } from '../../domain/places'
import type { CommunitySession, FileLoaded, OpenSpace } from '../../session'
import { isConfirmed, type PeerSeen, type SpaceSyncStatus } from '../../sync/activity'
import { noRefusals, type TrafficRefusals } from '../../sync/limits'
import { CommunityProvider, useApp } from '../common/community'
import { createNoticeBoard } from '../notices/board'
import { createShiftBoard } from '../shifts/board'
import { createActivityBoard } from '../activities/board'
import { createAidBoard, createPrivateErrandBoard } from '../aid/board'
import { createConcernBoard } from '../concerns/board'
import { createCanteenBoard, createStaffCanteenBoard } from '../canteen/board'
import { createVisitBoard } from '../visits/board'
import { dropGlance, glanceOf, keepGlance } from '../today/glance'

// The open community's boards, built from its session: what useCommunity() returns
// once the session has loaded.

/** What screens show of a space's sync: its state and what it holds, never its docs. */
export interface SpaceReport {
  kind: OpenSpace['kind']
  status: Accessor<SpaceSyncStatus>
  /** Why sync could not start here (no WebCrypto over plain http), if it could not. */
  syncProblem: OpenSpace['syncProblem']
  /** The docs this device holds of the space (what a hub lists). */
  held(): string[]
  peersSeen(): PeerSeen[]
  /** The encoded size of the docs open now (diagnostics). */
  bytes(): number
  /** What peers sent that the sync limits refused this session (sync/limits.ts; diagnostics). */
  refusedTraffic(): TrafficRefusals
}

function reportOf(space: OpenSpace): SpaceReport {
  return {
    kind: space.kind,
    status: space.status,
    syncProblem: space.syncProblem,
    held: () => space.sync?.held() ?? [],
    peersSeen: () => space.sync?.peersSeen() ?? [],
    bytes: () => space.docs.encodedBytes(),
    refusedTraffic: () => space.sync?.refusals() ?? noRefusals(),
  }
}

/** Each feature's board, built from the session: one line per feature with screens of its own. */
const boards = {
  notices: createNoticeBoard,
  shifts: createShiftBoard,
  activities: createActivityBoard,
  aid: createAidBoard,
  concerns: createConcernBoard,
  canteen: createCanteenBoard,
}
type Boards = { [Name in keyof typeof boards]: ReturnType<(typeof boards)[Name]> }

function buildBoards(session: CommunitySession): Boards {
  const built: Record<string, unknown> = {}
  for (const [name, create] of Object.entries(boards)) built[name] = create(session)
  return built as Boards
}

function makeCommunity(session: CommunitySession, role: Accessor<Role>) {
  const built = buildBoards(session)
  const canteen = built.canteen
  const [staffCommands, staffLive] = [session.commands.staff, session.staffLive]
  const spaces = [session.publicSpace, session.staffSpace].filter((space): space is OpenSpace => space !== null).map(reportOf)
  return {
    /** False here; true when Today is drawn from its glance (today/glance.tsx), where parts that load later wait for the live app. */
    glance: false as boolean,
    name: session.membership.name,
    actor: session.actor,
    role,
    /** Volunteers and staff take help requests; residents ask. */
    helps: () => role() !== 'resident',
    /** This device keeps every doc and passes on what it receives. */
    isHub: session.membership.hub === true,
    members: session.members,
    ...built,
    /** Rounds sealed to a volunteer's devices: opened here if this device is one, sealed by staff. */
    shares: session.shares,
    hasStaff: Boolean(staffCommands && staffLive),
    /** Only where the device holds the staff space. */
    staff: staffCommands && staffLive && {
      ...staffCommands,
      canteen: createStaffCanteenBoard(staffLive.canteen, canteen, staffCommands.canteen),
      visits: createVisitBoard(staffLive.visits, staffCommands.visits),
      errands: createPrivateErrandBoard(staffLive.errands, staffCommands.errands),
    },
    sync: {
      spaces,
      /** Whether a peer has confirmed holding a change made at this stamp ("saved on this phone only" until then). */
      isShared: (stamp: string) => isConfirmed(session.publicSpace.status(), stampTime(stamp)),
      saveFile: (): Promise<Uint8Array<ArrayBuffer>> => session.saveFile(),
      loadFile: (bytes: Uint8Array): Promise<FileLoaded> => session.loadFile(bytes),
      /** Records skipped as malformed, across every live collection. */
      skipped: () => session.collections.reduce((sum, c) => sum + c.skipped(), 0),
      stampsTooFarAhead: () => session.clock.stampsTooFarAhead,
      /** Records that failed their signature or permission check, with the device that signed each. */
      refused: session.refused,
      /** True while a change just made is being signed and written to storage: a screen says it is kept only after. */
      saving: session.saving,
      savingRecord: session.savingRecord,
    },
    /** Who holds which role, by the community's signed grants. */
    trust: session.trust.state,
    /** Removes a device from the community (and from the staff space, which is made anew). */
    removeDevice: (key: string) => session.trust.remove(key),
    /** Withdraws an invitation link (Devices lists those still open). */
    withdrawInvitation: (key: string) => session.trust.withdraw(key),
    /** Names another device founder-level, so losing one phone loses nothing. */
    makeFounder: (key: string) => session.trust.grant(key, 'founder'),
  }
}

export type Community = ReturnType<typeof makeCommunity>
export type StaffBoard = NonNullable<Community['staff']>

/** Builds the open community's boards once, for everything inside. */
export function LiveCommunity(props: { session: CommunitySession; children: JSX.Element }) {
  const app = useApp()
  const community = makeCommunity(props.session, () => app.active()?.role ?? props.session.membership.role)
  // Today's glance gives way once the community has loaded (the live screen is drawn by then),
  // and is kept from the live boards from the first screen on.
  const handOver = () => setTimeout(dropGlance, 0)
  void props.session.whenLoaded.then(handOver, handOver)
  let kept: ReturnType<typeof keepGlance> | undefined
  let closed = false
  void props.session.whenDrawn.then(() => {
    if (closed) return
    kept = keepGlance(() => glanceOf(community, { community: props.session.membership.id, language: app.device.language, largeText: app.device.largeText }))
  })
  // A glance in the old language or text size would be dropped at the next start: keep it anew.
  createEffect(on([() => app.device.language, () => app.device.largeText], () => kept?.keep(), { defer: true }))
  onCleanup(() => {
    closed = true
    kept?.stop()
  })
  return <CommunityProvider community={community}>{props.children}</CommunityProvider>
}
