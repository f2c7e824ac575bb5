import { createSignal, For, lazy, Match, onCleanup, Switch, type Component } from 'solid-js'
import { Dynamic } from 'solid-js/web'
import type { LucideProps } from 'lucide-solid'
import Sun from 'lucide-solid/icons/sun'
import Soup from 'lucide-solid/icons/soup'
import HeartHandshake from 'lucide-solid/icons/heart-handshake'
import PartyPopper from 'lucide-solid/icons/party-popper'
import HandHelping from 'lucide-solid/icons/hand-helping'
import CircleUser from 'lucide-solid/icons/circle-user'
import { StaffOnly, useToday } from '../common/community'
import { t } from '../common/i18n'
import { SyncBadge } from './SyncBadge'
import { Today } from '../today/Today'

// Screens other than Today load on demand, keeping the first visit small.
const Me = lazy(() => import('../me/Me'))
const Shifts = lazy(() => import('../shifts/Shifts'))
const Activities = lazy(() => import('../activities/Activities'))
const Poster = lazy(() => import('../activities/Poster'))
const Aid = lazy(() => import('../aid/Aid'))
const Slip = lazy(() => import('../aid/Slip'))
const ConcernsPrint = lazy(() => import('../concerns/Print'))
const ErrandPrint = lazy(() => import('../aid/ErrandPrint'))
const MonthPrint = lazy(() => import('../me/MonthPage'))
const Canteen = lazy(() => import('../canteen/Canteen'))
const RouteSheet = lazy(() => import('../canteen/Rounds').then((m) => ({ default: m.RouteSheet })))

export const TABS = ['today', 'canteen', 'shifts', 'activities', 'aid', 'me'] as const
export type Tab = (typeof TABS)[number]

// Drawn as SVG: emoji show as empty boxes on phones without an emoji font.
const icons: Record<Tab, Component<LucideProps>> = { today: Sun, canteen: Soup, shifts: HeartHandshake, activities: PartyPopper, aid: HandHelping, me: CircleUser }

/** Printable pages of their own (no header or navigation): the poster, the errand slip, the route sheet, concerns on paper, the community's month, the 代办 point's guide and ledger. */
const PAGES = ['poster', 'slip', 'route', 'concerns-print', 'month-report', 'errands-print'] as const
type Route = Tab | (typeof PAGES)[number]

function routeFromHash(): Route {
  const name = location.hash.replace(/^#\/?/, '').split('?')[0]!
  return [...TABS, ...PAGES].includes(name as Route) ? (name as Route) : 'today'
}

/** The community's name on one line, cut with an ellipsis when long; a tap shows it whole. */
function CommunityName(props: { name: string }) {
  const [whole, setWhole] = createSignal(false)
  return (
    <h1 class="min-w-0 text-lg leading-tight font-bold">
      <button type="button" class={`min-h-[44px] max-w-full text-left ${whole() ? 'break-words' : 'truncate'}`} title={props.name} onClick={() => setWhole(!whole())}>
        <span data-testid="community-name">{props.name}</span>
      </button>
    </h1>
  )
}

export const Shell: Component = () => {
  const community = useToday()
  const [tab, setTab] = createSignal<Route>(routeFromHash())
  const onHash = () => setTab(routeFromHash())
  window.addEventListener('hashchange', onHash)
  onCleanup(() => window.removeEventListener('hashchange', onHash))

  return (
    <Switch>
    <Match when={tab() === 'poster'}>
      <Poster />
    </Match>
    <Match when={tab() === 'slip'}>
      <Slip />
    </Match>
    <Match when={tab() === 'errands-print'}>
      <ErrandPrint />
    </Match>
    <Match when={tab() === 'month-report'}>
      <StaffOnly>
        <MonthPrint />
      </StaffOnly>
    </Match>
    <Match when={tab() === 'concerns-print'}>
      <ConcernsPrint />
    </Match>
    <Match when={tab() === 'route'}>
      <StaffOnly>
        <RouteSheet />
      </StaffOnly>
    </Match>
    <Match when={true}>
    <div class="flex min-h-dvh flex-col bg-amber-50">
      <header class="sticky top-0 z-30 bg-orange-900 px-3 py-0.5 text-white">
        <div class="mx-auto flex max-w-2xl items-center justify-between gap-2">
          <CommunityName name={community.name} />
          <SyncBadge />
        </div>
      </header>
      <main class="mx-auto w-full max-w-2xl grow px-3 pb-28 pt-4">
        <Switch>
          <Match when={tab() === 'today'}>
            <Today />
          </Match>
          <Match when={tab() === 'shifts'}>
            <Shifts />
          </Match>
          <Match when={tab() === 'me'}>
            <Me />
          </Match>
          <Match when={tab() === 'activities'}>
            <Activities />
          </Match>
          <Match when={tab() === 'aid'}>
            <Aid />
          </Match>
          <Match when={tab() === 'canteen'}>
            <Canteen />
          </Match>
        </Switch>
      </main>
      <nav class="fixed inset-x-0 bottom-0 z-30 border-t-2 border-stone-300 bg-white pb-[env(safe-area-inset-bottom)]" aria-label="main">
        <ul class="mx-auto grid max-w-2xl grid-cols-6">
          <For each={TABS}>
            {(name) => (
              <li>
                <a
                  href={`#/${name}`}
                  data-testid={`nav-${name}`}
                  aria-current={tab() === name ? 'page' : undefined}
                  class={`flex min-h-16 flex-col items-center justify-center gap-0.5 text-[0.75rem] font-semibold leading-tight tracking-tight ${tab() === name ? 'bg-orange-100 text-orange-900' : 'text-stone-800'}`}
                >
                  <Dynamic component={icons[name]} size="1.6em" aria-hidden="true" />
                  <span data-testid="nav-label">{t(`nav.${name}`)}</span>
                </a>
              </li>
            )}
          </For>
        </ul>
      </nav>
    </div>
    </Match>
    </Switch>
  )
}
