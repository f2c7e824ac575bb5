import { Show } from 'solid-js'
import { useCommunity } from '../common/community'
import { t } from '../common/i18n'
import { now, timeAgo } from '../common/time'

// The sync state in words, always in view: how many devices are connected, when
// data last came from another device, and whether changes are on this phone only.

export function SyncBadge() {
  const { sync } = useCommunity()
  const peers = () => sync.spaces[0]!.status().peers
  const unshared = () => sync.spaces.some((s) => s.status().unshared)
  const lastExchange = () => {
    const latest = Math.max(...sync.spaces.map((s) => s.status().lastReceivedAt ?? 0))
    return latest > 0 ? latest : null
  }
  return (
    <div class="text-[0.85em] leading-snug" data-testid="sync-badge" data-peers={peers()} data-unshared={unshared() ? 'yes' : 'no'}>
      <div class="flex items-center gap-2">
        <span class={`inline-block h-3 w-3 rounded-full ${peers() > 0 ? 'bg-green-600' : 'bg-stone-400'}`} aria-hidden="true" />
        <span>{peers() > 0 ? t('sync.peers', { count: peers() }) : t('sync.lookingForPeers')}</span>
      </div>
      <Show when={unshared()} fallback={<div>{lastExchange() ? t('sync.lastExchange', { when: timeAgo(lastExchange()!, now()) }) : t('sync.never')}</div>}>
        <div class="font-semibold text-amber-200">{t('sync.unshared')}</div>
      </Show>
    </div>
  )
}
