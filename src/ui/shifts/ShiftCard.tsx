import { createMemo, createSignal, For, Show } from 'solid-js'
import { today } from '../../domain/calendar'
import { entryKey, isIn, stampTime, statusOf } from '../../domain/places'
import { cancelShift, markAttendance, signUp, withdraw } from '../../store/shifts'
import type { CommunitySession } from '../../session'
import { Button, Confirm } from '../common/components'
import { CancelWithReason, OnBehalfForm } from '../common/calendar-parts'
import { problemText, t } from '../common/i18n'
import { isConfirmed } from '../../sync/activity'
import type { ShiftBoard } from './board'
import { ShiftForm } from './ShiftForm'
import { firstProblem, type Checked, type ProblemKey } from '../../domain/validation'
import type { Actor } from '../../domain/actor'


/** One shift: what it is, who is coming, and what this person can do about it. */
export function ShiftCard(props: { session: CommunitySession; board: ShiftBoard; id: string; me: Actor }) {
  const view = createMemo(() => props.board.viewOf(props.id))
  const [problem, setProblem] = createSignal<ProblemKey | undefined>()
  const [confirming, setConfirming] = createSignal<'withdraw' | 'cancel' | null>(null)
  const [editing, setEditing] = createSignal(false)
  const doc = () => props.session.publicSpace.doc
  const clock = () => props.session.clock
  const person = () => ({ id: props.me.id, name: props.me.name })

  const mine = createMemo(() => {
    const v = view()
    return v ? statusOf(v, props.me.id) : { status: 'none' as const, position: 0 }
  })
  const mySignup = () => props.board.signupOf(props.id, props.me.id)
  // "Saved on this phone only": no peer has confirmed holding my entry yet.
  const notShared = () => {
    const signup = mySignup()
    return signup !== undefined && !isConfirmed(props.session.publicSpace.status(), stampTime(signup.updatedAt))
  }

  const act = (result: Checked<unknown>) => {
    setProblem(firstProblem(result))
  }

  return (
    <Show when={view()}>
      {(v) => (
        <article
          class={`rounded-2xl border-2 p-4 ${v().cancelled ? 'border-stone-300 bg-stone-100 text-stone-600' : 'border-stone-300 bg-white'}`}
          data-testid="shift-card"
          data-shift-id={props.id}
          data-status={mine().status}
        >
          <Show when={!editing()} fallback={<ShiftForm session={props.session} by={person()} editing={v().shift} onDone={() => setEditing(false)} />}>
            <div class="flex flex-wrap items-baseline justify-between gap-2">
              <h3 class="text-xl font-bold text-stone-900">{v().shift.title}</h3>
              <span class="rounded-full bg-amber-100 px-3 text-[0.85em] font-semibold text-amber-900">{t(`shift.cat.${v().shift.category}`)}</span>
            </div>
            <p class="text-lg font-semibold">
              {v().shift.start}–{v().shift.end}
              <Show when={v().shift.place}> · {v().shift.place}</Show>
            </p>
            <Show when={v().shift.skill}>
              <p>{t('shifts.skill', { skill: v().shift.skill })}</p>
            </Show>
            <Show when={v().shift.notes}>
              <p class="whitespace-pre-wrap text-stone-800">{v().shift.notes}</p>
            </Show>
            <Show
              when={!v().cancelled}
              fallback={
                <p class="mt-2 font-bold text-red-800" data-testid="shift-cancelled">
                  {props.board.cancellationOf(props.id)?.reason ? t('shifts.cancelledReason', { reason: props.board.cancellationOf(props.id)!.reason }) : t('shifts.cancelled')}
                </p>
              }
            >
              <p class="mt-2 font-semibold" data-testid="places">
                {v().placesLeft! > 0 ? t('shifts.placesLeft', { count: v().placesLeft! }) : t('shifts.full')}
                {' · '}
                {t('shifts.of', { count: v().shift.places })}
                <Show when={v().waitlist.length > 0}> · {t('shifts.waiting', { count: v().waitlist.length })}</Show>
              </p>
              <p class="text-stone-800" data-testid="coming">
                {v().confirmed.length > 0 ? t('shifts.coming', { names: v().confirmed.map((s) => s.personName).join('、') }) : t('shifts.nobodyYet')}
              </p>
            </Show>

            <Show when={mine().status === 'bumped'}>
              <p role="alert" class="mt-2 rounded-xl bg-red-50 p-3 font-semibold text-red-900" data-testid="bumped-notice">
                {t('shifts.bumped', { position: mine().position })}
              </p>
            </Show>
            <Show when={isIn(mine().status)}>
              <p class="mt-2 font-bold text-green-800">{t('shifts.youAreIn')}</p>
            </Show>
            <Show when={mine().status === 'waitlisted'}>
              <p class="mt-2 font-bold text-amber-800">{t('shifts.youWait', { position: mine().position })}</p>
            </Show>
            <Show when={mine().status !== 'none' && notShared()}>
              <p class="text-[0.9em] text-amber-800" data-testid="not-shared">{t('shifts.notShared')}</p>
            </Show>
            <Show when={mySignup()?.active && mySignup()!.byId !== props.me.id}>
              <p class="text-[0.9em] text-stone-700">{t('shifts.byOther', { name: mySignup()!.byName })}</p>
            </Show>

            <Show when={!v().cancelled && v().shift.date >= today()}>
              <div class="mt-3 flex flex-wrap gap-2">
                <Show
                  when={mine().status === 'none'}
                  fallback={
                    <Button variant="secondary" data-testid="withdraw" onClick={() => setConfirming('withdraw')}>
                      {t('shifts.withdraw')}
                    </Button>
                  }
                >
                  <Button data-testid="sign-up" onClick={() => act(signUp(doc(), clock(), props.id, person(), person()))}>
                    {v().placesLeft! > 0 ? t('shifts.signUp') : t('shifts.joinWaitlist')}
                  </Button>
                </Show>
              </div>
            </Show>
            <Show when={problem()}>
              <p role="alert" class="mt-2 font-semibold text-red-800">{problemText(problem())}</p>
            </Show>

            <Show when={props.me.staff && !v().cancelled}>
              <details class="mt-3 rounded-xl border border-stone-300 p-3">
                <summary class="min-h-12 cursor-pointer content-center font-semibold">{t('shifts.onBehalf')} · {t('shifts.attendance')} · {t('shifts.edit')}</summary>
                <OnBehalfForm onPerson={(volunteer) => {
                  const result = signUp(doc(), clock(), props.id, volunteer, person())
                  return firstProblem(result)
                }} />
                <Show when={v().shift.date <= today() && v().confirmed.length > 0}>
                  <h4 class="mt-4 font-bold">{t('shifts.attendance')}</h4>
                  <ul class="divide-y divide-stone-200" data-testid="attendance">
                    <For each={v().confirmed}>
                      {(signup) => {
                        const status = () => props.board.attendanceOf(entryKey(props.id, signup.personId))?.status
                        const mark = (s: 'attended' | 'noshow') => act(markAttendance(doc(), clock(), props.id, signup.personId, s, person(), today()))
                        return (
                          <li class="flex flex-wrap items-center justify-between gap-2 py-2" data-testid="attendance-row" data-volunteer={signup.personName}>
                            <span class="font-semibold">{signup.personName}</span>
                            <span class="flex gap-2">
                              <Button variant={status() === 'attended' ? 'primary' : 'secondary'} aria-pressed={status() === 'attended'} onClick={() => mark('attended')}>{t('shifts.attended')}</Button>
                              <Button variant={status() === 'noshow' ? 'danger' : 'secondary'} aria-pressed={status() === 'noshow'} onClick={() => mark('noshow')}>{t('shifts.noshow')}</Button>
                            </span>
                          </li>
                        )
                      }}
                    </For>
                  </ul>
                </Show>
                <div class="mt-4 flex flex-wrap gap-2">
                  <Button variant="secondary" onClick={() => setEditing(true)}>{t('shifts.edit')}</Button>
                  <Button variant="danger" data-testid="cancel-shift" onClick={() => setConfirming('cancel')}>{t('shifts.cancel')}</Button>
                </div>
              </details>
            </Show>
          </Show>

          <Show when={confirming() === 'withdraw'}>
            <Confirm
              message={t('shifts.withdrawConfirm', { title: v().shift.title })}
              confirmLabel={t('shifts.withdraw')}
              onCancel={() => setConfirming(null)}
              onConfirm={() => {
                act(withdraw(doc(), clock(), props.id, props.me.id, person()))
                setConfirming(null)
              }}
            />
          </Show>
          <Show when={confirming() === 'cancel'}>
            <CancelWithReason
              message={t('shifts.cancelConfirm', { title: v().shift.title, date: v().shift.date })}
              confirmLabel={t('shifts.cancel')}
              onCancel={() => setConfirming(null)}
              onConfirm={(reason) => {
                act(cancelShift(doc(), clock(), person(), props.id, reason))
                setConfirming(null)
              }}
            />
          </Show>
        </article>
      )}
    </Show>
  )
}
