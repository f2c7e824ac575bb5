import { ErrorBoundary } from 'solid-js'
import { render } from 'solid-js/web'
import type { Actor } from '../../domain/actor'
import { plusDays, today, type Day } from '../../domain/calendar'
import { MEALS } from '../../domain/canteen'
import type { Language } from '../../sync/device'
import type { SpaceSyncStatus } from '../../sync/activity'
import { GlanceProvider } from '../common/community'
import type { TodayView } from './view'
import { setLanguage, t } from '../common/i18n'
import { Shell } from '../shell/Shell'

// Today's glance. A cold start needs Yjs, the store and the session, and must read the
// stored docs, before Today can show anything: on a cheap phone, over a second. So
// what Today showed is kept (localStorage, for the coming week: menus by day, this
// person's coming shifts and activities, the latest notices), and a start draws Today
// from it at once, with the same components, through the same context. The live screen
// replaces it as soon as the community has loaded (a moment later). Nothing on the
// glance acts, since there is nothing yet to act on, but no tap is lost: a tab tapped
// opens once the live app has taken over, and any other tap says the app is starting.

const KEY = 'neighbours.glance'
const DAYS = 7
const NOTICES = 10

type Menu = NonNullable<ReturnType<TodayView['canteen']['menuOf']>>
type Notice = NonNullable<ReturnType<TodayView['notices']['noticeOf']>>
type Place = Pick<ReturnType<TodayView['shifts']['mine']>[number], 'status' | 'position'>

export interface Glance {
  v: 1
  community: string
  name: string
  language: Language
  largeText: boolean
  /** The first day it covers; it covers DAYS days. */
  from: Day
  actor: Actor
  /** Whether this device holds the staff space (its staff tools are drawn, inert like the rest). */
  staff: boolean
  /** The newest notices, and how many there are in all. */
  notices: { shown: [string, Notice][]; count: number }
  /** By `${day} ${meal}`; seats left only for the day it was made (other days' reservations are not read for it). */
  meals: Record<string, { menu: Menu; seatsLeft?: number }>
  shifts: (Place & { date: Day; start: string; end: string; title: string; cancelled: boolean })[]
  activities: (Place & { date: Day; start: string; title: string; cancelled: boolean })[]
  sync: { unshared: boolean; lastReceivedAt: number | null }
}

/** What Today showed, for the coming week, read from the live community. */
export function glanceOf(community: TodayView, device: { community: string; language: Language; largeText: boolean }): Glance {
  const actor = community.actor()
  const from = today()
  const meals: Glance['meals'] = {}
  for (let i = 0; i < DAYS; i++) {
    const day = plusDays(from, i)
    for (const meal of MEALS) {
      const menu = community.canteen.menuOf(day, meal)
      if (menu) meals[`${day} ${meal}`] = i === 0 ? { menu, seatsLeft: community.canteen.seatsOf(day, meal).seatsLeft } : { menu }
    }
  }
  const ids = community.notices.ids()
  const shown = ids.slice(0, NOTICES).flatMap((id): [string, Notice][] => {
    const notice = community.notices.noticeOf(id)
    return notice ? [[id, notice]] : []
  })
  const statuses = community.sync.spaces.map((space) => space.status())
  return {
    v: 1,
    ...device,
    name: community.name,
    from,
    actor,
    staff: community.hasStaff,
    notices: { shown, count: ids.length },
    meals,
    shifts: community.shifts.mine(actor.id).map(({ view: { shift, cancelled }, status, position }) => ({ date: shift.date, start: shift.start, end: shift.end, title: shift.title, cancelled, status, position })),
    activities: community.activities.mine(actor.id, from).map(({ view: { activity, cancelled }, status, position }) => ({ date: activity.date, start: activity.start, title: activity.title, cancelled, status, position })),
    sync: { unshared: statuses.some((s) => s.unshared), lastReceivedAt: Math.max(0, ...statuses.map((s) => s.lastReceivedAt ?? 0)) || null },
  }
}

/**
 * Keeps the glance up to date: once now, then whenever the app is put away (a phone's
 * browser is killed in the background, after it was hidden). `keep` writes it again
 * at once; `stop` ends the keeping.
 */
export function keepGlance(make: () => Glance): { keep: () => void; stop: () => void } {
  const keep = () => {
    try {
      localStorage.setItem(KEY, JSON.stringify(make()))
    } catch {
      // Not kept (a full storage): no glance rather than an old one.
      forgetGlance()
    }
  }
  const onHide = () => document.visibilityState === 'hidden' && keep()
  keep()
  document.addEventListener('visibilitychange', onHide)
  addEventListener('pagehide', keep)
  return {
    keep,
    stop: () => {
      document.removeEventListener('visibilitychange', onHide)
      removeEventListener('pagehide', keep)
    },
  }
}

/** Forgets the glance (a community left or switched: it must not show another's Today). */
export function forgetGlance(): void {
  try {
    localStorage.removeItem(KEY)
  } catch {
    // Storage that cannot be reached holds no glance to show either.
  }
}

/** The kept glance, if it covers today and the page opens on Today. */
function readGlance(day: Day): Glance | null {
  if (!/^(#\/?(today)?)?$/.test(location.hash)) return null
  try {
    const glance = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Glance | null
    if (glance?.v !== 1 || typeof glance.from !== 'string' || day < glance.from || day >= plusDays(glance.from, DAYS)) return null
    return glance
  } catch {
    return null
  }
}

const idle: SpaceSyncStatus = { peers: 0, signalingConnected: 0, signalingServers: 0, lastReceivedAt: null, lastSentAt: null, lastLocalChangeAt: null, confirmedAt: null, unshared: false }

/** What Today and the shell read, answered from the glance. */
function glanceView(glance: Glance): TodayView {
  const meal = (day: Day, name: string) => glance.meals[`${day} ${name}`]
  const status: SpaceSyncStatus = { ...idle, ...glance.sync }
  const notices = new Map(glance.notices.shown)
  return {
    glance: true,
    name: glance.name,
    actor: () => glance.actor,
    hasStaff: glance.staff,
    notices: {
      // As many ids as there are notices (for "N more"); only the newest, shown first, are real.
      ids: () => [...notices.keys(), ...Array<string>(Math.max(0, glance.notices.count - notices.size)).fill('')],
      noticeOf: (id: string) => notices.get(id),
    },
    canteen: { menuOf: (day: Day, name: string) => meal(day, name)?.menu, seatsOf: (day: Day, name: string) => ({ seatsLeft: meal(day, name)?.seatsLeft }) },
    shifts: { mine: () => glance.shifts.map(({ cancelled, status, position, ...shift }) => ({ view: { shift, cancelled }, status, position })) },
    activities: {
      mine: (_: string, from: Day) => glance.activities.filter((a) => a.date >= from).map(({ cancelled, status, position, ...activity }) => ({ view: { activity, cancelled }, status, position })),
    },
    sync: { spaces: [{ status: () => status }], saving: () => false, savingRecord: () => false },
  }
}

let shown: { element: HTMLElement; root: HTMLElement; dispose?: () => void; stop: () => void; tab: string | null } | null = null

/**
 * Holds every tap and key on the glance: none reaches a component. A tab tapped is
 * remembered (and shown chosen) for the live app to open; anything else is shown
 * waiting, with a line that says the app is starting.
 */
function holdTaps(element: HTMLElement): () => void {
  const said = document.createElement('p')
  said.setAttribute('role', 'status')
  said.dataset.testid = 'glance-waiting'
  said.className = 'fixed inset-x-3 top-14 z-40 mx-auto max-w-md rounded-xl bg-stone-900 px-4 py-3 text-center font-semibold text-white shadow-lg'
  const wait = (target: Element | null) => {
    target?.setAttribute('aria-busy', 'true')
    target?.classList.add('animate-pulse')
    said.textContent = t('common.starting')
    if (!said.isConnected) element.append(said)
  }
  const onTap = (event: Event) => {
    event.preventDefault()
    event.stopPropagation()
    if (event.type !== 'click') return
    const target = event.target instanceof Element ? event.target : null
    const tab = target?.closest<HTMLAnchorElement>('a[href^="#/"]')
    if (tab && shown) shown.tab = tab.getAttribute('href')
    wait(tab ?? target?.closest('button, a, input, textarea, select, label') ?? null)
  }
  const onFocus = (event: FocusEvent) => (event.target as HTMLElement | null)?.blur?.()
  const types = ['click', 'submit', 'keydown', 'beforeinput', 'auxclick'] as const
  types.forEach((type) => element.addEventListener(type, onTap, true))
  element.addEventListener('focusin', onFocus, true)
  return () => {
    types.forEach((type) => element.removeEventListener(type, onTap, true))
    element.removeEventListener('focusin', onFocus, true)
  }
}

/**
 * Draws Today from its glance, if one fits, while `root` (where the live app draws) stays
 * hidden. Returns the glance drawn, so the live start can check it is the right one.
 */
export function showGlance(root: HTMLElement): Glance | null {
  const glance = readGlance(today())
  if (!glance) return null
  const element = document.createElement('div')
  element.id = 'glance'
  element.setAttribute('aria-busy', 'true')
  root.before(element)
  root.hidden = true
  shown = { element, root, stop: holdTaps(element), tab: null }
  document.documentElement.classList.toggle('large-text', glance.largeText)
  document.documentElement.lang = glance.language
  void setLanguage(glance.language).then(() => {
    if (shown?.element !== element) return
    shown.dispose = render(
      () => (
        <ErrorBoundary
          fallback={(error) => {
            console.error('Today could not be drawn from its glance:', error)
            queueMicrotask(dropGlance)
            return null
          }}
        >
          <GlanceProvider today={glanceView(glance)}>
            <Shell />
          </GlanceProvider>
        </ErrorBoundary>
      ),
      element,
    )
  }, dropGlance)
  // Should the live app never load, the page is not left holding every tap.
  setTimeout(dropGlance, 15_000)
  return glance
}

/** Hands over to the live app: the glance goes, the live screen shows, and a tab tapped meanwhile opens. */
export function dropGlance(): void {
  if (!shown) return
  const { tab } = shown
  shown.stop()
  shown.dispose?.()
  shown.element.remove()
  shown.root.hidden = false
  shown = null
  if (tab && location.hash !== tab) location.hash = tab
}
