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
import type { AidBoard } from './board'

type Item = NonNullable<ReturnType<AidBoard['item']>>
type Go = (type: AidEventType, details?: Parameters<AidBoard['step']>[2]) => void

/** One need or offer: what, for whom, where it stands, and the next step this person may take. */
export function RequestCard(props: { id: string }) {
  const { aid, actor, sync } = useCommunity()
  const item = () => aid.item(props.id)
  const [problem, setProblem] = createSignal<ProblemKey | undefined>()
  const [asking, setAsking] = createSignal<AidEventType | null>(null)
  const [editing, setEditing] = createSignal(false)

  const go: Go = (type, details = {}) => {
    const result = aid.step(props.id, type, details)
    setProblem(firstProblem(result))
    if (result.ok) setAsking(null)
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
          <RequestFacts item={i()} isTaker={isTaker()} notShared={notShared()} />
          <RequestActions item={i()} isRequester={isRequester()} isTaker={isTaker()} go={go} ask={setAsking} edit={() => setEditing(true)} />
          <Show when={editing()}>
            <div class="mt-3">
              <AidForm editing={i().request} onDone={() => setEditing(false)} />
            </div>
          </Show>
          <Show when={asking()}>{(type) => <StepForm item={i()} type={type()} go={go} cancel={() => setAsking(null)} />}</Show>
          <ProblemLine problem={problem()} />
          <RequestHistory item={i()} />
        </article>
      )}
    </Show>
  )
}

/** What the request is, for whom, and where it stands. */
function RequestFacts(props: { item: Item; isTaker: boolean; notShared: boolean }) {
  const { actor } = useCommunity()
  const request = () => props.item.request
  const status = () => props.item.status
  const overdue = () => request().due! < today() && (status().state === 'open' || status().state === 'taken')
  const paperworkDone = () => request().category === 'paperwork' && (status().state === 'done' || status().state === 'closed')
  return (
    <>
      <div class="flex flex-wrap items-center gap-2 text-[0.85em] font-semibold">
        <span class={`rounded-full px-3 ${request().kind === 'need' ? 'bg-rose-100 text-rose-900' : 'bg-emerald-100 text-emerald-900'}`}>{t(`aid.kind.${request().kind}`)}</span>
        <span class="rounded-full bg-stone-100 px-3">{t(`aid.cat.${request().category}`)}</span>
        <Show when={request().urgency === 'urgent'}>
          <span class="rounded-full bg-red-700 px-3 text-white">{t('aid.urgency.urgent')}</span>
        </Show>
        <span class="ml-auto" data-testid="aid-state">{t(`aid.state.${status().state}`)}</span>
        <SavingMark collection="aidRequests" id={request().id} />
      </div>
      <h3 class="mt-1 text-xl font-bold text-stone-900">{requestTitle(request())}</h3>
      <p class="text-stone-800">
        {t('aid.for', { name: requestFor(request()) })}
        {request().where ? ` · ${request().where}` : ''}
        {request().when ? ` · ${request().when}` : ''}
      </p>
      <Show when={isVisitHelp(request())}>
        <StaffOnly>
          <VisitBehind requestId={request().id} />
        </StaffOnly>
      </Show>
      <Show when={request().details}>
        <p class="whitespace-pre-wrap">{request().details}</p>
      </Show>
      <Show when={request().number}>
        <p class="font-semibold" data-testid="aid-number">{t('aid.number', { number: request().number! })}</p>
      </Show>
      <Show when={request().due}>
        <p class={overdue() ? 'font-bold text-red-800' : ''}>
          {t('aid.due', { date: request().due! })}
          {overdue() ? ` · ${t('aid.overdue')}` : ''}
        </p>
      </Show>
      <Show when={status().offered}>
        {(offer) => <p class="font-semibold" data-testid="aid-offered">{offer().id === actor().id ? t('aid.offeredToYou') : t('aid.offeredTo', { name: offer().name })}</p>}
      </Show>
      <Show when={status().taker}>
        {(taker) => <p class="font-semibold" data-testid="aid-taker">{taker().how === 'dispatch' ? t('aid.dispatchedTo', { name: taker().name }) : t('aid.takenBy', { name: taker().name })}</p>}
      </Show>
      <Show when={request().category === 'paperwork' && status().passedOnAt}>
        {(at) => <p data-testid="aid-passed-on">{t('aid.passedOnAt', { date: stampDay(at()) })}</p>}
      </Show>
      <Show when={paperworkDone()}>
        <p data-testid="aid-receipt" class={status().receiptBackAt ? '' : 'font-semibold text-amber-900'}>{status().receiptBackAt ? t('aid.receiptBackAt', { date: stampDay(status().receiptBackAt!) }) : t('aid.receiptNotBack')}</p>
      </Show>
      <Show when={status().doneNote}>
        <p>“{status().doneNote}”</p>
      </Show>
      <Show when={status().rating}>{(r) => <p data-testid="aid-rating">{t('aid.rated', { stars: '★'.repeat(r().stars) })} {r().comment}</p>}</Show>
      <Show when={lostTake(status(), actor().id)}>
        <p role="alert" class="mt-2 rounded-xl bg-amber-50 p-3 font-semibold text-amber-900" data-testid="lost-take">{t('aid.lostTake')}</p>
      </Show>
      <Show when={props.isTaker}>
        <p class="mt-1 font-bold text-green-800"><Kept>{t('aid.youTook')}</Kept></p>
      </Show>
      <Show when={props.notShared}>
        <p class="text-[0.9em] text-amber-800" data-testid="not-shared">{t('shifts.notShared')}</p>
      </Show>
    </>
  )
}

/** The steps this person may take now (the domain checks each again). */
function RequestActions(props: { item: Item; isRequester: boolean; isTaker: boolean; go: Go; ask: (type: AidEventType) => void; edit: () => void }) {
  const { actor, helps } = useCommunity()
  const request = () => props.item.request
  const status = () => props.item.status
  const state = () => status().state
  const mine = () => props.isRequester || actor().staff
  return (
    <div class="mt-3 flex flex-wrap gap-2">
      <Show when={state() === 'open' && helps() && !props.isRequester}>
        <Button data-testid="take" onClick={() => props.go('take')}>{t('aid.take')}</Button>
      </Show>
      <Show when={status().offered?.id === actor().id}>
        <Button data-testid="accept-dispatch" onClick={() => props.go('accept')}>{t('aid.accept')}</Button>
        <Button variant="secondary" data-testid="decline-dispatch" onClick={() => props.ask('decline')}>{t('aid.decline')}</Button>
      </Show>
      <Show when={(state() === 'open' || state() === 'offered') && actor().staff}>
        <Button variant="secondary" data-testid="dispatch" onClick={() => props.ask('dispatch')}>{state() === 'offered' ? t('aid.dispatchAgain') : t('aid.dispatch')}</Button>
      </Show>
      <Show when={state() === 'open' && mine()}>
        <Button variant="secondary" data-testid="edit-aid" onClick={() => props.edit()}>{t('shifts.edit')}</Button>
      </Show>
      <Show when={(state() === 'open' || state() === 'offered') && mine()}>
        <Button variant="secondary" onClick={() => props.ask('withdraw')}>{t('aid.withdraw')}</Button>
      </Show>
      <Show when={state() === 'taken' && (props.isTaker || actor().staff)}>
        <Show when={request().materials?.length && !status().materialsReceived}>
          <Button variant="secondary" onClick={() => props.go('received')}>{t('aid.received')}</Button>
        </Show>
        <Show when={request().category === 'paperwork' && !status().passedOnAt}>
          <Button variant="secondary" data-testid="passed-on" onClick={() => props.go('passedOn')}>{t('aid.passedOn')}</Button>
        </Show>
        <Button data-testid="mark-done" onClick={() => props.ask('done')}>{t('aid.markDone')}</Button>
      </Show>
      <Show when={state() === 'done' && mine()}>
        <Button data-testid="confirm-done" onClick={() => props.ask('confirm')}>{t('aid.confirm')}</Button>
        <Button variant="secondary" onClick={() => props.ask('notDone')}>{t('aid.notDone')}</Button>
      </Show>
      <Show when={request().category === 'paperwork' && (state() === 'done' || state() === 'closed') && !status().receiptBackAt && actor().staff}>
        <Button variant="secondary" data-testid="receipt-back" onClick={() => props.go('receiptBack')}>{t('aid.receiptBack')}</Button>
      </Show>
      <Show when={request().number}>
        <a href={`#/slip?id=${request().id}`} class="inline-flex min-h-12 items-center rounded-xl border-2 border-stone-700 px-4 font-semibold">{t('aid.printSlip')}</a>
      </Show>
    </div>
  )
}

/** What a step asks for before it is taken: whom to dispatch to, a note, a rating, or a yes to withdrawing. */
function StepForm(props: { item: Item; type: AidEventType; go: Go; cancel: () => void }) {
  const { aid } = useCommunity()
  const [note, setNote] = createSignal('')
  const [stars, setStars] = createSignal(0)
  const [volunteerId, setVolunteerId] = createSignal('')
  const volunteers = () => aid.volunteers(props.item.request.category === 'paperwork')
  const noted = () => props.type === 'done' || props.type === 'notDone' || props.type === 'decline'
  return (
    <>
      <Show when={props.type === 'dispatch'}>
        <div class="mt-3 rounded-xl bg-amber-50 p-3">
          <Select label={t('aid.dispatchTo')} name="volunteer" value={volunteerId()} options={[{ value: '', label: '—' }, ...volunteers().map((m) => ({ value: m.deviceId, label: m.name }))]} onChange={setVolunteerId} />
          <Button onClick={() => {
            const m = volunteers().find((x) => x.deviceId === volunteerId())
            props.go('dispatch', m ? { volunteer: { id: m.deviceId, name: m.name } } : {})
          }}>{t('aid.dispatch')}</Button>
        </div>
      </Show>
      <Show when={noted()}>
        <form class="mt-3 rounded-xl bg-amber-50 p-3" data-testid="aid-note-form" onSubmit={(e) => { e.preventDefault(); props.go(props.type, { note: note() }) }}>
          <Field label={props.type === 'done' ? t('aid.doneNote') : props.type === 'decline' ? t('aid.declineNote') : t('aid.notDoneNote')} name="note" multiline value={note()} onInput={setNote} />
          <Button type="submit">{props.type === 'done' ? t('aid.markDone') : props.type === 'decline' ? t('aid.decline') : t('aid.notDone')}</Button>
        </form>
      </Show>
      <Show when={props.type === 'confirm'}>
        <form class="mt-3 rounded-xl bg-amber-50 p-3" data-testid="aid-confirm-form" onSubmit={(e) => { e.preventDefault(); props.go('confirm', { stars: stars(), note: note() }) }}>
          <Chips label={t('acts.rateIt')} options={[1, 2, 3, 4, 5] as const} selected={(n) => stars() === n} onToggle={setStars} text={(n) => '★'.repeat(n)} testid="aid-stars" />
          <Field label={t('aid.ratingComment')} name="comment" value={note()} onInput={setNote} />
          <Button type="submit">{t('aid.confirm')}</Button>
        </form>
      </Show>
      <Show when={props.type === 'withdraw'}>
        <Confirm message={t('aid.withdrawConfirm', { title: requestTitle(props.item.request) })} confirmLabel={t('aid.withdraw')} onCancel={() => props.cancel()} onConfirm={() => props.go('withdraw')} />
      </Show>
    </>
  )
}

/** Every step taken, and those that did not count (a take that came second). */
function RequestHistory(props: { item: Item }) {
  return (
    <Show when={props.item.status.history.length > 0}>
      <details class="mt-3">
        <summary class="min-h-12 cursor-pointer content-center font-semibold">{t('aid.history')}</summary>
        <ol class="space-y-1 text-[0.9em]">
          <For each={props.item.status.history}>
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
