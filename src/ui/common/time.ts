import { createSignal } from 'solid-js'
import { t } from './i18n'

// The clock screens read for "5 min ago"; half a minute is fine enough.
const [now, setNow] = createSignal(Date.now())
setInterval(() => setNow(Date.now()), 30_000)
export { now }

/** "just now", "5 min ago" … for sync times, in the person's language. */
export function timeAgo(ms: number, now = Date.now()): string {
  const minutes = Math.floor((now - ms) / 60_000)
  if (minutes < 1) return t('sync.justNow')
  if (minutes < 60) return t('sync.minutesAgo', { n: minutes })
  const hours = Math.floor(minutes / 60)
  if (hours < 24) return t('sync.hoursAgo', { n: hours })
  return t('sync.daysAgo', { n: Math.floor(hours / 24) })
}

export function byteSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`
}

/** A rate as a percentage with one decimal, or a dash when there is nothing to divide by. */
export const percent = (rate: number | null): string => (rate === null ? '—' : `${Math.round(rate * 1000) / 10}%`)
