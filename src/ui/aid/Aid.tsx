import { createMemo, createSignal, For, Match, Show, Switch } from 'solid-js'
import { monthOf, today } from '../../domain/calendar'
import { AID_CATEGORIES, AID_STATES, overview, type AidCategory } from '../../domain/aid'
import { Button, Card, Chips, Field, PublishPanel } from '../common/components'
import { downloadCsv } from '../common/download'
import { StaffOnly, useApp, useCommunity } from '../common/community'
import { t } from '../common/i18n'
import { percent } from '../common/time'
import { AidForm } from './AidForm'
import { RequestCard } from './RequestCard'
import { Visits } from '../visits/Visits'
import { Concerns } from '../concerns/Concerns'
import { Errands } from './Errands'
import { MyPrivateErrands } from './PrivateErrands'

type Section = 'browse' | 'mine' | 'concerns' | 'errands' | 'overview' | 'visits'

export default function Aid() {
  const app = useApp()
  const { aid, actor, helps, staff } = useCommunity()
  const helpCategories = () => app.helpCategories()
  const [section, setSection] = createSignal<Section>('browse')
  const [category, setCategory] = createSignal<AidCategory | null>(null)
  const [number, setNumber] = createSignal('')
  // Household visits are for devices that hold the staff space (the households' details live there).
  const sections = (): readonly Section[] => [...(actor().staff ? (['browse', 'mine', 'concerns', 'errands', 'overview'] as const) : (['browse', 'mine', 'concerns'] as const)), ...(staff ? (['visits'] as const) : [])]
  const open = createMemo(() => aid.open(new Set(helpCategories())).filter((i) => category() === null || i.request.category === category()))
  const found = createMemo(() => (number().trim().length >= 6 ? aid.byNumber(number()) : undefined))

  return (
    <div class="space-y-4">
      <Card title={t('aid.title')}>
        <PublishPanel label={t('aid.post')} testid="post-aid" draft="aid" form={(done) => <AidForm onDone={done} />} />
        <Chips options={sections()} selected={(s) => section() === s} onToggle={setSection} text={(s) => t(`aid.${s}`)} testid="aid-section" />
      </Card>
      <Switch>
        <Match when={section() === 'browse'}>
          <Card>
            <Chips
              options={['all', ...AID_CATEGORIES] as const}
              selected={(c) => (c === 'all' ? category() === null : category() === c)}
              onToggle={(c) => setCategory(c === 'all' ? null : c)}
              text={(c) => (c === 'all' ? t('shifts.allCategories') : t(`aid.cat.${c}`))}
              testid="aid-filter"
            />
            <Show when={helps()}>
              <details>
                <summary class="min-h-12 cursor-pointer content-center font-semibold">{t('aid.myCategories')}</summary>
                <Chips
                  options={AID_CATEGORIES}
                  selected={(c) => helpCategories().includes(c)}
                  onToggle={(c) => app.setHelpCategories(helpCategories().includes(c) ? helpCategories().filter((x) => x !== c) : [...helpCategories(), c])}
                  text={(c) => t(`aid.cat.${c}`)}
                />
              </details>
            </Show>
            <Field label={t('aid.lookup')} hint={t('aid.lookupHint')} name="receipt" value={number()} onInput={setNumber} />
            <Show when={number().trim().length >= 6 && !found()}>
              <p>{t('aid.lookupNone')}</p>
            </Show>
          </Card>
          <Show when={found()}>{(f) => <RequestCard id={f().request.id} />}</Show>
          <Show when={open().length > 0} fallback={<p class="px-1" data-testid="aid-empty">{t('aid.empty')}</p>}>
            <For each={open()}>{(i) => <RequestCard id={i.request.id} />}</For>
          </Show>
        </Match>
        <Match when={section() === 'mine'}>
          <MyPrivateErrands />
          <Show when={aid.mine(actor().id).length > 0} fallback={<p class="px-1">{t('aid.mineEmpty')}</p>}>
            <For each={aid.mine(actor().id)}>{(i) => <RequestCard id={i.request.id} />}</For>
          </Show>
        </Match>
        <Match when={section() === 'concerns'}>
          <Concerns />
        </Match>
        <Match when={section() === 'errands'}>
          <StaffOnly>
            <Errands />
          </StaffOnly>
        </Match>
        <Match when={section() === 'overview'}>
          <Overview />
        </Match>
        <Match when={section() === 'visits'}>
          <StaffOnly>
            <Visits />
          </StaffOnly>
        </Match>
      </Switch>
    </div>
  )
}


function Overview() {
  const { aid } = useCommunity()
  const [month, setMonth] = createSignal(monthOf(today()))
  const o = createMemo(() => overview(aid.items(), month(), today()))
  const exportCsv = () =>
    downloadCsv(`mutual-aid-${month()}.csv`, [
      [t('aid.csv.metric'), t('aid.csv.value')],
      [t('aid.total', { count: '' }).trim(), o().total],
      ...AID_CATEGORIES.map((c) => [t(`aid.cat.${c}`), o().byCategory[c]]),
      ...AID_STATES.map((s) => [t(`aid.state.${s}`), o().byState[s]]),
      [t('aid.completion', { rate: '' }).trim(), percent(o().finishRate)],
      [t('aid.median', { hours: '' }).trim(), o().medianMinutesToDone === null ? '—' : Math.round((o().medianMinutesToDone! / 60) * 10) / 10],
      [t('aid.satisfaction', { rate: '' }).trim(), percent(o().satisfactionRate)],
      [t('aid.overdueList'), o().overdue.map((r) => r.number ?? r.title).join(' ')],
    ])
  return (
    <Card title={t('aid.overview')}>
      <div data-testid="aid-overview">
        <Field label={t('aid.month')} name="month" type="month" value={month()} onInput={setMonth} />
        <p class="font-bold" data-testid="aid-total">{t('aid.total', { count: o().total })}</p>
        <ul class="my-2 grid grid-cols-2 gap-x-4">
          <For each={AID_CATEGORIES}>{(c) => <li>{t(`aid.cat.${c}`)}：{o().byCategory[c]}</li>}</For>
        </ul>
        <ul class="my-2 grid grid-cols-2 gap-x-4">
          <For each={AID_STATES}>{(s) => <li>{t(`aid.state.${s}`)}：{o().byState[s]}</li>}</For>
        </ul>
        <p data-testid="aid-completion">{t('aid.completion', { rate: percent(o().finishRate) })}</p>
        <p>{t('aid.median', { hours: o().medianMinutesToDone === null ? '—' : Math.round((o().medianMinutesToDone! / 60) * 10) / 10 })}</p>
        <p data-testid="aid-satisfaction">{t('aid.satisfaction', { rate: percent(o().satisfactionRate) })}</p>
        <Show when={o().satisfactionRate !== null && o().satisfactionRate! < 0.9}>
          <p role="alert" class="font-bold text-red-800">{t('aid.satisfactionLow')}</p>
        </Show>
        <h3 class="mt-3 font-bold">{t('aid.overdueList')}</h3>
        <Show when={o().overdue.length > 0} fallback={<p>{t('aid.none')}</p>}>
          <ul>
            <For each={o().overdue}>{(r) => <li>{r.number} {r.title}（{r.forName}，{t('aid.due', { date: r.due ?? '' })}）</li>}</For>
          </ul>
        </Show>
        <Button class="mt-3" variant="secondary" onClick={() => void exportCsv()}>{t('aid.export')}</Button>
      </div>
    </Card>
  )
}
