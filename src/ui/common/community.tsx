import { createContext, Show, useContext, type Accessor, type JSX } from 'solid-js'
import type { Role } from '../../domain/community'
import { stampTime } from '../../domain/places'
import type { CommunitySession, FileLoaded, OpenSpace } from '../../session'
import { isConfirmed, type PeerSeen, type SpaceSyncStatus } from '../../sync/activity'
import type { AppState } from './app-state'
import { createNoticeBoard } from '../notices/board'
import { createShiftBoard } from '../shifts/board'
import { createActivityBoard } from '../activities/board'
import { createAidBoard } from '../aid/board'
import { createCanteenBoard, createStaffCanteenBoard } from '../canteen/board'
import { createVisitBoard } from '../visits/board'

// What every screen reads and calls, from one place: the open community's boards (each
// feature's live views with its bound commands), the person acting, and the sync
// report. Screens take it with useCommunity(); staff screens, inside <StaffOnly>, take
// the staff board with useStaff(). Only this module sees the session.

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
}

function reportOf(space: OpenSpace): SpaceReport {
  return {
    kind: space.kind,
    status: space.status,
    syncProblem: space.syncProblem,
    held: () => space.sync?.held() ?? [],
    peersSeen: () => space.sync?.peersSeen() ?? [],
    bytes: () => space.docs.encodedBytes(),
  }
}

function makeCommunity(session: CommunitySession, role: Accessor<Role>) {
  const canteen = createCanteenBoard(session)
  const [staffCommands, staffCanteen, visits] = [session.commands.staff, session.staffCanteen, session.visits]
  const spaces = [session.publicSpace, session.staffSpace].filter((space): space is OpenSpace => space !== null).map(reportOf)
  return {
    name: session.membership.name,
    actor: session.actor,
    role,
    /** Volunteers and staff take help requests; residents ask. */
    helps: () => role() !== 'resident',
    /** This device keeps every doc and passes on what it receives. */
    isHub: session.membership.hub === true,
    members: session.members,
    notices: createNoticeBoard(session),
    shifts: createShiftBoard(session),
    activities: createActivityBoard(session),
    aid: createAidBoard(session),
    canteen,
    /** Rounds sealed to a volunteer's devices: opened here if this device is one, sealed by staff. */
    shares: session.shares,
    /** Only where the device holds the staff space. */
    staff: staffCommands && staffCanteen && visits && {
      ...staffCommands,
      canteen: createStaffCanteenBoard(staffCanteen, canteen, staffCommands.canteen),
      visits: createVisitBoard(visits, staffCommands.visits),
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
    },
    /** Who holds which role, by the community's signed grants. */
    trust: session.trust.state,
    /** Removes a device from the community (and from the staff space, which is made anew). */
    removeDevice: (key: string) => session.trust.remove(key),
    /** Names another device founder-level, so losing one phone loses nothing. */
    makeFounder: (key: string) => session.trust.grant(key, 'founder'),
  }
}

export type Community = ReturnType<typeof makeCommunity>
export type StaffBoard = NonNullable<Community['staff']>

const AppContext = createContext<AppState>()
const CommunityContext = createContext<Community>()
const StaffContext = createContext<StaffBoard>()

const missing = (what: string): never => {
  throw new Error(`${what} used outside its provider`)
}

export const useApp = (): AppState => useContext(AppContext) ?? missing('useApp')
export const useCommunity = (): Community => useContext(CommunityContext) ?? missing('useCommunity')
/** The staff board; only inside <StaffOnly>, so a screen without the staff space never reaches it. */
export const useStaff = (): StaffBoard => useContext(StaffContext) ?? missing('useStaff')

export function AppProvider(props: { app: AppState; children: JSX.Element }) {
  return <AppContext.Provider value={props.app}>{props.children}</AppContext.Provider>
}

/** Builds the open community's boards once, for everything inside. */
export function CommunityProvider(props: { session: CommunitySession; children: JSX.Element }) {
  const app = useApp()
  const community = makeCommunity(props.session, () => app.active()?.role ?? props.session.membership.role)
  return <CommunityContext.Provider value={community}>{props.children}</CommunityContext.Provider>
}

/** Shows its children only on a device that holds the staff space, with the staff board for useStaff(). */
export function StaffOnly(props: { children: JSX.Element; fallback?: JSX.Element }) {
  const community = useCommunity()
  return (
    <Show when={community.staff} fallback={props.fallback}>
      {(staff) => <StaffContext.Provider value={staff()}>{props.children}</StaffContext.Provider>}
    </Show>
  )
}
