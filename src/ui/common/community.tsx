import { createContext, Show, useContext, type JSX } from 'solid-js'
import type { AppState } from '../app/app-state'
import type { Community, SpaceReport, StaffBoard } from '../app/live-community'
import type { TodayView } from '../today/view'

// What every screen reads and calls, from one place: the open community's boards (each
// feature's live views with its bound commands), the person acting, and the sync
// report. Screens take it with useCommunity(); staff screens, inside <StaffOnly>, take
// the staff board with useStaff(). Only live-community.tsx sees the session; this module
// holds no code of it, so Today can be drawn from its glance before the session loads.
// What Today and the shell read they take with useToday(): a TodayView (today/view.ts),
// which the live community and the glance both give.

export type { Community, SpaceReport, StaffBoard, TodayView }

const AppContext = createContext<AppState>()
const CommunityContext = createContext<Community>()
const TodayContext = createContext<TodayView>()
const StaffContext = createContext<StaffBoard>()

const missing = (what: string): never => {
  throw new Error(`${what} used outside its provider`)
}

export const useApp = (): AppState => useContext(AppContext) ?? missing('useApp')
export const useCommunity = (): Community => useContext(CommunityContext) ?? missing('useCommunity')
/** What Today and the shell read: the live community's, or the glance's while it loads. */
export const useToday = (): TodayView => useContext(TodayContext) ?? missing('useToday')
/** The staff board; only inside <StaffOnly>, so a screen without the staff space never reaches it. */
export const useStaff = (): StaffBoard => useContext(StaffContext) ?? missing('useStaff')

export function AppProvider(props: { app: AppState; children: JSX.Element }) {
  return <AppContext.Provider value={props.app}>{props.children}</AppContext.Provider>
}

/** The open community's boards (live-community.tsx), for everything inside. */
export function CommunityProvider(props: { community: Community; children: JSX.Element }) {
  return (
    <CommunityContext.Provider value={props.community}>
      <TodayContext.Provider value={props.community}>{props.children}</TodayContext.Provider>
    </CommunityContext.Provider>
  )
}

/** Today's glance (today/glance.tsx) while the live community loads: only what Today and the shell read. */
export function GlanceProvider(props: { today: TodayView; children: JSX.Element }) {
  return <TodayContext.Provider value={props.today}>{props.children}</TodayContext.Provider>
}

/**
 * Shows its children only on a device that holds the staff space, with the staff board
 * for useStaff(). On the glance there is no staff board yet: `glance` is drawn in their
 * place on a staff device (the same button, inert), so nothing moves when the live app comes.
 */
export function StaffOnly(props: { children: JSX.Element; fallback?: JSX.Element; glance?: JSX.Element }) {
  const today = useToday()
  const live = useContext(CommunityContext)
  return (
    <Show when={live?.staff} fallback={today.glance && today.hasStaff ? props.glance : props.fallback}>
      {(staff) => <StaffContext.Provider value={staff()}>{props.children}</StaffContext.Provider>}
    </Show>
  )
}
