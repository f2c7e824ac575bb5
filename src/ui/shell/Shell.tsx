import { createSignal, For, lazy, Match, onCleanup, Switch, type Component } from 'solid-js'
import { StaffOnly, useCommunity } from '../common/community'
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
const Canteen = lazy(() => import('../canteen/Canteen'))
const RouteSheet = lazy(() => import('../canteen/Rounds').then((m) => ({ default: m.RouteSheet })))

export const TABS = ['today', 'canteen', 'shifts', 'activities', 'aid', 'me'] as const
export type Tab = (typeof TABS)[number]

const icons: Record<Tab, string> = { today: '☀', canteen: '🍚', shifts: '🤝', activities: '🎭', aid: '💬', me: '👤' }

/** Printable pages of their own (no header or navigation): the poster, the errand slip, the route sheet. */
const PAGES = ['poster', 'slip', 'route'] as const
type Route = Tab | (typeof PAGES)[number]

function routeFromHash(): Route {
  const name = location.hash.replace(/^#\/?/, '').split('?')[0]!
  return [...TABS, ...PAGES].includes(name as Route) ? (name as Route) : 'today'
}

export const Shell: Component = () => {
  const community = useCommunity()
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
    <Match when={tab() === 'route'}>
      <StaffOnly>
        <RouteSheet />
      </StaffOnly>
    </Match>
    <Match when={true}>
    <div class="flex min-h-dvh flex-col bg-amber-50">
      <header class="sticky top-0 z-30 bg-orange-900 px-4 py-2 text-white">
        <div class="mx-auto flex max-w-2xl items-center justify-between gap-3">
          <h1 class="text-xl font-bold" data-testid="community-name">
            {community.name}
          </h1>
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
                  class={`flex min-h-16 flex-col items-center justify-center text-[0.8em] font-semibold ${tab() === name ? 'bg-orange-100 text-orange-900' : 'text-stone-800'}`}
                >
                  <span aria-hidden="true" class="text-[1.3em] leading-none">
                    {icons[name]}
                  </span>
                  {t(`nav.${name}`)}
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
