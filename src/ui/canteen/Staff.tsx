import { createEffect, createMemo, createSignal, For, Show } from 'solid-js'
import { monthOf, today } from '../../domain/calendar'
import { DIETS, MEALS, MODES, monthReport, TIERS, type Diet, type ElderDraft, type Mode, type Tier } from '../../domain/canteen'
import type { Problems } from '../../domain/validation'
import { Button, Card, Chips, Field } from '../common/components'
import { downloadCsv } from '../common/download'
import { problemText, t } from '../common/i18n'
import { useCommunity, useStaff } from '../common/community'
import { dietText } from './labels'

/** Today's meals for staff: counts, diets, the kitchen sheet, money due and subsidy. */
export function MealTallies() {
  const { canteen } = useCommunity()
  const staff = useStaff().canteen
  const flagged = createMemo(() => staff.allResults().filter((m) => m.result !== 'delivered' && staff.rounds().some((r) => r.id === m.roundId && r.day === today())))
  const monthSubsidy = createMemo(() => {
    const r = monthReport(monthOf(today()), today(), canteen.menus(), staff.reservations(), staff.standing(), staff.elders(), [], canteen.prices())
    return r.subsidy
  })
  return (
    <div class="space-y-4">
      <For each={MEALS.filter((m) => canteen.menuOf(today(), m))}>
        {(meal) => {
          const b = () => staff.tally(today(), meal)
          return (
            <Card title={`${t(`meal.${meal}`)} · ${b().menu?.dishes.join('、') ?? ''}`}>
              <div data-testid="meal-board" data-meal={meal}>
                <p class="text-lg font-bold">
                  <span data-testid="eat-in">{t('canteen.eatIn', { count: b().eatIn })}</span> · <span data-testid="delivered">{t('canteen.deliveredCount', { count: b().delivered })}</span>
                  <Show when={b().waiting > 0}> · {t('canteen.waitingCount', { count: b().waiting })}</Show>
                </p>
                <h3 class="mt-2 font-semibold">{t('canteen.byDiet')} · {t('canteen.kitchen')}</h3>
                <p>{DIETS.filter((d) => b().byDiet[d] > 0).map((d) => `${t(`diet.${d}`)} ${b().byDiet[d]}`).join('，') || '—'}</p>
                <p class="mt-2">{t('canteen.due', b().dueByTier)}</p>
                <p>{t('canteen.subsidy', { amount: b().subsidy })}</p>
                <Show when={b().paused > 0}>
                  <p data-testid="paused">{t('canteen.pausedCount', { count: b().paused })}</p>
                </Show>
                <Show when={b().unknownCodes > 0}>
                  <p role="alert" class="font-semibold text-amber-800">{t('canteen.unknownCodes', { count: b().unknownCodes })}</p>
                </Show>
              </div>
            </Card>
          )
        }}
      </For>
      <Show when={!MEALS.some((m) => canteen.menuOf(today(), m))}>
        <p>{t('canteen.noMenu')}</p>
      </Show>
      <Card title={t('canteen.flagged')}>
        <Show when={flagged().length > 0} fallback={<p>{t('aid.none')}</p>}>
          <ul data-testid="flagged">
            <For each={flagged()}>
              {(m) => {
                const elder = () => staff.elders().get(m.elderCode)
                return (
                  <li class="py-1 font-semibold text-red-900">
                    {elder()?.name ?? m.elderCode} · {t(`door.${m.result}`)} {m.note} · {t('canteen.callEmergency', { name: elder()?.emergencyName ?? '', phone: elder()?.emergencyPhone ?? '' })}
                  </li>
                )
              }}
            </For>
          </ul>
        </Show>
        <p class="mt-2">{t('canteen.subsidyMonth', { amount: monthSubsidy() })}</p>
      </Card>
    </div>
  )
}

export function Roster() {
  const staff = useStaff().canteen
  const empty: ElderDraft = { name: '', building: '', unit: '', phone: '', emergencyName: '', emergencyPhone: '', diets: [], allergies: '', tier: 'standard', service: 'eatIn', deliveryNote: '' }
  const [draft, setDraft] = createSignal<ElderDraft>(empty)
  const [problems, setProblems] = createSignal<Problems>({})
  const [adding, setAdding] = createSignal(false)
  const set = <K extends keyof ElderDraft>(key: K, value: ElderDraft[K]) => setDraft({ ...draft(), [key]: value })
  const p = (f: string) => problemText(problems()[f])
  const elders = () => [...staff.elders().values()].sort((a, b) => a.building.localeCompare(b.building, 'zh-CN', { numeric: true }) || a.name.localeCompare(b.name, 'zh-CN'))
  const submit = (event: Event) => {
    event.preventDefault()
    const result = staff.addElder(draft())
    if (!result.ok) return setProblems(result.problems)
    setProblems({})
    setDraft(empty)
    setAdding(false)
  }
  return (
    <Card title={t('canteen.roster')}>
      <Show when={adding()} fallback={<Button class="mb-3" data-testid="add-elder" onClick={() => setAdding(true)}>{t('canteen.addElder')}</Button>}>
        <form onSubmit={submit} class="mb-4 rounded-xl bg-amber-50 p-3" data-testid="elder-form">
          <Field label={t('canteen.elder.name')} name="name" value={draft().name} problem={p('name')} onInput={(v) => set('name', v)} />
          <div class="grid grid-cols-2 gap-3">
            <Field label={t('canteen.elder.building')} name="building" value={draft().building} problem={p('building')} onInput={(v) => set('building', v)} />
            <Field label={t('canteen.elder.unit')} name="unit" value={draft().unit} problem={p('unit')} onInput={(v) => set('unit', v)} />
          </div>
          <Field label={t('canteen.elder.phone')} name="phone" value={draft().phone} problem={p('phone')} onInput={(v) => set('phone', v)} />
          <div class="grid grid-cols-2 gap-3">
            <Field label={t('canteen.elder.emergencyName')} name="emergencyName" value={draft().emergencyName} problem={p('emergencyName')} onInput={(v) => set('emergencyName', v)} />
            <Field label={t('canteen.elder.emergencyPhone')} name="emergencyPhone" value={draft().emergencyPhone} problem={p('emergencyPhone')} onInput={(v) => set('emergencyPhone', v)} />
          </div>
          <Chips label={t('canteen.elder.diets')} options={DIETS} selected={(d) => draft().diets.includes(d)} onToggle={(d: Diet) => set('diets', draft().diets.includes(d) ? draft().diets.filter((x) => x !== d) : [...draft().diets, d])} text={(d) => t(`diet.${d}`)} />
          <Field label={t('canteen.elder.allergies')} name="allergies" value={draft().allergies} problem={p('allergies')} onInput={(v) => set('allergies', v)} />
          <Chips label={t('canteen.elder.tier')} options={TIERS} selected={(x) => draft().tier === x} onToggle={(x: Tier) => set('tier', x)} text={(x) => t(`tier.${x}`)} testid="elder-tier" />
          <Chips label={t('canteen.elder.service')} options={MODES} selected={(x) => draft().service === x} onToggle={(x: Mode) => set('service', x)} text={(x) => t(`mode.${x}`)} testid="elder-service" />
          <Field label={t('canteen.elder.deliveryNote')} name="deliveryNote" value={draft().deliveryNote} problem={p('deliveryNote')} onInput={(v) => set('deliveryNote', v)} />
          <div class="flex gap-3">
            <Button type="submit">{t('common.save')}</Button>
            <Button variant="secondary" onClick={() => setAdding(false)}>{t('common.cancel')}</Button>
          </div>
        </form>
      </Show>
      <Show when={elders().length > 0} fallback={<p>{t('canteen.noElders')}</p>}>
        <ul class="divide-y divide-stone-200" data-testid="roster">
          <For each={elders()}>
            {(e) => (
              <li class="py-2" data-testid="elder-row" data-code={e.id}>
                <p class="font-bold">{e.name} · <span data-testid="elder-code">{t('canteen.elder.code', { code: e.id })}</span></p>
                <p class="text-[0.9em]">{e.building} {e.unit} · {e.phone} · {t(`tier.${e.tier}`)} · {t(`mode.${e.service}`)}</p>
                <Show when={e.diets.length > 0 || e.allergies}>
                  <p class="text-[0.9em] text-red-900">{dietText(e)}</p>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </Card>
  )
}

export function Report() {
  const { canteen } = useCommunity()
  const staff = useStaff().canteen
  const [month, setMonth] = createSignal(monthOf(today()))
  createEffect(() => canteen.showMonths([month()]))
  const delivered = () => staff.allResults().filter((m) => m.roundId && staff.rounds().some((r) => r.id === m.roundId && r.day.startsWith(month()))).map((m) => m.result)
  const report = createMemo(() => monthReport(month(), today(), canteen.menus(), staff.reservations(), staff.standing(), staff.elders(), delivered(), canteen.prices()))
  const exportCsv = () =>
    downloadCsv(`canteen-${month()}.csv`, [
      [t('canteen.csv.meal'), t('canteen.csv.tier'), t('canteen.csv.count')],
      ...MEALS.flatMap((m) => TIERS.map((tier) => [t(`meal.${m}`), t(`tier.${tier}`), report().served[m][tier]])),
      [t('door.delivered'), '', report().deliveriesMade],
      [t('door.notHome') + '/' + t('door.concern'), '', report().deliveriesMissed],
      ...MEALS.map((m) => [t(`meal.${m}`), t('canteen.csv.extra'), report().extra[m]]),
      [t('canteen.eldersServed', { count: '' }).trim(), '', report().elders],
      ...TIERS.map((tier) => [t('canteen.csv.subsidy'), t(`tier.${tier}`), report().subsidyByTier[tier]]),
      [t('canteen.csv.subsidy'), '', report().subsidy],
    ])
  return (
    <Card title={t('canteen.reportMonth', { month: month() })}>
      <Field label={t('aid.month')} name="month" type="month" value={month()} onInput={setMonth} />
      <table class="mb-3 w-full text-left" data-testid="report-table">
        <thead>
          <tr><th>{t('canteen.csv.meal')}</th><For each={TIERS}>{(tier) => <th>{t(`tier.${tier}`)}</th>}</For></tr>
        </thead>
        <tbody>
          <For each={MEALS}>{(m) => <tr><td>{t(`meal.${m}`)}</td><For each={TIERS}>{(tier) => <td>{report().served[m][tier]}</td>}</For></tr>}</For>
        </tbody>
      </table>
      <p>{t('canteen.deliveriesMade', { count: report().deliveriesMade })} · {t('canteen.deliveriesMissed', { count: report().deliveriesMissed })}</p>
      <p>{t('canteen.extraPortions', { count: MEALS.reduce((sum, m) => sum + report().extra[m], 0) })}</p>
      <p>{t('canteen.eldersServed', { count: report().elders })}</p>
      <p class="mt-2 font-semibold" data-testid="subsidy-month">{t('canteen.subsidyMonth', { amount: report().subsidy })}</p>
      <p class="text-[0.9em] text-stone-700">{t('canteen.subsidyExplain')}</p>
      <ul class="ml-5 list-disc">
        <For each={TIERS}>{(tier) => <li>{t('canteen.subsidyTier', { tier: t(`tier.${tier}`), amount: report().subsidyByTier[tier] })}</li>}</For>
      </ul>
      <Show when={report().withoutCost > 0}>
        <p role="alert" class="font-semibold text-red-800">{t('canteen.withoutCost', { count: report().withoutCost })}</p>
      </Show>
      <Button class="mt-3" variant="secondary" onClick={() => void exportCsv()}>{t('canteen.exportReport')}</Button>
    </Card>
  )
}
