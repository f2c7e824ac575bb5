import { For, Show } from 'solid-js'
import { nowTime, today, type Day } from '../../domain/calendar'
import { isPastCutoff, MEALS, menuKey, type Meal } from '../../domain/canteen'
import { Card, SavingMark } from '../common/components'
import { t } from '../common/i18n'
import { useToday } from '../common/community'

/** One meal of one day, as residents see it. */
export function MealLine(props: { day: Day; meal: Meal }) {
  const { canteen } = useToday()
  const menu = () => canteen.menuOf(props.day, props.meal)
  const left = () => canteen.seatsOf(props.day, props.meal).seatsLeft
  return (
    <Show when={menu()}>
      {(m) => (
        <div class="py-2" data-testid="meal-line" data-meal={props.meal} data-day={props.day}>
          <p class="font-bold">
            {t(`meal.${props.meal}`)} · {m().dishes.join('、')}
            <SavingMark collection="menus" id={menuKey(props.day, props.meal)} />
          </p>
          <p class="text-[0.9em] text-stone-700">
            {/* (Today's glance, made on an earlier day, has no count of this day's seats.) */}
            <Show when={left() !== undefined}>
              {(left() ?? 0) > 0 ? t('canteen.seatsLeft', { count: left() ?? 0 }) : t('canteen.full')}
              {' · '}
            </Show>
            {isPastCutoff(m(), today(), nowTime()) ? t('canteen.closed') : t('canteen.cutoff', { time: m().cutoff })}
            {m().delivery ? ` · ${t('canteen.deliveryOffered')}` : ''}
          </p>
        </div>
      )}
    </Show>
  )
}

/** On Today: what the canteen serves today, offline like everything else. */
export function TodayMenu() {
  const { canteen } = useToday()
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
