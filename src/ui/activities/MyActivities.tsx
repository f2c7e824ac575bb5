import { createMemo, For, Show } from 'solid-js'
import { useToday } from '../common/community'
import { today, weekdayOf } from '../../domain/calendar'
import { isIn } from '../../domain/places'
import { Card, Kept } from '../common/components'
import { t, weekdayName } from '../common/i18n'

/** On Today: the activities this person is going to or waiting for; promotions called out. */
export function MyActivities() {
  const { activities, actor } = useToday()
  const entries = createMemo(() => activities.mine(actor().id, today()).slice(0, 8))
  return (
    <Show when={entries().length > 0}>
      <Card title={t('today.myActivities')}>
        <ul class="divide-y divide-stone-200" data-testid="my-activities">
          <For each={entries()}>
            {(e) => (
              <li class="py-3" data-testid="my-activity" data-status={e.view.cancelled ? 'cancelled' : e.status}>
                <p class="font-bold">
                  {weekdayName(weekdayOf(e.view.activity.date))} {e.view.activity.date.slice(5)} {e.view.activity.start} · {e.view.activity.title}
                </p>
                <Show when={e.view.cancelled}>
                  <p role="alert" class="font-bold text-red-800">{t('shifts.cancelled')}</p>
                </Show>
                <Show when={!e.view.cancelled && e.status === 'promoted'}>
                  <p role="status" class="font-semibold text-green-900" data-testid="promoted-today">{t('acts.promoted')}</p>
                </Show>
                <Show when={!e.view.cancelled && isIn(e.status) && e.status !== 'promoted'}>
                  <p class="text-green-800"><Kept>{t('acts.youGo')}</Kept></p>
                </Show>
                <Show when={!e.view.cancelled && (e.status === 'waitlisted' || e.status === 'bumped')}>
                  <p class="text-amber-800">{t('acts.youWait', { position: e.position })}</p>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Card>
    </Show>
  )
}
