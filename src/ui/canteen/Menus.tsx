import { createSignal, For, Show } from 'solid-js'
import { today, weekDays, weekStart, type Day } from '../../domain/calendar'
import { DEFAULT_CUTOFF, MEALS, type Meal } from '../../domain/canteen'
import type { Problems } from '../../domain/validation'
import { Button, Card, Chips, Field, Kept } from '../common/components'
import { problemText, t } from '../common/i18n'
import { dayLabel } from '../common/calendar-parts'
import { StaffOnly, useCommunity, useStaff } from '../common/community'
import { MealLine } from './TodayMenu'

export function MenuWeek() {
  const { canteen } = useCommunity()
  const days = () => weekDays(today())
  const [editing, setEditing] = createSignal(false)
  return (
    <div class="space-y-4">
      <Card title={t('canteen.menu')}>
        <p class="mb-2">{t('canteen.prices', { full: canteen.prices().full, subsidised: canteen.prices().subsidised })}</p>
        <StaffOnly>
          <Show when={editing()} fallback={<Button class="mb-2" data-testid="edit-menu" onClick={() => setEditing(true)}>{t('canteen.editMenu')}</Button>}>
            <MenuEditor onDone={() => setEditing(false)} />
          </Show>
        </StaffOnly>
      </Card>
      <For each={days().filter((d) => d >= today())}>
        {(day) => (
          <Card title={`${dayLabel(day)}${day === today() ? ` · ${t('nav.today')}` : ''}`}>
            <Show when={MEALS.some((m) => canteen.menuOf(day, m))} fallback={<p class="text-stone-700">{t('canteen.noMenu')}</p>}>
              <div class="divide-y divide-stone-200">
                <For each={MEALS}>{(meal) => <MealLine day={day} meal={meal} />}</For>
              </div>
            </Show>
          </Card>
        )}
      </For>
    </div>
  )
}

function MenuEditor(props: { onDone: () => void }) {
  const { canteen } = useCommunity()
  const staff = useStaff().canteen
  const [day, setDay] = createSignal(today())
  const [meal, setMeal] = createSignal<Meal>('lunch')
  const [dishes, setDishes] = createSignal('')
  const [seats, setSeats] = createSignal('40')
  const [cutoff, setCutoff] = createSignal(DEFAULT_CUTOFF.lunch)
  const [delivery, setDelivery] = createSignal(true)
  const [problems, setProblems] = createSignal<Problems>({})
  const [message, setMessage] = createSignal('')
  const [full, setFull] = createSignal(String(canteen.prices().full))
  const [subsidised, setSubsidised] = createSignal(String(canteen.prices().subsidised))
  const [visitor, setVisitor] = createSignal(String(canteen.prices().visitor ?? ''))
  const [cost, setCost] = createSignal<Record<Meal, string>>({ breakfast: '', lunch: '', dinner: '', ...Object.fromEntries(Object.entries(canteen.prices().cost ?? {}).map(([m, v]) => [m, String(v)])) })
  const [pricesSaved, setPricesSaved] = createSignal(false)
  /** An empty box is "not set" (NaN), not 0. */
  const amount = (text: string) => (text.trim() === '' ? NaN : Number(text))
  // Choosing a day and meal loads what is planned there, so editing starts from it.
  const load = (d: Day, m: Meal) => {
    const menu = canteen.menuOf(d, m)
    setDishes(menu?.dishes.join('\n') ?? '')
    setSeats(String(menu?.seats ?? 40))
    setCutoff(menu?.cutoff ?? DEFAULT_CUTOFF[m])
    setDelivery(menu?.delivery ?? true)
  }
  load(day(), meal())
  const save = (event: Event) => {
    event.preventDefault()
    const result = staff.publishMenu({ day: day(), meal: meal(), dishes: dishes().split('\n'), seats: seats().trim() === '' ? NaN : Number(seats()), cutoff: cutoff(), delivery: delivery() })
    setProblems(result.ok ? {} : result.problems)
    setMessage(result.ok ? t('common.saved') : '')
  }
  const savePrices = (event: Event) => {
    event.preventDefault()
    const result = staff.setPrices({ full: Number(full()), subsidised: Number(subsidised()), visitor: amount(visitor()), cost: Object.fromEntries(MEALS.map((m) => [m, amount(cost()[m])])) })
    setProblems(result.ok ? {} : result.problems)
    setPricesSaved(result.ok)
  }
  const p = (f: string) => problemText(problems()[f])
  return (
    <div class="space-y-3 rounded-xl bg-amber-50 p-3">
      <form onSubmit={save} data-testid="menu-form">
        <Field label={t('canteen.form.day')} name="day" type="date" value={day()} problem={p('day')} onInput={(d) => { setDay(d); load(d, meal()) }} />
        <Chips label={t('canteen.form.meal')} options={MEALS} selected={(m) => meal() === m} onToggle={(m) => { setMeal(m); load(day(), m) }} text={(m) => t(`meal.${m}`)} testid="menu-meal" />
        <Field label={t('canteen.form.dishes')} name="dishes" multiline value={dishes()} problem={p('dishes')} onInput={setDishes} />
        <Field label={t('canteen.form.seats')} name="seats" type="number" value={seats()} problem={p('seats')} onInput={setSeats} />
        <Field label={t('canteen.form.cutoff')} name="cutoff" type="time" value={cutoff()} problem={p('cutoff')} onInput={setCutoff} />
        <label class="mb-4 flex min-h-12 items-center gap-3">
          <input type="checkbox" class="h-7 w-7" name="delivery" checked={delivery()} onChange={(e) => setDelivery(e.currentTarget.checked)} />
          <span class="font-semibold">{t('canteen.form.delivery')}</span>
        </label>
        <div class="flex flex-wrap items-center gap-3">
          <Button type="submit">{t('common.save')}</Button>
          <Button variant="secondary" onClick={() => setMessage(t('canteen.copied', { count: staff.copyLastWeek(weekStart(today())).length }))}>{t('canteen.copyLastWeek')}</Button>
          <Button variant="secondary" onClick={() => props.onDone()}>{t('common.close')}</Button>
          <Show when={message()}>
            <span role="status" class="font-semibold text-green-800"><Kept>{message()}</Kept></span>
          </Show>
        </div>
      </form>
      <form onSubmit={savePrices} class="border-t border-stone-300 pt-3">
        <div class="grid grid-cols-2 gap-3">
          <Field label={t('canteen.form.full')} name="full" type="number" value={full()} problem={p('full')} onInput={setFull} />
          <Field label={t('canteen.form.subsidised')} name="subsidised" type="number" value={subsidised()} problem={p('subsidised')} onInput={setSubsidised} />
          <Field label={t('canteen.form.visitor')} name="visitor" type="number" value={visitor()} problem={p('visitor')} onInput={setVisitor} />
        </div>
        <p class="mb-2 text-[0.9em] text-stone-700">{t('canteen.costHint')}</p>
        <div class="grid grid-cols-3 gap-3">
          <For each={MEALS}>{(m) => <Field label={t('canteen.form.cost', { meal: t(`meal.${m}`) })} name={`cost-${m}`} type="number" value={cost()[m]} problem={p(m)} onInput={(v) => setCost({ ...cost(), [m]: v })} />}</For>
        </div>
        <div class="flex flex-wrap items-center gap-3">
          <Button type="submit" variant="secondary">{t('canteen.savePrices')}</Button>
          <Show when={pricesSaved()}>
            <span role="status" class="font-semibold text-green-800"><Kept>{t('common.saved')}</Kept></span>
          </Show>
        </div>
      </form>
    </div>
  )
}
