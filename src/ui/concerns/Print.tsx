import { createMemo, createResource, For, Match, Show, Switch } from 'solid-js'
import { monthOf, plusDays, today } from '../../domain/calendar'
import { stampDay } from '../../domain/hlc'
import { concernReport, isOverdue, isPrivate } from '../../domain/concerns'
import { useCommunity } from '../common/community'
import { t } from '../common/i18n'
import { hashParam, PrintPage } from '../common/PrintPage'
import { reportRows, ReportTable, useCategoryName } from './Concerns'
import { percent } from '../common/time'

// Concerns on paper, where paper is the habit: the week's list for the reception day
// (书记接待日), the hand-off sheet that goes with a concern passed up (转办单), the
// month's figures, and a public summary for the notice board (counts and what was
// fixed, no names).

export default function ConcernsPrint() {
  const view = hashParam('view')
  return (
    <PrintPage back="#/aid" testid={`concerns-print-${view}`}>
      <Switch fallback={<Week />}>
        <Match when={view === 'handoff'}><Handoff id={hashParam('id')} /></Match>
        <Match when={view === 'report'}><Report month={hashParam('month') || monthOf(today())} /></Match>
        <Match when={view === 'summary'}><Summary month={hashParam('month') || monthOf(today())} /></Match>
      </Switch>
    </PrintPage>
  )
}

function Week() {
  const { concerns, name } = useCommunity()
  const categoryName = useCategoryName()
  const day = today()
  const items = createMemo(() => concerns.week(day))
  return (
    <>
      <h1 class="text-2xl font-bold">{name} · {t('concerns.weekTitle')}</h1>
      <p>{plusDays(day, -7)} – {day}</p>
      <Show when={items().length > 0} fallback={<p class="mt-4">{t('concerns.noneOpen')}</p>}>
        <table class="mt-3 w-full border-collapse text-[0.9em]">
          <thead>
            <tr>{[t('concerns.print.day'), t('concerns.form.category'), t('concerns.print.what'), t('concerns.print.who'), t('concerns.print.state'), t('concerns.print.answer')].map((h) => <th class="border border-stone-500 px-1 text-left">{h}</th>)}</tr>
          </thead>
          <tbody>
            <For each={items()}>
              {(i) => (
                <tr>
                  <td class="border border-stone-500 px-1">{stampDay(i.concern.stamp)}</td>
                  <td class="border border-stone-500 px-1">{categoryName(i.concern.category)}</td>
                  <td class="border border-stone-500 px-1">{isPrivate(i.concern) ? t('concerns.privateMark') : `${i.concern.what}${i.concern.where ? `（${i.concern.where}）` : ''}`}</td>
                  <td class="border border-stone-500 px-1">{i.concern.forName}</td>
                  <td class="border border-stone-500 px-1">{t(`concerns.state.${i.status.state}`)}{isOverdue(i.concern, i.status, day) ? ` · ${t('concerns.overdue')}` : ''}</td>
                  <td class="h-12 w-1/4 border border-stone-500 px-1" />
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </Show>
    </>
  )
}

function Handoff(props: { id: string }) {
  const { concerns, name } = useCommunity()
  const categoryName = useCategoryName()
  const item = () => concerns.item(props.id)
  // A private concern's words and what was sent are opened on this (staff) device for the sheet.
  const [opened] = createResource(
    () => { const i = item(); return i && isPrivate(i.concern) ? i : false },
    async (i) => {
      const up = i.status.history.filter((h) => h.applied && h.event.type === 'passUp').at(-1)
      return { words: await concerns.wordsOf(i.concern), sent: up ? await concerns.noteOf(i.concern, up.event) : null }
    },
  )
  return (
    <Show when={item()?.status.passedUp} fallback={<p>{t('problem.notFound')}</p>}>
      {(up) => (
        <div class="space-y-2 text-lg">
          <h1 class="text-2xl font-bold">{t('concerns.handoffTitle')}</h1>
          <p>{t('concerns.print.from')}：{name}</p>
          <p>{t('concerns.print.to')}：{up().to || opened()?.sent?.to}</p>
          <p>{t('concerns.print.sentOn')}：{stampDay(up().at)}</p>
          <p>{t('concerns.form.category')}：{categoryName(item()!.concern.category)}</p>
          <p>{t('concerns.print.reportedOn')}：{stampDay(item()!.concern.stamp)} · {item()!.concern.where || opened()?.words?.where}</p>
          <p class="whitespace-pre-line rounded border border-stone-500 p-2">{item()!.concern.what || opened()?.words?.what}</p>
          <p>{t('concerns.print.sent')}：{up().sent || opened()?.sent?.note}</p>
          <p class="mt-8">{t('concerns.print.signOut')}：________________ {t('concerns.print.signIn')}：________________</p>
          <p>{t('concerns.print.replyBy')}：________________</p>
        </div>
      )}
    </Show>
  )
}

function Report(props: { month: string }) {
  const { concerns, name } = useCommunity()
  const categoryName = useCategoryName()
  const report = createMemo(() => concernReport(concerns.items(), props.month, concerns.categories()))
  return (
    <>
      <h1 class="text-2xl font-bold">{name} · {t('concerns.reportTitle', { month: props.month })}</h1>
      <ReportTable rows={reportRows(report(), categoryName)} />
      <p class="mt-2">{t('concerns.rateNote')}</p>
    </>
  )
}

function Summary(props: { month: string }) {
  const { concerns, name } = useCommunity()
  const categoryName = useCategoryName()
  const report = createMemo(() => concernReport(concerns.items(), props.month, concerns.categories()))
  const fixed = createMemo(() => concerns.items().filter((i) => stampDay(i.concern.stamp).startsWith(props.month) && i.status.state === 'closed' && i.status.outcome))
  return (
    <>
      <h1 class="text-3xl font-bold">{name} · {t('concerns.summaryTitle', { month: props.month })}</h1>
      <p class="mt-2 text-xl">{t('concerns.summaryLine', { received: report().total.received, finished: report().total.finished, rate: percent(report().rates.finish), satisfied: percent(report().rates.satisfaction) })}</p>
      <ul class="mt-3 grid grid-cols-2 text-lg">
        <For each={report().rows.filter((r) => r.counts.received > 0)}>{(r) => <li>{categoryName(r.category)}：{r.counts.received}</li>}</For>
      </ul>
      <Show when={fixed().length > 0}>
        <h2 class="mt-4 text-xl font-bold">{t('concerns.summaryFixed')}</h2>
        <ul class="ml-5 list-disc text-lg">
          <For each={fixed()}>{(i) => <li>{categoryName(i.concern.category)}{i.concern.where ? `（${i.concern.where}）` : ''}：{i.status.outcome}</li>}</For>
        </ul>
      </Show>
    </>
  )
}
