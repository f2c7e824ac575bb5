import { For, Show } from 'solid-js'
import { hashParam, PrintPage } from '../common/PrintPage'
import { t } from '../common/i18n'
import { useCommunity } from '../common/community'
import { requestFor, requestTitle } from './labels'
import { stampDay } from '../../domain/hlc'

/**
 * The errand registration slip (两单制), printable: a receipt the applicant keeps until
 * the errand is done (then it is collected back), and a stub kept with the ledger at the
 * 代办 point, not by the agent. Both carry the date, the agent's name and phone, and
 * lines to sign.
 */
export default function Slip() {
  const { name, aid } = useCommunity()
  const item = () => aid.item(hashParam('id'))
  const part = (title: string) => (
    <Show when={item()}>
      {(i) => (
        <section class="mb-6 break-inside-avoid rounded-xl border-2 border-dashed border-stone-700 p-4" data-testid="slip-part">
          <h2 class="text-[1.3em] font-bold">{name} · {t('aid.slipTitle')}</h2>
          <p class="font-semibold">{title}</p>
          <p class="text-[1.4em] font-bold" data-testid="slip-number">{t('aid.number', { number: i().request.number ?? '' })}</p>
          <p>{requestTitle(i().request)}</p>
          <p>{t('aid.for', { name: requestFor(i().request) })} · {t('aid.postedBy', { name: i().request.postedByName })}</p>
          <Show when={i().request.due}>
            <p>{t('aid.due', { date: i().request.due! })}</p>
          </Show>
          <p>{t('aid.slipDate', { date: stampDay(i().request.stamp) })}</p>
          <p>{t(`aid.state.${i().status.state}`)}</p>
          <Show when={i().status.taker}>
            {(taker) => <p class="font-semibold" data-testid="slip-agent">{t('aid.agentLine', { name: taker().name, phone: aid.agentOf(taker().id)?.phone ?? '' })}</p>}
          </Show>
          <Show when={(i().request.materials ?? []).length > 0}>
            <h3 class="mt-2 font-bold">{t('aid.materials')}</h3>
            <ul class="list-disc pl-6">
              <For each={i().request.materials}>{(m) => <li>{m}</li>}</For>
            </ul>
          </Show>
          <p class="mt-6">{t('aid.signApplicant')}：________________　{t('aid.signAgent')}：________________</p>
        </section>
      )}
    </Show>
  )
  return (
    <PrintPage back="#/aid" testid="slip">
      <Show when={item()} fallback={<p>{t('aid.lookupNone')}</p>}>
        {part(t('aid.receipt'))}
        <p class="mb-6 text-center">{t('aid.slipKeep')}</p>
        {part(t('aid.stubPoint'))}
      </Show>
    </PrintPage>
  )
}
