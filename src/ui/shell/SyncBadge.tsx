import { Show } from 'solid-js'
import type { CommunitySession, OpenSpace } from '../../session'
import { t } from '../common/i18n'
import { now, timeAgo } from '../common/time'

// The sync state in words, always in view: how many devices are connected, when
// data last came from another device, and whether changes are on this phone only.

export function spaces(session: CommunitySession): OpenSpace[] {
  return session.staffSpace ? [session.publicSpace, session.staffSpace] : [session.publicSpace]
}

export function SyncBadge(props: { session: CommunitySession }) {
  const peers = () => props.session.publicSpace.status().peers
  const unshared = () => spaces(props.session).some((s) => s.status().unshared)
  const lastExchange = () => {
    const times = spaces(props.session).map((s) => s.status().lastReceivedAt ?? 0)
    const latest = Math.max(...times)
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
