import { createSignal, lazy, onCleanup, onMount, Show } from 'solid-js'
import { useToday } from '../common/community'
import { t } from '../common/i18n'
import { Notices } from '../notices/Notices'
import { TodayMenu } from '../canteen/TodayMenu'
import { MyShifts } from '../shifts/MyShifts'
import { MyActivities } from '../activities/MyActivities'
import { StaffOnly } from '../common/community'

// Visits concern staff and the volunteers who visit: they load just after the rest of Today.
const visits = () => import('../visits/MyVisits')
const UrgentVisits = lazy(() => visits().then((m) => ({ default: m.UrgentVisits })))
const MyVisits = lazy(() => visits().then((m) => ({ default: m.MyVisits })))
const SealedVisits = lazy(() => visits().then((m) => ({ default: m.SealedVisits })))
// Help requests offered to a volunteer: read only on the phones of those who help, after the rest.
const AidForMe = lazy(() => import('../aid/ForMe'))

/** The first screen: the notices, today's menu, this person's coming shifts, help offered to them, activities and visits; on staff devices, urgent visits first. */
export function Today() {
  const { actor, glance } = useToday()
  // Help offered to this person reads the year of help requests (staff: every open one):
  // not during the start, but once the phone is idle after it.
  const [started, setStarted] = createSignal(false)
  onMount(() => {
    const idle = (run: () => void) => ('requestIdleCallback' in window ? window.requestIdleCallback(run, { timeout: 5_000 }) : setTimeout(run, 0))
    const timer = setTimeout(() => idle(() => setStarted(true)), 1_500)
    onCleanup(() => clearTimeout(timer))
  })
  return (
    <div class="space-y-4">
      <Show when={actor().name}>
        <p class="text-2xl font-bold text-stone-900">{t('today.hello', { name: actor().name })}</p>
      </Show>
      <Show when={!glance}>
        <StaffOnly>
          <UrgentVisits />
        </StaffOnly>
      </Show>
      <Notices />
      <TodayMenu />
      <MyShifts />
      <Show when={!glance && started()}>
        <AidForMe />
      </Show>
      <Show when={!glance}>
        <StaffOnly fallback={<SealedVisits />}>
          <MyVisits />
        </StaffOnly>
      </Show>
      <MyActivities />
    </div>
  )
}
