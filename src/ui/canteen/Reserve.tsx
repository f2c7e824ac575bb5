import { createMemo, createResource, createSignal, For, Show } from 'solid-js'
import { today, weekDays, plusDays, type Day } from '../../domain/calendar'
import { isPaused, MEALS, MODES, type Meal, type Mode, type OrderSecret } from '../../domain/canteen'
import { openOwn } from '../../trust/orders'
import { useApp, useCommunity } from '../common/community'
import { Button, Card, Chips, Field, Kept } from '../common/components'
import { problemText, t, weekdayName } from '../common/i18n'
import { dayLabel, WeekdayChips } from '../common/calendar-parts'
import type { Checked, Problems } from '../../domain/validation'

/**
 * Reserve meals by meal card number: one's own, or an elder's on their behalf (代办).
 * The public space names the elder's orders by a tag made from the code, and seals the
 * mode and any pause; this screen makes the tags from the code typed, and opens the
 * copies sealed under the card's own key, so whoever knows the code sees the orders.
 */
export function Reserve() {
  const app = useApp()
  const { canteen } = useCommunity()
  const myCard = () => app.mealCard()
  const [code, setCode] = createSignal(myCard())
  const [day, setDay] = createSignal<Day>(today())
  const [meal, setMeal] = createSignal<Meal>('lunch')
  const [mode, setMode] = createSignal<Mode>('eatIn')
  const [count, setCount] = createSignal('1')
  const [problems, setProblems] = createSignal<Problems>({})
  const [weekdays, setWeekdays] = createSignal<number[]>([1, 2, 3, 4, 5])
  const [until, setUntil] = createSignal('')
  const cleanCode = () => code().trim().toUpperCase()
  const days = () => [...weekDays(today()), ...weekDays(plusDays(today(), 7))].filter((d) => d >= today()).slice(0, 8)
  const act = async (result: Promise<Checked<unknown>>) => {
    const done = await result
    setProblems(done.ok ? {} : done.problems)
  }
  // The card of the code typed (slow on purpose, once per code: trust/orders.ts).
  const [card] = createResource(cleanCode, (c) => canteen.card(c))
  const tag = (m: Meal) => card()?.tag(m) ?? ''

  const submit = (event: Event) => {
    event.preventDefault()
    // The first card number used on this phone is remembered as this person's own.
    if (!myCard() && /^[A-Z0-9]{6}$/.test(cleanCode())) app.setMealCard(cleanCode())
    void act(canteen.reserve({ elderCode: cleanCode(), day: day(), meal: meal(), mode: mode(), count: count().trim() === '' ? NaN : Number(count()) }, cleanCode() !== myCard()))
  }
  const mine = createMemo(() => {
    if (!card()) return []
    return days().flatMap((d) =>
      MEALS.map((m) => ({ day: d, meal: m, order: canteen.ordersOf(d, m).find((o) => o.tag === tag(m)), status: canteen.seatStatus(d, m, tag(m)) })).filter((x) => x.order),
    )
  })
  const standingRecords = () => (card() ? canteen.standingOf(MEALS.map(tag)) : [])
  // What is sealed in each order (mode, pause), opened with the card: by record id and version.
  const [secrets] = createResource(
    () => {
      const c = card()
      if (!c) return false
      const records = [...mine().flatMap((x) => (x.order!.source === 'reservation' ? [canteen.reservationOf(x.day, x.meal, x.order!.tag)!] : [])), ...standingRecords()].filter(Boolean)
      return { c, records }
    },
    async ({ c, records }) => new Map<string, OrderSecret | null>(await Promise.all(records.map(async (r) => [`${r.id}@${r.updatedAt}`, await openOwn(c, r)] as const))),
  )
  const secretOf = (record: { id: string; updatedAt: string } | undefined) => (record ? secrets()?.get(`${record.id}@${record.updatedAt}`) ?? undefined : undefined)
  const modeOf = (x: { day: string; meal: Meal; order?: { source: string; tag: string } }) =>
    secretOf(x.order?.source === 'reservation' ? canteen.reservationOf(x.day, x.meal, x.order.tag) : standingRecords().find((s) => s.meal === x.meal))?.mode
  const standing = () => standingRecords().map((s) => ({ ...s, ...(secretOf(s) ?? {}) }))

  return (
    <div class="space-y-4">
      <Card title={t('canteen.reserve')}>
        <form onSubmit={submit} data-testid="reserve-form">
          <Field label={t('canteen.card')} hint={t('canteen.cardHint')} name="card" value={code()} problem={problemText(problems().elderCode)} onInput={setCode} />
          <Chips label={t('canteen.form.day')} options={days()} selected={(d) => day() === d} onToggle={setDay} text={dayLabel} testid="reserve-day" />
          <Chips label={t('canteen.form.meal')} options={MEALS} selected={(m) => meal() === m} onToggle={setMeal} text={(m) => t(`meal.${m}`)} problem={problemText(problems().meal)} testid="reserve-meal" />
          <Chips label={t('canteen.mode')} options={MODES} selected={(m) => mode() === m} onToggle={setMode} text={(m) => t(`mode.${m}`)} problem={problemText(problems().mode)} testid="reserve-mode" />
          <Field label={t('canteen.count')} name="count" type="number" value={count()} problem={problemText(problems().count)} onInput={setCount} />
          <Button type="submit" data-testid="reserve-submit">{t('canteen.reserveButton')}</Button>
        </form>
      </Card>
      <Card title={t('canteen.myMeals')}>
        <Show when={!card.loading || mine().length > 0} fallback={<p>{t('canteen.opening')}</p>}>
        <Show when={mine().length > 0} fallback={<p>{t('canteen.noMeals')}</p>}>
          <ul class="divide-y divide-stone-200" data-testid="my-meals">
            <For each={mine()}>
              {(x) => (
                <li class="py-2" data-testid="my-meal" data-status={x.status}>
                  <p class="font-bold">{dayLabel(x.day)} {t(`meal.${x.meal}`)} · {modeOf(x) ? `${t(`mode.${modeOf(x)!}`)} ` : ''}× {x.order!.count} {x.order!.onBehalf ? t('canteen.onBehalf') : ''}</p>
                  <Show when={x.status === 'served'}><p class="text-green-800"><Kept>{t('canteen.booked')}</Kept></p></Show>
                  <Show when={x.status === 'waiting'}><p class="text-amber-800">{t('canteen.waitingSeat')}</p></Show>
                  <Show when={x.status === 'bumped'}><p role="alert" class="font-semibold text-red-900">{t('canteen.bumpedSeat')}</p></Show>
                  <Button variant="secondary" onClick={() => void act(canteen.cancelReservation(cleanCode(), x.day, x.meal))}>{t('canteen.cancelMeal')}</Button>
                </li>
              )}
            </For>
          </ul>
        </Show>
        </Show>
      </Card>
      <Card title={t('canteen.standing')}>
        <p class="mb-2 text-stone-700">{t('canteen.standingHint')}</p>
        <For each={standing()}>
          {(s) => (
            <div class="mb-3 rounded-xl border border-stone-300 p-3" data-testid="standing-order">
              <p class="font-bold">{t('canteen.standingNow', { meal: t(`meal.${s.meal}`), days: s.weekdays.map((d) => weekdayName(d)).join('、'), mode: s.mode ? t(`mode.${s.mode}`) : '', count: s.count })}</p>
              <Show when={s.pausedUntil && s.pausedUntil >= today()}><p class="text-amber-800" data-testid="paused-until" data-paused={isPaused(s, today())}>{t('canteen.pausedUntil', { date: s.pausedUntil! })}</p></Show>
              <Field label={t('canteen.pauseUntil')} name="until" type="date" value={until()} problem={problemText(problems().until)} onInput={setUntil} />
              <div class="flex flex-wrap gap-2">
                <Button variant="secondary" onClick={() => void act(canteen.pauseStandingOrder(cleanCode(), s.meal, until()))}>{t('canteen.pause')}</Button>
                <Button variant="danger" onClick={() => void act(canteen.stopStandingOrder(cleanCode(), s.meal))}>{t('canteen.stop')}</Button>
              </div>
            </div>
          )}
        </For>
        <WeekdayChips label={t('shifts.form.weekdays')} selected={weekdays()} onChange={setWeekdays} problem={problemText(problems().weekdays)} />
        <Button variant="secondary" onClick={() => void act(canteen.setStandingOrder({ elderCode: cleanCode(), meal: meal(), weekdays: weekdays(), mode: mode(), count: Number(count()) }))}>
          {t('canteen.standingSet')}
        </Button>
      </Card>
    </div>
  )
}
