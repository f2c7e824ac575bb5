import { createSignal, lazy, Match, Show, Switch } from 'solid-js'
import type { DeviceSettings } from '../../sync/device'
import { isStaffInvite, readInvite } from '../../sync/invite'
import { createAppState } from './app-state'
import { AppProvider } from '../common/community'
import { LiveCommunity } from './live-community'
import { t } from '../common/i18n'
import { Shell } from '../shell/Shell'

// Loaded only when needed: onboarding once per device, the update prompt after the first screen.
const Onboarding = lazy(() => import('../onboarding/Onboarding').then((m) => ({ default: m.Onboarding })))
const UpdatePrompt = lazy(() => import('../shell/UpdatePrompt').then((m) => ({ default: m.UpdatePrompt })))

export function App(props: { device: DeviceSettings }) {
  const app = createAppState(props.device)
  // An invite arrives in the URL fragment; take it out of the address bar at once so
  // the secret is not left in history or shared again by accident.
  const [invite, setInvite] = createSignal(readInvite(location.hash))
  if (location.hash.startsWith('#join=')) history.replaceState(null, '', location.pathname + location.search)
  const inviteIsNew = () => {
    const i = invite()
    // (A staff link to a resident of the community is news: it makes the phone staff.)
    return i !== null && !app.device.communities.some((c) => c.id === i.id && (c.staff || !isStaffInvite(i)))
  }

  return (
    <AppProvider app={app}>
      <Switch fallback={<p class="p-6 text-xl">{t('app.name')}…</p>}>
        <Match when={app.device.communities.length === 0 || inviteIsNew()}>
          <Onboarding invite={invite()} onDone={() => setInvite(null)} />
        </Match>
        {/* keyed: a new community gets a new shell, with boards derived from its own session */}
        <Match when={app.session()} keyed>
          {(session) => (
            <LiveCommunity session={session}>
              <Shell />
            </LiveCommunity>
          )}
        </Match>
      </Switch>
      <Show when={app.storageFailed()}>
        <p role="alert" data-testid="storage-failed" class="fixed inset-x-0 top-0 z-50 bg-red-800 p-3 text-center font-semibold text-white">
          {t('storage.failed')}
        </p>
      </Show>
      <UpdatePrompt />
    </AppProvider>
  )
}
