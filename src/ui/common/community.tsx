import { createContext, Show, useContext, type JSX } from 'solid-js'
import type { AppState } from './app-state'
import type { Community, SpaceReport, StaffBoard } from './live-community'

// What every screen reads and calls, from one place: the open community's boards (each
// feature's live views with its bound commands), the person acting, and the sync
// report. Screens take it with useCommunity(); staff screens, inside <StaffOnly>, take
// the staff board with useStaff(). Only live-community.tsx sees the session; this module
// holds no code of it, so Today can be drawn from its glance before the session loads.

export type { Community, SpaceReport, StaffBoard }

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

/** The open community's boards (live-community.tsx), or Today's glance while they load (today/glance.ts), for everything inside. */
export function CommunityProvider(props: { community: Community; children: JSX.Element }) {
  return <CommunityContext.Provider value={props.community}>{props.children}</CommunityContext.Provider>
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
