import { createEffect, createMemo, For, onCleanup, Show } from 'solid-js'
import { Button, Card } from '../common/components'
import { t } from '../common/i18n'
import { now, timeAgo } from '../common/time'
import { useApp, useCommunity } from '../common/community'

/**
 * Me → community hub (staff only): an old phone or tablet left on in the office that
 * keeps every month and passes on what it receives, so phones that are never online
 * together still exchange everything through it. It is a member like any other.
 */
export function Hub() {
  const app = useApp()
  const community = useCommunity()
  const isHub = () => community.isHub
  useWakeLock(isHub)
  // Status changes whenever something is exchanged; read what the hub holds then.
  const held = createMemo(() =>
    community.sync.spaces.map((space) => {
      space.status()
      return { kind: space.kind, docs: space.held(), peers: space.peersSeen() }
    }),
  )
  const peers = () => held().find((h) => h.kind === 'public')?.peers ?? []
  return (
    <Show when={community.staff}>
      <Card title={t('hub.title')}>
        <Show when={isHub()} fallback={
          <>
            <p class="mb-3">{t('hub.hint')}</p>
            <Button data-testid="hub-on" onClick={() => app.setHub(true)}>{t('hub.turnOn')}</Button>
          </>
        }>
          <p class="mb-2 font-semibold text-green-800" data-testid="hub-is-on">{t('hub.isOn')}</p>
          <p class="mb-3">{t('hub.keepOpen')}</p>
          <For each={held()}>{(space) => (
            <p data-testid={`hub-holds-${space.kind}`} data-docs={space.docs.length}>
              {t(space.kind === 'public' ? 'me.space.public' : 'me.space.staff')}: {t('hub.holds', { count: space.docs.length })}
            </p>
          )}</For>
          <h3 class="mt-3 font-bold">{t('hub.peers')}</h3>
          <Show when={peers().length > 0} fallback={<p>{t('hub.noPeers')}</p>}>
            <ul class="space-y-1" data-testid="hub-peers">
              <For each={peers()}>{(peer) => (
                <li class="flex justify-between gap-2">
                  <span class="min-w-0 break-words">{peer.label || t('hub.unnamed')}</span>
                  <span class="shrink-0 text-stone-600">{timeAgo(peer.syncedAt, now())}</span>
                </li>
              )}</For>
            </ul>
          </Show>
          <Button class="mt-3" variant="secondary" data-testid="hub-off" onClick={() => app.setHub(false)}>{t('hub.turnOff')}</Button>
        </Show>
      </Card>
    </Show>
  )
}

/** Keeps the screen on while `on` and the page is shown (a hub that sleeps syncs nothing). */
function useWakeLock(on: () => boolean) {
  createEffect(() => {
    if (!on() || !('wakeLock' in navigator)) return
    let lock: WakeLockSentinel | null = null
    const acquire = () => {
      if (document.visibilityState === 'visible' && (!lock || lock.released)) {
        navigator.wakeLock.request('screen').then((l) => (lock = l), () => undefined)
      }
    }
    acquire()
    document.addEventListener('visibilitychange', acquire)
    onCleanup(() => {
      document.removeEventListener('visibilitychange', acquire)
      void lock?.release()
    })
  })
}
