import { createMemo, createSignal, For, Show } from 'solid-js'
import { dayOf, timeOf, today } from '../../domain/calendar'
import { entryKey, stampTime, statusOf } from '../../domain/places'
import type { ShiftView } from '../../domain/shifts'
import { firstProblem, type Checked, type ProblemKey } from '../../domain/validation'
import { Button, Confirm, ProblemLine, Select, SavingMark } from '../common/components'
import { CancelWithReason, MyPlaceLine, OnBehalfForm } from '../common/calendar-parts'
import { StaffOnly, useCommunity, useStaff } from '../common/community'
import { t } from '../common/i18n'
import { ShiftForm } from './ShiftForm'

// One shift, in parts: what it is and who is coming (ShiftDetails), this person's
// place and the button to take or give it up (MyPlace), and, on a staff device, the
// tools to sign someone up, mark attendance, edit or cancel (StaffTools).

/** One shift: what it is, who is coming, and what this person can do about it. */
export function ShiftCard(props: { id: string }) {
  const { shifts, actor } = useCommunity()
  const view = createMemo(() => shifts.viewOf(props.id))
  const [editing, setEditing] = createSignal(false)
  const status = () => {
    const v = view()
    return v ? statusOf(v, actor().id).status : 'none'
  }
  return (
    <Show when={view()}>
      {(v) => (
        <article
          class={`list-card rounded-2xl border-2 p-4 ${v().cancelled ? 'border-stone-300 bg-stone-100 text-stone-600' : 'border-stone-300 bg-white'}`}
          data-testid="shift-card"
          data-shift-id={props.id}
          data-status={status()}
        >
          <Show when={!editing()} fallback={<StaffOnly><ShiftForm editing={v().shift} onDone={() => setEditing(false)} /></StaffOnly>}>
            <ShiftDetails view={v()} />
            <MyPlace view={v()} />
            <Show when={!v().cancelled}>
              <StaffOnly>
                <StaffTools view={v()} onEdit={() => setEditing(true)} />
              </StaffOnly>
            </Show>
          </Show>
        </article>
      )}
    </Show>
  )
}

function ShiftDetails(props: { view: ShiftView }) {
  const { shifts } = useCommunity()
  const shift = () => props.view.shift
  const reason = () => shifts.cancellationOf(shift().id)?.reason
  return (
    <>
      <div class="flex flex-wrap items-baseline justify-between gap-2">
        <h3 class="text-xl font-bold text-stone-900">{shift().title}<SavingMark collection="shifts" id={shift().id} /></h3>
        <span class="rounded-full bg-amber-100 px-3 text-[0.85em] font-semibold text-amber-900">{t(`shift.cat.${shift().category}`)}</span>
      </div>
      <p class="text-lg font-semibold">
        {shift().start}–{shift().end}
        <Show when={shift().place}> · {shift().place}</Show>
      </p>
      <Show when={shift().skill}>
        <p>{t('shifts.skill', { skill: shift().skill })}</p>
      </Show>
      <Show when={shift().notes}>
        <p class="whitespace-pre-wrap text-stone-800">{shift().notes}</p>
      </Show>
      <Show
        when={!props.view.cancelled}
        fallback={
          <p class="mt-2 font-bold text-red-800" data-testid="shift-cancelled">
            {reason() ? t('shifts.cancelledReason', { reason: reason()! }) : t('shifts.cancelled')}
          </p>
        }
      >
        <p class="mt-2 font-semibold" data-testid="places">
          {props.view.placesLeft! > 0 ? t('shifts.placesLeft', { count: props.view.placesLeft! }) : t('shifts.full')}
          {' · '}
          {t('shifts.of', { count: shift().places })}
          <Show when={props.view.waitlist.length > 0}> · {t('shifts.waiting', { count: props.view.waitlist.length })}</Show>
        </p>
        <p class="text-stone-800" data-testid="coming">
          {props.view.confirmed.length > 0 ? t('shifts.coming', { names: props.view.confirmed.map((s) => s.personName).join('、') }) : t('shifts.nobodyYet')}
        </p>
      </Show>
      <Show when={props.view.transfers.length > 0}>
        <details class="mt-1" data-testid="shift-history">
          <summary class="min-h-12 cursor-pointer content-center font-semibold text-stone-800">{t('shifts.history')} ({props.view.transfers.length})</summary>
          <ul class="text-stone-800">
            <For each={props.view.transfers}>
              {(transfer) => (
                <li data-testid="transfer">
                  {dayOf(new Date(stampTime(transfer.at))).slice(5)} {timeOf(new Date(stampTime(transfer.at)))} ·{' '}
                  {t(transfer.swapFor ? 'shifts.swapped' : 'shifts.gave', { giver: transfer.giverName, taker: transfer.takerName })}
                </li>
              )}
            </For>
          </ul>
        </details>
      </Show>
    </>
  )
}

/** Where this person stands (in, waiting, bumped), and signing up or withdrawing. */
function MyPlace(props: { view: ShiftView }) {
  const { shifts, actor, sync } = useCommunity()
  const id = () => props.view.shift.id
  const mine = createMemo(() => statusOf(props.view, actor().id))
  const mySignup = () => shifts.signupOf(id(), actor().id)
  // "Saved on this phone only": no peer has confirmed holding my entry yet.
  const notShared = () => {
    // A place I was given is mine by my take; otherwise by my sign-up.
    const written = props.view.through.get(actor().id)?.stamp ?? mySignup()?.updatedAt
    return written !== undefined && !sync.isShared(written)
  }
  const [problem, setProblem] = createSignal<ProblemKey | undefined>()
  const [confirming, setConfirming] = createSignal(false)
  const act = (result: Checked<unknown>) => setProblem(firstProblem(result))
  // The latest take or swap of mine that did not count, to say why (the earlier taker won, …).
  const myLost = () => props.view.lost.filter((l) => l.takerId === actor().id).at(-1)
  const giverName = (giverId: string) => props.view.offers.get(giverId)?.giverName ?? shifts.signupOf(id(), giverId)?.personName ?? giverId
  // How I came by the place I hold, if someone gave it to me or swapped it with me.
  const received = () => {
    const take = props.view.through.get(actor().id)
    if (take) return props.view.transfers.find((x) => x.takerId === actor().id && x.at === take.stamp)
    return props.view.swapped.has(actor().id) ? props.view.transfers.filter((x) => x.takerId === actor().id && x.swapFor !== '').at(-1) : undefined
  }
  return (
    <>
      <MyPlaceLine
        status={mine().status}
        position={mine().position}
        notShared={notShared()}
        words={{ in: t('shifts.youAreIn'), wait: t('shifts.youWait', { position: mine().position }), bumped: t('shifts.bumped', { position: mine().position }) }}
      />
      <Show when={mySignup()?.active && mySignup()!.byId !== actor().id && !props.view.through.has(actor().id)}>
        <p class="text-[0.9em] text-stone-700">{t('shifts.byOther', { name: mySignup()!.byName })}</p>
      </Show>
      <Show when={received()}>
        {(transfer) => (
          <p class="text-green-800" data-testid="given-to-me">
            {transfer().swapFor ? t('shifts.youSwapped', { name: transfer().giverName }) : t('shifts.youWereGiven', { name: transfer().giverName })}
          </p>
        )}
      </Show>
      <Show when={mine().status === 'none' && myLost()}>
        {(lost) => (
          <p role="alert" class="mt-2 rounded-xl bg-red-50 p-3 font-semibold text-red-900" data-testid="take-lost">
            {lost().swap ? t('shifts.swapLost', { name: giverName(lost().giverId) }) : t(`shifts.lost.${lost().reason}`, { name: giverName(lost().giverId) })}
          </p>
        )}
      </Show>
      <Show when={!props.view.cancelled && props.view.shift.date >= today()}>
        <div class="mt-3 flex flex-wrap gap-2">
          <Show
            when={mine().status === 'none'}
            fallback={
              <Button variant="secondary" data-testid="withdraw" onClick={() => setConfirming(true)}>
                {t('shifts.withdraw')}
              </Button>
            }
          >
            <Button data-testid="sign-up" onClick={() => act(shifts.signUp(id()))}>
              {props.view.placesLeft! > 0 ? t('shifts.signUp') : t('shifts.joinWaitlist')}
            </Button>
          </Show>
        </div>
        <Show when={mine().status !== 'none'} fallback={<PlacesOnOffer view={props.view} onResult={act} />}>
          <OfferMyPlace view={props.view} onResult={act} />
        </Show>
      </Show>
      <ProblemLine problem={problem()} />
      <Show when={confirming()}>
        <Confirm
          message={t('shifts.withdrawConfirm', { title: props.view.shift.title })}
          confirmLabel={t('shifts.withdraw')}
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            act(shifts.withdraw(id()))
            setConfirming(false)
          }}
        />
      </Show>
    </>
  )
}

/** A shift as a choice in a list: "11-28 10:30 送餐上门". */
const shiftLabel = (shift: { date: string; start: string; title: string }) => `${shift.date.slice(5)} ${shift.start} ${shift.title}`

/** Who is in line on a shift (confirmed or waiting), by person id. */
const inLine = (view: ShiftView) => new Set([...view.confirmed, ...view.waitlist].map((e) => e.personId))

/**
 * My place in a shift I am in: offered (and kept back), offered to anyone or one
 * volunteer, or proposed in a swap; and swaps others propose for it.
 */
function OfferMyPlace(props: { view: ShiftView; onResult: (result: Checked<unknown>) => void }) {
  const { shifts, actor } = useCommunity()
  const id = () => props.view.shift.id
  const myOffer = () => props.view.offers.get(actor().id)
  const [choosing, setChoosing] = createSignal(false)
  const proposals = () => shifts.swapsProposedTo(id(), actor().id)
  const done = (result: Checked<unknown>) => {
    props.onResult(result)
    if (result.ok) setChoosing(false)
  }
  const labelOf = (shiftId: string) => {
    const shift = shifts.viewOf(shiftId)?.shift
    return shift ? shiftLabel(shift) : ''
  }
  return (
    <>
      <For each={proposals()}>
        {(proposal) => (
          <div class="mt-2 rounded-xl bg-green-50 p-3" data-testid="swap-proposed">
            <p class="font-semibold text-green-900">{t('shifts.swapProposed', { name: proposal.giverName, shift: labelOf(proposal.shiftId) })}</p>
            <Button data-testid="accept-swap" onClick={() => props.onResult(shifts.acceptSwap(proposal))}>{t('shifts.acceptSwap')}</Button>
          </div>
        )}
      </For>
      <Show
        when={myOffer()}
        fallback={
          <Show
            when={choosing()}
            fallback={
              <div class="mt-2">
                <Button variant="secondary" data-testid="offer-place" onClick={() => setChoosing(true)}>{t('shifts.offer')}</Button>
              </div>
            }
          >
            <OfferForm view={props.view} done={done} cancel={() => setChoosing(false)} />
          </Show>
        }
      >
        {(offer) => (
          <div class="mt-2 rounded-xl bg-amber-50 p-3" data-testid="my-offer">
            <p class="font-semibold text-amber-900">
              {offer().swapFor
                ? t('shifts.swapping', { name: offer().toName, shift: labelOf(offer().swapFor) })
                : offer().toId
                  ? t('shifts.offeringTo', { name: offer().toName })
                  : t('shifts.offering')}
            </p>
            <Button variant="secondary" data-testid="keep-place" onClick={() => props.onResult(shifts.withdrawOffer(id()))}>{t('shifts.keepPlace')}</Button>
          </div>
        )}
      </Show>
    </>
  )
}

/**
 * Offering my place: to anyone, to one member without a place here, or in a swap for
 * someone's place on another coming shift this month. Its lists are worked out only
 * while it is open: every card would otherwise walk every shift at each change.
 */
function OfferForm(props: { view: ShiftView; done: (result: Checked<unknown>) => void; cancel: () => void }) {
  const { shifts, actor, members } = useCommunity()
  const id = () => props.view.shift.id
  const [to, setTo] = createSignal('')
  const [swapShift, setSwapShift] = createSignal('')
  const [swapPerson, setSwapPerson] = createSignal('')
  // Anyone the community knows who has no place on this shift yet.
  const candidates = createMemo(() => {
    const here = inLine(props.view)
    return members
      .ids()
      .map((memberId) => members.byId[memberId])
      .filter((m) => m !== undefined && !here.has(m.deviceId))
      .map((m) => ({ value: m!.deviceId, label: m!.name }))
  })
  // Coming shifts I am not on where someone not on this one holds a place: what I could swap for.
  const swapShifts = createMemo(() => {
    const here = inLine(props.view)
    return shifts
      .shifts()
      // A swap is within one month (both shifts are read together).
      .filter((s) => s.id !== id() && s.date >= today() && s.date.slice(0, 7) === props.view.shift.date.slice(0, 7))
      .map((s) => shifts.viewOf(s.id)!)
      .filter((v) => !v.cancelled && !inLine(v).has(actor().id) && [...inLine(v)].some((p) => !here.has(p)))
      .map((v) => ({ value: v.shift.id, label: shiftLabel(v.shift) }))
  })
  const swapPeople = createMemo(() => {
    const other = swapShift() ? shifts.viewOf(swapShift()) : null
    const here = inLine(props.view)
    return other ? [...other.confirmed, ...other.waitlist].filter((e) => !here.has(e.personId)).map((e) => ({ value: e.personId, label: e.personName })) : []
  })
  const nameOf = (options: { value: string; label: string }[], value: string) => options.find((o) => o.value === value)?.label ?? value
  return (
    <div class="mt-3 space-y-2 rounded-xl border border-stone-300 p-3" data-testid="offer-form">
      <Button data-testid="offer-anyone" onClick={() => props.done(shifts.offer(id(), null))}>{t('shifts.offerToAnyone')}</Button>
      <Show when={candidates().length > 0}>
        <p class="font-semibold">{t('shifts.offerToWho')}</p>
        <Select label={t('shifts.offerToPick')} name="offer-to" value={to()} options={[{ value: '', label: '—' }, ...candidates()]} onChange={setTo} />
        <Button variant="secondary" data-testid="offer-one" disabled={!to()} onClick={() => props.done(shifts.offer(id(), { id: to(), name: nameOf(candidates(), to()) }))}>
          {t('shifts.offerToOne')}
        </Button>
      </Show>
      <Show when={swapShifts().length > 0}>
        <p class="font-semibold">{t('shifts.swapWith')}</p>
        <Select label={t('shifts.swapPickShift')} name="swap-shift" value={swapShift()} options={[{ value: '', label: '—' }, ...swapShifts()]} onChange={(v) => (setSwapShift(v), setSwapPerson(''))} />
        <Show when={swapPeople().length > 0}>
          <Select label={t('shifts.swapPickPerson')} name="swap-person" value={swapPerson()} options={[{ value: '', label: '—' }, ...swapPeople()]} onChange={setSwapPerson} />
        </Show>
        <Button
          variant="secondary"
          data-testid="propose-swap"
          disabled={!swapShift() || !swapPerson()}
          onClick={() => props.done(shifts.proposeSwap(id(), { id: swapPerson(), name: nameOf(swapPeople(), swapPerson()) }, swapShift()))}
        >
          {t('shifts.proposeSwap')}
        </Button>
      </Show>
      <Button variant="secondary" onClick={() => props.cancel()}>{t('common.cancel')}</Button>
    </div>
  )
}

/** Places others offer on a shift I am not in: to anyone, or to me (a swap is answered from my own shift's card). */
function PlacesOnOffer(props: { view: ShiftView; onResult: (result: Checked<unknown>) => void }) {
  const { shifts, actor } = useCommunity()
  const forMe = () => [...props.view.offers.values()].filter((o) => o.swapFor === '' && (o.toId === '' || o.toId === actor().id))
  return (
    <For each={forMe()}>
      {(offer) => (
        <div class="mt-2 rounded-xl bg-green-50 p-3" data-testid="place-on-offer" data-giver={offer.giverName}>
          <p class="font-semibold text-green-900">{offer.toId ? t('shifts.onOfferToYou', { name: offer.giverName }) : t('shifts.onOffer', { name: offer.giverName })}</p>
          <Button data-testid="take-place" onClick={() => props.onResult(shifts.take(props.view.shift.id, offer.giverId))}>{t('shifts.take')}</Button>
        </div>
      )}
    </For>
  )
}

/** Staff: sign up someone without a phone (代办), mark who came, edit or cancel the shift. */
function StaffTools(props: { view: ShiftView; onEdit: () => void }) {
  const staff = useStaff()
  const id = () => props.view.shift.id
  const [problem, setProblem] = createSignal<ProblemKey | undefined>()
  const [confirming, setConfirming] = createSignal(false)
  // Drawn only once opened: every card of the week carries these tools, closed.
  const [open, setOpen] = createSignal(false)
  return (
    <details class="mt-3 rounded-xl border border-stone-300 p-3" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary class="min-h-12 cursor-pointer content-center font-semibold">{t('shifts.onBehalf')} · {t('shifts.attendance')} · {t('shifts.edit')}</summary>
      <Show when={open()}>
      <OnBehalfForm onPerson={(volunteer) => firstProblem(staff.shifts.signUpFor(id(), volunteer))} />
      <Show when={props.view.shift.date <= today() && props.view.confirmed.length > 0}>
        <Attendance view={props.view} onProblem={setProblem} />
      </Show>
      <div class="mt-4 flex flex-wrap gap-2">
        <Button variant="secondary" onClick={() => props.onEdit()}>{t('shifts.edit')}</Button>
        <Button variant="danger" data-testid="cancel-shift" onClick={() => setConfirming(true)}>{t('shifts.cancel')}</Button>
      </div>
      <ProblemLine problem={problem()} />
      <Show when={confirming()}>
        <CancelWithReason
          message={t('shifts.cancelConfirm', { title: props.view.shift.title, date: props.view.shift.date })}
          confirmLabel={t('shifts.cancel')}
          onCancel={() => setConfirming(false)}
          onConfirm={(reason) => {
            setProblem(firstProblem(staff.shifts.cancel(id(), reason)))
            setConfirming(false)
          }}
        />
      </Show>
      </Show>
    </details>
  )
}

/** Who came and who did not, marked by staff on the day or after. */
function Attendance(props: { view: ShiftView; onProblem: (problem: ProblemKey | undefined) => void }) {
  const { shifts } = useCommunity()
  const staff = useStaff()
  const id = () => props.view.shift.id
  return (
    <>
      <h4 class="mt-4 font-bold">{t('shifts.attendance')}</h4>
      <ul class="divide-y divide-stone-200" data-testid="attendance">
        <For each={props.view.confirmed}>
          {(signup) => {
            const status = () => shifts.attendanceOf(entryKey(id(), signup.personId))?.status
            const mark = (s: 'attended' | 'noshow') => props.onProblem(firstProblem(staff.shifts.markAttendance(id(), signup.personId, s)))
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
    </>
  )
}
