import { For, Show } from 'solid-js'
import { today } from '../../domain/calendar'
import { MEALS } from '../../domain/canteen'
import { Card } from '../common/components'
import { t } from '../common/i18n'
import { useCommunity } from '../common/community'
import { MealLine } from './Menus'

/** On Today: what the canteen serves today, offline like everything else. */
export function TodayMenu() {
  const { canteen } = useCommunity()
  return (
    <Show when={MEALS.some((m) => canteen.menuOf(today(), m))}>
      <Card title={t('canteen.todayMenu')}>
        <div class="divide-y divide-stone-200" data-testid="today-menu">
          <For each={MEALS}>{(meal) => <MealLine day={today()} meal={meal} />}</For>
        </div>
      </Card>
    </Show>
  )
}
