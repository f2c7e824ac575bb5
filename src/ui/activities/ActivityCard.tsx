import { createMemo, createSignal, For, Show } from 'solid-js'
import { nowTime, today } from '../../domain/calendar'
import { calendarText } from '../../domain/ics'
import { statusOf } from '../../domain/places'
import { Button, Chips, Confirm, Field, Kept, ProblemLine, SavingMark } from '../common/components'
import { StaffOnly, useCommunity, useStaff } from '../common/community'
import { CancelWithReason, MyPlaceLine, OnBehalfForm } from '../common/calendar-parts'
import { downloadText } from '../common/download'
import { problemText, t } from '../common/i18n'
import { ActivityForm } from './ActivityForm'
import { firstProblem, type Checked, type ProblemKey } from '../../domain/validation'

/** One activity: when and where, who is going, and what this person can do. */
export function ActivityCard(props: { id: string }) {
  const { activities, actor, sync } = useCommunity()
  const view = createMemo(() => activities.viewOf(props.id))
  const mine = createMemo(() => {
    const v = view()
    return v ? statusOf(v, actor().id) : { status: 'none' as const, position: 0 }
  })
  const [problem, setProblem] = createSignal<ProblemKey | undefined>()
  const [confirming, setConfirming] = createSignal<'rsvp' | 'cancel' | null>(null)
  const [editing, setEditing] = createSignal(false)
  const act = (result: Checked<unknown>) => setProblem(firstProblem(result))
  const myRsvp = () => activities.rsvpOf(props.id, actor().id)
  const notShared = () => {
    const entry = myRsvp()
    return entry !== undefined && !sync.isShared(entry.updatedAt)
  }
  const held = () => {
    const a = view()?.activity
    return a !== undefined && (a.date < today() || (a.date === today() && a.start <= nowTime()))
  }

  const addToCalendar = () => {
    const a = view()!.activity
    const event = { uid: `${a.id}@neighbours`, title: a.title, date: a.date, start: a.start, end: a.end, location: a.place, description: a.description }
    downloadText(`activity-${a.date}.ics`, calendarText(a.title, [event]), 'text/calendar')
  }

  return (
    <Show when={view()}>
      {(v) => (
        <article
          class={`list-card rounded-2xl border-2 p-4 ${v().cancelled ? 'border-stone-300 bg-stone-100 text-stone-600' : 'border-stone-300 bg-white'}`}
          data-testid="activity-card"
          data-status={mine().status}
        >
          <Show when={!editing()} fallback={<StaffOnly><ActivityForm editing={v().activity} onDone={() => setEditing(false)} /></StaffOnly>}>
            <div class="flex flex-wrap items-baseline justify-between gap-2">
              <h3 class="text-xl font-bold text-stone-900">{v().activity.title}<SavingMark collection="activities" id={props.id} /></h3>
              <span class="rounded-full bg-sky-100 px-3 text-[0.85em] font-semibold text-sky-900">{t(`act.cat.${v().activity.category}`)}</span>
            </div>
            <p class="text-lg font-semibold">
              {v().activity.start}–{v().activity.end}
              <Show when={v().activity.place}> · {v().activity.place}</Show>
            </p>
            <Show when={activities.groupOf(v().activity.groupId)}>{(g) => <p>{t('acts.group', { name: g().name })}</p>}</Show>
            <Show when={v().activity.leader}>
              <p>{t('acts.leader', { name: v().activity.leader })}</p>
            </Show>
            <Show when={v().activity.description}>
              <p class="whitespace-pre-wrap text-stone-800">{v().activity.description}</p>
            </Show>
            <Show
              when={!v().cancelled}
              fallback={
                <p class="mt-2 font-bold text-red-800" data-testid="activity-cancelled">
                  {activities.cancellationOf(props.id)?.reason ? t('shifts.cancelledReason', { reason: activities.cancellationOf(props.id)!.reason }) : t('shifts.cancelled')}
                </p>
              }
            >
              <p class="mt-2 font-semibold" data-testid="going">
                {t('acts.goingCount', { count: v().confirmed.length })}
                {' · '}
                {v().activity.capacity === null ? t('acts.openToAll') : v().placesLeft! > 0 ? t('shifts.placesLeft', { count: v().placesLeft! }) : t('shifts.full')}
                <Show when={v().waitlist.length > 0}> · {t('shifts.waiting', { count: v().waitlist.length })}</Show>
              </p>
            </Show>

            <MyPlaceLine
              status={mine().status}
              position={mine().position}
              notShared={notShared()}
              words={{ in: t('acts.youGo'), wait: t('acts.youWait', { position: mine().position }), bumped: t('acts.bumped', { position: mine().position }), promoted: t('acts.promoted') }}
            />

            <div class="mt-3 flex flex-wrap gap-2">
              <Show when={!v().cancelled && !held()}>
                <Show
                  when={mine().status === 'none'}
                  fallback={<Button variant="secondary" data-testid="cancel-rsvp" onClick={() => setConfirming('rsvp')}>{t('acts.cancelRsvp')}</Button>}
                >
                  <Button data-testid="rsvp" onClick={() => act(activities.rsvp(props.id))}>
                    {v().placesLeft === null || v().placesLeft! > 0 ? t('acts.rsvp') : t('acts.waitlist')}
                  </Button>
                </Show>
              </Show>
              <Show when={!v().cancelled}>
                <Button variant="secondary" data-testid="activity-ics" onClick={addToCalendar}>{t('acts.addToCalendar')}</Button>
              </Show>
            </div>
            <ProblemLine problem={problem()} />

            <Show when={!v().cancelled && held()}>
              <RatingForm id={props.id} />
            </Show>
            <Show when={!v().cancelled}>
              <StaffOnly>
                <StaffTools id={props.id} held={held()} onEdit={() => setEditing(true)} onCancel={() => setConfirming('cancel')} />
              </StaffOnly>
            </Show>
          </Show>

          <Show when={confirming() === 'rsvp'}>
            <Confirm
              message={t('acts.cancelRsvpConfirm', { title: v().activity.title })}
              confirmLabel={t('acts.cancelRsvp')}
              onCancel={() => setConfirming(null)}
              onConfirm={() => {
                act(activities.cancelRsvp(props.id))
                setConfirming(null)
              }}
            />
          </Show>
          <Show when={confirming() === 'cancel'}>
            <StaffOnly>
              <CancelActivity id={props.id} message={t('acts.cancelConfirm', { title: v().activity.title, date: v().activity.date })} onDone={(result) => {
                if (result) act(result)
                setConfirming(null)
              }} />
            </StaffOnly>
          </Show>
        </article>
      )}
    </Show>
  )
}

function RatingForm(props: { id: string }) {
  const { activities, actor } = useCommunity()
  const existing = () => activities.myRating(props.id, actor().id)
  const [stars, setStars] = createSignal(existing()?.stars ?? 0)
  const [comment, setComment] = createSignal(existing()?.comment ?? '')
  const [problem, setProblem] = createSignal<ProblemKey | undefined>()
  const [sent, setSent] = createSignal(false)
  const send = (event: Event) => {
    event.preventDefault()
    const result = activities.rate(props.id, stars(), comment())
    setProblem(firstProblem(result))
    setSent(result.ok)
  }
  return (
    <form onSubmit={send} class="mt-3 rounded-xl bg-amber-50 p-3" data-testid="rating-form">
      <Chips label={t('acts.rateIt')} options={[1, 2, 3, 4, 5] as const} selected={(n) => stars() === n} onToggle={setStars} text={(n) => '★'.repeat(n)} problem={problemText(problem())} testid="stars" />
      <Field label={t('acts.comment')} name="comment" value={comment()} onInput={setComment} />
      <div class="flex items-center gap-3">
        <Button type="submit">{t('acts.sendRating')}</Button>
        <Show when={sent()}>
          <span role="status"><Kept>{t('acts.thanks')}</Kept></span>
        </Show>
      </div>
    </form>
  )
}

function StaffTools(props: { id: string; held: boolean; onEdit: () => void; onCancel: () => void }) {
  const { activities } = useCommunity()
  const staff = useStaff()
  const [count, setCount] = createSignal(String(activities.headcountOf(props.id)?.count ?? ''))
  const [countProblem, setCountProblem] = createSignal<ProblemKey | undefined>()
  const going = () => activities.viewOf(props.id)?.confirmed ?? []
  const saveCount = (event: Event) => {
    event.preventDefault()
    const result = staff.activities.recordHeadcount(props.id, count().trim() === '' ? NaN : Number(count()))
    setCountProblem(firstProblem(result))
  }
  return (
    <details class="mt-3 rounded-xl border border-stone-300 p-3">
      <summary class="min-h-12 cursor-pointer content-center font-semibold">{t('acts.manage')}</summary>
      <p class="mt-2">{going().map((e) => e.personName).join('、')}</p>
      <OnBehalfForm onPerson={(person) => firstProblem(staff.activities.rsvpFor(props.id, person))} />
      <Show when={props.held}>
        <form onSubmit={saveCount} class="mt-4">
          <Field label={t('acts.headcount')} name="headcount" type="number" value={count()} problem={problemText(countProblem())} onInput={setCount} />
          <Button type="submit" variant="secondary">{t('common.save')}</Button>
          <Show when={activities.headcountOf(props.id)}>{(h) => <span class="ml-3">{t('acts.headcountSaved', { count: h().count })}</span>}</Show>
        </form>
        <For each={activities.ratingsOf(props.id)}>{(r) => <p class="text-[0.9em]">{'★'.repeat(r.stars)} {r.personName}{r.comment ? `：${r.comment}` : ''}</p>}</For>
      </Show>
      <div class="mt-4 flex flex-wrap gap-2">
        <Button variant="secondary" onClick={() => props.onEdit()}>{t('shifts.edit')}</Button>
        <Button variant="danger" data-testid="cancel-activity" onClick={() => props.onCancel()}>{t('acts.cancel')}</Button>
      </div>
    </details>
  )
}

/** Staff cancel an activity, with a reason everyone sees. */
function CancelActivity(props: { id: string; message: string; onDone: (result?: Checked<unknown>) => void }) {
  const staff = useStaff()
  return (
    <CancelWithReason
      message={props.message}
      confirmLabel={t('acts.cancel')}
      onCancel={() => props.onDone()}
      onConfirm={(reason) => props.onDone(staff.activities.cancel(props.id, reason))}
    />
  )
}
