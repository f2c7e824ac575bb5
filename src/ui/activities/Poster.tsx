import { createMemo, For, Show } from 'solid-js'
import { isDay, plusDays, today, weekDays, weekStart } from '../../domain/calendar'
import { groupByDay } from '../../domain/activities'
import { hashParam, PrintPage } from '../common/PrintPage'
import { t } from '../common/i18n'
import { dayLabel } from '../common/calendar-parts'
import { useCommunity } from '../common/community'

/** The weekly preview (每周活动预告) as one A4 page for the notice board: large type, by day. */
export default function Poster() {
  const { name, activities } = useCommunity()
  const week = () => {
    const asked = hashParam('week')
    return isDay(asked) ? weekStart(asked) : weekStart(today())
  }
  const days = createMemo(() =>
    groupByDay(
      activities.activities().filter((a) => !activities.isCancelled(a.id)),
      weekDays(week()),
    ).filter((d) => d.activities.length > 0),
  )
  return (
    <PrintPage back="#/activities" testid="poster" class="poster">
      <h1 class="text-center text-[2em] font-bold">{t('acts.posterTitle', { community: name })}</h1>
      <p class="mb-4 text-center text-[1.2em]">{t('acts.posterWeek', { from: week(), to: plusDays(week(), 6) })}</p>
      <Show when={days().length > 0} fallback={<p class="text-center text-[1.3em]">{t('acts.empty')}</p>}>
        <For each={days()}>
          {(d) => (
            <section class="poster-day mb-3 break-inside-avoid border-t-2 border-stone-800 pt-2">
              <h2 class="text-[1.4em] font-bold">{dayLabel(d.day)}</h2>
              <For each={d.activities}>
                {(a) => (
                  <p class="text-[1.2em] leading-snug" data-testid="poster-item">
                    <strong>{a.start}–{a.end}</strong> {a.title}
                    {a.place ? ` · ${a.place}` : ''}
                  </p>
                )}
              </For>
            </section>
          )}
        </For>
      </Show>
      <p class="mt-4 text-center">{t('acts.posterFooter')}</p>
    </PrintPage>
  )
}
