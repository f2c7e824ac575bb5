import { For, Show } from 'solid-js'
import { useCommunity } from '../common/community'
import { Card } from '../common/components'
import { t } from '../common/i18n'
import { RequestCard } from './RequestCard'
import { MyPrivateErrands } from './PrivateErrands'
import { today } from '../../domain/calendar'

// On Today, after the rest of it: what the community offered this volunteer (accept or
// decline right here) and what they took and have not finished; on staff devices, how
// many needs nobody took for over a day and how many concerns are overdue (督办); on a
// 代办员's phone (whatever their role), the private errands sealed to it.

export default function AidForMe() {
  const { aid, concerns, actor, helps } = useCommunity()
  const mine = () => aid.forMe(actor().id)
  const unclaimed = () => (actor().staff ? aid.unclaimed(Date.now()).length : 0)
  const overdue = () => (actor().staff ? concerns.overdue(today()).length : 0)
  return (
    <>
      <MyPrivateErrands />
      <Show when={helps()}>
        <Show when={unclaimed() > 0}>
          <p role="alert" class="rounded-xl border-2 border-amber-700 bg-amber-50 p-3 font-semibold text-amber-900" data-testid="aid-unclaimed">
            {t('aid.unclaimed', { count: unclaimed() })} · <a class="underline" href="#/aid">{t('aid.unclaimedOpen')}</a>
          </p>
        </Show>
        <Show when={overdue() > 0}>
          <p role="alert" class="rounded-xl border-2 border-red-700 bg-red-50 p-3 font-semibold text-red-900" data-testid="concerns-overdue">
            {t('concerns.overdueToday', { count: overdue() })} · <a class="underline" href="#/aid">{t('concerns.overdueOpen')}</a>
          </p>
        </Show>
        <Show when={mine().length > 0}>
          <Card title={t('aid.forMe')}>
            <div class="space-y-3" data-testid="aid-for-me">
              <For each={mine().map((i) => i.request.id)}>{(id) => <RequestCard id={id} />}</For>
            </div>
          </Card>
        </Show>
      </Show>
    </>
  )
}
