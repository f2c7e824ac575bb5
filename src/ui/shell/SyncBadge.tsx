import { useToday } from '../common/community'
import { t } from '../common/i18n'
import { now, timeAgo } from '../common/time'

// The sync state at a glance, always in view and one line long: a dot and a word or
// two. Its accessible name tells the whole state; tapping it opens Me, where each
// space's story is told in full.

export function SyncBadge() {
  const { sync } = useToday()
  const peers = () => sync.spaces[0]!.status().peers
  const unshared = () => sync.spaces.some((s) => s.status().unshared)
  const lastExchange = () => {
    const latest = Math.max(...sync.spaces.map((s) => s.status().lastReceivedAt ?? 0))
    return latest > 0 ? latest : null
  }
  const words = () => (peers() > 0 ? t('sync.short.peers', { count: peers() }) : unshared() ? t('sync.short.unshared') : t('sync.short.alone'))
  const story = () =>
    t('sync.markLabel', {
      state: words(),
      detail: unshared() ? t('sync.unshared') : lastExchange() ? t('sync.lastExchange', { when: timeAgo(lastExchange()!, now()) }) : t('sync.never'),
    })
  const dot = () => (peers() > 0 ? 'bg-green-500' : unshared() ? 'bg-amber-400' : 'bg-stone-400')
  return (
    <a
      href="#/me"
      class="flex min-h-[44px] shrink-0 items-center gap-1.5 whitespace-nowrap rounded-full px-2 text-[0.8em] font-semibold"
      data-testid="sync-badge"
      data-peers={peers()}
      data-unshared={unshared() ? 'yes' : 'no'}
      aria-label={story()}
      title={story()}
    >
      <span class={`inline-block h-3 w-3 rounded-full ${dot()}`} aria-hidden="true" />
      <span aria-hidden="true">{words()}</span>
    </a>
  )
}
