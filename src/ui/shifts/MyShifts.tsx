import { createMemo, For, Show } from 'solid-js'
import { plusDays, today, weekdayOf } from '../../domain/calendar'
import { isIn } from '../../domain/places'
import { Card, Kept } from '../common/components'
import { t, weekdayName } from '../common/i18n'
import { useToday } from '../common/community'

/** Today's list of this person's coming shifts, with cancellations and bumps called out. */
export function MyShifts() {
  const { shifts, actor } = useToday()
  // Cancellations stay listed for a week so nobody misses one.
  const entries = createMemo(() => shifts.mine(actor().id).filter((e) => e.view.shift.date >= (e.view.cancelled ? plusDays(today(), -7) : today())))
  return (
    <Card title={t('today.myShifts')}>
      <Show when={entries().length > 0} fallback={<p class="text-stone-700">{t('today.noShifts')}</p>}>
        <ul class="divide-y divide-stone-200" data-testid="my-shifts">
          <For each={entries()}>
            {(entry) => (
              <li class="py-3" data-testid="my-shift" data-status={entry.view.cancelled ? 'cancelled' : entry.status}>
                <Show
                  when={!entry.view.cancelled}
                  fallback={<p role="alert" class="font-bold text-red-800">{t('today.shiftCancelled', { date: entry.view.shift.date, title: entry.view.shift.title })}</p>}
                >
                  <p class="font-bold">
                    {weekdayName(weekdayOf(entry.view.shift.date))} {entry.view.shift.date.slice(5)} {entry.view.shift.start}–{entry.view.shift.end} · {entry.view.shift.title}
                  </p>
                  <Show when={isIn(entry.status)}>
                    <p class="text-green-800"><Kept>{t('shifts.youAreIn')}</Kept></p>
                  </Show>
                  <Show when={entry.status === 'waitlisted'}>
                    <p class="text-amber-800">{t('shifts.youWait', { position: entry.position })}</p>
                  </Show>
                  <Show when={entry.status === 'bumped'}>
                    <p role="alert" class="font-semibold text-red-900" data-testid="bumped-today">{t('shifts.bumped', { position: entry.position })}</p>
                  </Show>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </Card>
  )
}
