import { For, Match, Show, Switch } from 'solid-js'
import { monthOf, today } from '../../domain/calendar'
import { SERVICE_CLASSES } from '../../domain/errands'
import { useCommunity } from '../common/community'
import { t } from '../common/i18n'
import { hashParam, PrintPage } from '../common/PrintPage'
import { LedgerTable, useLedger } from './Errands'

// The 代办 point on paper: the guide to its services for the notice board (办事指南),
// and the month's ledger (代办登记台账).

export default function ErrandPrint() {
  const view = hashParam('view')
  return (
    <PrintPage back="#/aid" testid={`errands-print-${view || 'guide'}`}>
      <Switch fallback={<Guide />}>
        <Match when={view === 'ledger'}><PrintedLedger month={hashParam('month') || monthOf(today())} agent={hashParam('agent')} /></Match>
      </Switch>
    </PrintPage>
  )
}

function Guide() {
  const { aid, name } = useCommunity()
  const listed = () => aid.services().filter((s) => !s.retired)
  return (
    <>
      <h1 class="text-3xl font-bold">{name} · {t('services.guideTitle')}</h1>
      <p class="mt-1 text-lg">{t('services.guideIntro')}</p>
      <For each={SERVICE_CLASSES.filter((c) => listed().some((s) => s.serviceClass === c))}>
        {(c) => (
          <section class="mt-4 break-inside-avoid">
            <h2 class="text-xl font-bold">{t(`services.class.${c}`)}</h2>
            <For each={listed().filter((s) => s.serviceClass === c)}>
              {(s) => (
                <div class="mt-2 border-b border-stone-400 pb-2" data-testid="guide-service">
                  <p class="text-lg font-bold">{s.name}</p>
                  <Show when={s.materials.length > 0}><p>{t('aid.materials')}：{s.materials.join('、')}</p></Show>
                  <Show when={s.where}><p>{t('services.where')}：{s.where}</p></Show>
                  <p>{t('services.fee')}：{s.fee || t('services.free')}</p>
                  <Show when={s.days}><p>{t('services.days')}：{s.days}</p></Show>
                </div>
              )}
            </For>
          </section>
        )}
      </For>
    </>
  )
}

function PrintedLedger(props: { month: string; agent: string }) {
  const { aid, name } = useCommunity()
  const ledger = useLedger()
  return (
    <>
      <h1 class="text-2xl font-bold">{name} · {t('ledger.printTitle', { month: props.month })}</h1>
      <Show when={props.agent}><p>{t('ledger.agent')}：{aid.agentOf(props.agent)?.name ?? ''}</p></Show>
      <LedgerTable rows={ledger(props.month, props.agent)} />
    </>
  )
}
