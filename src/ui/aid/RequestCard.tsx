import { createSignal, For, Show } from 'solid-js'
import { StaffOnly, useCommunity, useStaff } from '../common/community'
import { today } from '../../domain/calendar'
import { stampDay } from '../../domain/hlc'
import { lostTake, type AidEventType } from '../../domain/aid'
import { Button, Chips, Confirm, Field, Kept, ProblemLine, Select, SavingMark } from '../common/components'
import { t } from '../common/i18n'
import { AidForm } from './AidForm'
import { requestFor, requestTitle } from './labels'
import { isVisitHelp } from '../../domain/visits'
import { firstProblem, type ProblemKey } from '../../domain/validation'

/** One need or offer: what, for whom, where it stands, and the next step this person may take. */
export function RequestCard(props: { id: string }) {
  const { aid, actor, helps, sync } = useCommunity()
  const item = () => aid.item(props.id)
  const [problem, setProblem] = createSignal<ProblemKey | undefined>()
  const [asking, setAsking] = createSignal<AidEventType | null>(null)
  const [note, setNote] = createSignal('')
  const [stars, setStars] = createSignal(0)
  const [volunteerId, setVolunteerId] = createSignal('')
  const [editing, setEditing] = createSignal(false)

  const go = (type: AidEventType, details: Parameters<typeof aid.step>[2] = {}) => {
    const result = aid.step(props.id, type, details)
    setProblem(firstProblem(result))
    if (result.ok) {
      setAsking(null)
      setNote('')
    }
  }
  const isRequester = () => item()?.request.postedBy === actor().id || item()?.request.forId === actor().id
  const isTaker = () => item()?.status.taker?.id === actor().id
  // My newest write here (the post itself, or a step I took) is not yet held by a peer.
  const notShared = () => {
    const i = item()
    if (!i) return false
    const mine = [i.request.postedBy === actor().id ? i.request.editedAt : '', ...i.status.history.filter((h) => h.event.byId === actor().id).map((h) => h.event.stamp)]
    const newest = mine.filter(Boolean).sort().at(-1)
    return newest !== undefined && !sync.isShared(newest)
  }

  return (
    <Show when={item()}>
      {(i) => (
        <article class="list-card rounded-2xl border-2 border-stone-300 bg-white p-4" data-testid="aid-card" data-state={i().status.state}>
          <div class="flex flex-wrap items-center gap-2 text-[0.85em] font-semibold">
            <span class={`rounded-full px-3 ${i().request.kind === 'need' ? 'bg-rose-100 text-rose-900' : 'bg-emerald-100 text-emerald-900'}`}>{t(`aid.kind.${i().request.kind}`)}</span>
            <span class="rounded-full bg-stone-100 px-3">{t(`aid.cat.${i().request.category}`)}</span>
            <Show when={i().request.urgency === 'urgent'}>
              <span class="rounded-full bg-red-700 px-3 text-white">{t('aid.urgency.urgent')}</span>
            </Show>
            <span class="ml-auto" data-testid="aid-state">{t(`aid.state.${i().status.state}`)}</span>
            <SavingMark collection="aidRequests" id={props.id} />
          </div>
          <h3 class="mt-1 text-xl font-bold text-stone-900">{requestTitle(i().request)}</h3>
          <p class="text-stone-800">
            {t('aid.for', { name: requestFor(i().request) })}
            {i().request.where ? ` · ${i().request.where}` : ''}
            {i().request.when ? ` · ${i().request.when}` : ''}
          </p>
          <Show when={isVisitHelp(i().request)}>
            <StaffOnly>
              <VisitBehind requestId={i().request.id} />
            </StaffOnly>
          </Show>
          <Show when={i().request.details}>
            <p class="whitespace-pre-wrap">{i().request.details}</p>
          </Show>
          <Show when={i().request.number}>
            <p class="font-semibold" data-testid="aid-number">{t('aid.number', { number: i().request.number! })}</p>
          </Show>
          <Show when={i().request.due}>
            <p class={i().request.due! < today() && (i().status.state === 'open' || i().status.state === 'taken') ? 'font-bold text-red-800' : ''}>
              {t('aid.due', { date: i().request.due! })}
              {i().request.due! < today() && (i().status.state === 'open' || i().status.state === 'taken') ? ` · ${t('aid.overdue')}` : ''}
            </p>
          </Show>
          <Show when={i().status.offered}>
            {(offer) => <p class="font-semibold" data-testid="aid-offered">{offer().id === actor().id ? t('aid.offeredToYou') : t('aid.offeredTo', { name: offer().name })}</p>}
          </Show>
          <Show when={i().status.taker}>
            {(taker) => <p class="font-semibold" data-testid="aid-taker">{taker().how === 'dispatch' ? t('aid.dispatchedTo', { name: taker().name }) : t('aid.takenBy', { name: taker().name })}</p>}
          </Show>
          <Show when={i().request.category === 'paperwork' && i().status.passedOnAt}>
            {(at) => <p data-testid="aid-passed-on">{t('aid.passedOnAt', { date: stampDay(at()) })}</p>}
          </Show>
          <Show when={i().request.category === 'paperwork' && (i().status.state === 'done' || i().status.state === 'closed')}>
            <p data-testid="aid-receipt" class={i().status.receiptBackAt ? '' : 'font-semibold text-amber-900'}>{i().status.receiptBackAt ? t('aid.receiptBackAt', { date: stampDay(i().status.receiptBackAt!) }) : t('aid.receiptNotBack')}</p>
          </Show>
          <Show when={i().status.doneNote}>
            <p>“{i().status.doneNote}”</p>
          </Show>
          <Show when={i().status.rating}>{(r) => <p data-testid="aid-rating">{t('aid.rated', { stars: '★'.repeat(r().stars) })} {r().comment}</p>}</Show>
          <Show when={lostTake(i().status, actor().id)}>
            <p role="alert" class="mt-2 rounded-xl bg-amber-50 p-3 font-semibold text-amber-900" data-testid="lost-take">{t('aid.lostTake')}</p>
          </Show>
          <Show when={isTaker()}>
            <p class="mt-1 font-bold text-green-800"><Kept>{t('aid.youTook')}</Kept></p>
          </Show>
          <Show when={notShared()}>
            <p class="text-[0.9em] text-amber-800" data-testid="not-shared">{t('shifts.notShared')}</p>
          </Show>

          <div class="mt-3 flex flex-wrap gap-2">
            <Show when={i().status.state === 'open' && helps() && !isRequester()}>
              <Button data-testid="take" onClick={() => go('take')}>{t('aid.take')}</Button>
            </Show>
            <Show when={i().status.offered?.id === actor().id}>
              <Button data-testid="accept-dispatch" onClick={() => go('accept')}>{t('aid.accept')}</Button>
              <Button variant="secondary" data-testid="decline-dispatch" onClick={() => setAsking('decline')}>{t('aid.decline')}</Button>
            </Show>
            <Show when={(i().status.state === 'open' || i().status.state === 'offered') && actor().staff}>
              <Button variant="secondary" data-testid="dispatch" onClick={() => setAsking('dispatch')}>{i().status.state === 'offered' ? t('aid.dispatchAgain') : t('aid.dispatch')}</Button>
            </Show>
            <Show when={i().status.state === 'open' && (isRequester() || actor().staff)}>
              <Button variant="secondary" data-testid="edit-aid" onClick={() => setEditing(true)}>{t('shifts.edit')}</Button>
            </Show>
            <Show when={(i().status.state === 'open' || i().status.state === 'offered') && (isRequester() || actor().staff)}>
              <Button variant="secondary" onClick={() => setAsking('withdraw')}>{t('aid.withdraw')}</Button>
            </Show>
            <Show when={i().status.state === 'taken' && (isTaker() || actor().staff)}>
              <Show when={i().request.materials?.length && !i().status.materialsReceived}>
                <Button variant="secondary" onClick={() => go('received')}>{t('aid.received')}</Button>
              </Show>
              <Show when={i().request.category === 'paperwork' && !i().status.passedOnAt}>
                <Button variant="secondary" data-testid="passed-on" onClick={() => go('passedOn')}>{t('aid.passedOn')}</Button>
              </Show>
              <Button data-testid="mark-done" onClick={() => setAsking('done')}>{t('aid.markDone')}</Button>
            </Show>
            <Show when={i().status.state === 'done' && (isRequester() || actor().staff)}>
              <Button data-testid="confirm-done" onClick={() => setAsking('confirm')}>{t('aid.confirm')}</Button>
              <Button variant="secondary" onClick={() => setAsking('notDone')}>{t('aid.notDone')}</Button>
            </Show>
            <Show when={i().request.category === 'paperwork' && (i().status.state === 'done' || i().status.state === 'closed') && !i().status.receiptBackAt && actor().staff}>
              <Button variant="secondary" data-testid="receipt-back" onClick={() => go('receiptBack')}>{t('aid.receiptBack')}</Button>
            </Show>
            <Show when={i().request.number}>
              <a href={`#/slip?id=${props.id}`} class="inline-flex min-h-12 items-center rounded-xl border-2 border-stone-700 px-4 font-semibold">{t('aid.printSlip')}</a>
            </Show>
          </div>

          <Show when={editing()}>
            <div class="mt-3">
              <AidForm editing={i().request} onDone={() => setEditing(false)} />
            </div>
          </Show>
          <Show when={asking() === 'dispatch'}>
            <div class="mt-3 rounded-xl bg-amber-50 p-3">
              <Select label={t('aid.dispatchTo')} name="volunteer" value={volunteerId()} options={[{ value: '', label: '—' }, ...aid.volunteers(i().request.category === 'paperwork').map((m) => ({ value: m.deviceId, label: m.name }))]} onChange={setVolunteerId} />
              <Button onClick={() => {
                const m = aid.volunteers(i().request.category === 'paperwork').find((x) => x.deviceId === volunteerId())
                go('dispatch', m ? { volunteer: { id: m.deviceId, name: m.name } } : {})
              }}>{t('aid.dispatch')}</Button>
            </div>
          </Show>
          <Show when={asking() === 'done' || asking() === 'notDone' || asking() === 'decline'}>
            <form class="mt-3 rounded-xl bg-amber-50 p-3" data-testid="aid-note-form" onSubmit={(e) => { e.preventDefault(); go(asking()!, { note: note() }) }}>
              <Field label={asking() === 'done' ? t('aid.doneNote') : asking() === 'decline' ? t('aid.declineNote') : t('aid.notDoneNote')} name="note" multiline value={note()} onInput={setNote} />
              <Button type="submit">{asking() === 'done' ? t('aid.markDone') : asking() === 'decline' ? t('aid.decline') : t('aid.notDone')}</Button>
            </form>
          </Show>
          <Show when={asking() === 'confirm'}>
            <form class="mt-3 rounded-xl bg-amber-50 p-3" data-testid="aid-confirm-form" onSubmit={(e) => { e.preventDefault(); go('confirm', { stars: stars(), note: note() }) }}>
              <Chips label={t('acts.rateIt')} options={[1, 2, 3, 4, 5] as const} selected={(n) => stars() === n} onToggle={setStars} text={(n) => '★'.repeat(n)} testid="aid-stars" />
              <Field label={t('aid.ratingComment')} name="comment" value={note()} onInput={setNote} />
              <Button type="submit">{t('aid.confirm')}</Button>
            </form>
          </Show>
          <Show when={asking() === 'withdraw'}>
            <Confirm message={t('aid.withdrawConfirm', { title: requestTitle(i().request) })} confirmLabel={t('aid.withdraw')} onCancel={() => setAsking(null)} onConfirm={() => go('withdraw')} />
          </Show>
          <ProblemLine problem={problem()} />

          <Show when={i().status.history.length > 0}>
            <details class="mt-3">
              <summary class="min-h-12 cursor-pointer content-center font-semibold">{t('aid.history')}</summary>
              <ol class="space-y-1 text-[0.9em]">
                <For each={i().status.history}>
                  {(h) => (
                    <li class={h.applied ? '' : 'text-stone-500'}>
                      {t(`aid.event.${h.event.type}`, { name: h.event.type === 'dispatch' ? (h.event.volunteerName ?? '') : h.event.byName, by: h.event.byName })}
                      {h.event.note ? `：${h.event.note}` : ''}
                      {h.applied ? '' : ` ${t('aid.event.ignored')}`}
                    </li>
                  )}
                </For>
              </ol>
            </details>
          </Show>
        </article>
      )}
    </Show>
  )
}

/** Staff only: the household and note behind a "needs help" posted after a visit (from the staff space). */
function VisitBehind(props: { requestId: string }) {
  const { visits } = useStaff()
  const visit = () => visits.visitOfRequest(props.requestId)
  return (
    <Show when={visit()}>
      {(v) => (
        <p class="rounded-lg bg-amber-50 p-2 text-stone-900" data-testid="visit-behind">
          {t('aid.visitBehind', { name: visits.householdOf(v().householdId)?.label ?? '', note: v().note, visitor: v().visitorName })}
        </p>
      )}
    </Show>
  )
}
