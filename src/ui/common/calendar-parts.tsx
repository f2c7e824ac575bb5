import { createSignal, For, Show } from 'solid-js'
import { checkDisplayName } from '../../domain/community'
import { offlinePersonId, type PlaceStatus } from '../../domain/places'
import { agendaDays, plusDays, today, weekdayOf, weekStart, type Day } from '../../domain/calendar'
import { Button, chipColours, Chips, Confirm, Field, Kept } from './components'
import { problemText, t, weekdayName } from './i18n'
import type { Checked, ProblemKey } from '../../domain/validation'
import type { Repeat } from '../../domain/schedule'

// Pieces that shifts, activities and the canteen share: the way a day is named,
// moving between weeks, a weekly repeat, cancelling with a reason, and acting on
// behalf of someone without a phone.

const monthDay = (day: Day) => `${Number(day.slice(5, 7))}/${Number(day.slice(8, 10))}`
export const dayLabel = (day: Day) => `${weekdayName(weekdayOf(day))} ${monthDay(day)}`

/** ‹ this week › — tapping the middle returns to this week. */
export function WeekNav(props: { week: Day; onWeek: (monday: Day) => void }) {
  const thisWeek = () => weekStart(today())
  return (
    <div class="mb-3 flex items-center justify-between gap-2">
      <Button variant="secondary" aria-label={t('shifts.prevWeek')} onClick={() => props.onWeek(plusDays(props.week, -7))}>‹</Button>
      <button type="button" class="min-h-12 grow text-center font-bold" onClick={() => props.onWeek(thisWeek())}>
        {props.week === thisWeek() ? t('shifts.thisWeek') : t('shifts.weekOf', { from: dayLabel(props.week), to: dayLabel(plusDays(props.week, 6)) })}
      </button>
      <Button variant="secondary" aria-label={t('shifts.nextWeek')} data-testid="next-week" onClick={() => props.onWeek(plusDays(props.week, 7))}>›</Button>
    </div>
  )
}

/**
 * The week's days in one row that scrolls sideways (today first and marked), with the
 * whole week before them: a day picked shows only that day. Chips would wrap into four
 * rows on a phone before the first item.
 */
export function DayStrip(props: { week: Day; day: Day | null; onDay: (day: Day | null) => void }) {
  const chip = (selected: boolean) => `flex min-h-14 shrink-0 snap-start flex-col items-center justify-center rounded-xl border-2 px-3 leading-tight font-semibold ${chipColours(selected)}`
  return (
    <div class="-mx-1 mb-3 flex snap-x gap-2 overflow-x-auto px-1 pb-1" role="group" aria-label={t('shifts.day')} data-testid="day-filter">
      <button type="button" class={chip(props.day === null)} aria-pressed={props.day === null} data-value="week" onClick={() => props.onDay(null)}>
        {t('shifts.wholeWeek')}
      </button>
      <For each={agendaDays(props.week, today())}>
        {(day) => (
          <button type="button" class={chip(props.day === day)} aria-pressed={props.day === day} data-value={day} onClick={() => props.onDay(day)}>
            <span class="text-[0.85em]">{day === today() ? t('nav.today') : weekdayName(weekdayOf(day))}</span>
            <span>{monthDay(day)}</span>
          </button>
        )}
      </For>
    </div>
  )
}

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const

export function WeekdayChips(props: { label?: string; selected: number[]; onChange: (days: number[]) => void; problem?: string; testid?: string }) {
  return (
    <Chips
      label={props.label}
      options={WEEKDAYS}
      selected={(d) => props.selected.includes(d)}
      onToggle={(d) => props.onChange(props.selected.includes(d) ? props.selected.filter((x) => x !== d) : [...props.selected, d])}
      text={(d) => weekdayName(d)}
      problem={props.problem}
      testid={props.testid}
    />
  )
}

export interface RepeatState {
  weekly: boolean
  weekdays: number[]
  until: string
}

/**
 * Publishes what a form holds (a shift, an activity) once, or on every chosen weekday
 * from the form's date: how many were published, or what is wrong (a series' start
 * problem is shown on the date field).
 */
export function publishOnceOrWeekly<T extends { date: string }>(value: T, repeat: RepeatState, publish: { once(value: T): Checked<unknown>; series(value: T, repeat: Repeat): Checked<unknown[]> }): Checked<number> {
  if (!repeat.weekly) {
    const once = publish.once(value)
    return once.ok ? { ok: true, value: 1 } : once
  }
  const series = publish.series(value, { weekdays: repeat.weekdays, from: value.date, until: repeat.until })
  return series.ok ? { ok: true, value: series.value.length } : { ok: false, problems: { ...series.problems, date: series.problems.from } }
}

/** Once or every week; for every week, which weekdays and until when. The start day is the form's date field. */
export function RepeatFields(props: { value: RepeatState; onChange: (value: RepeatState) => void; weeklyLabel: string; problem: (field: string) => string; testid: string }) {
  return (
    <>
      <Chips
        options={['once', 'weekly'] as const}
        selected={(o) => (o === 'weekly') === props.value.weekly}
        onToggle={(o) => props.onChange({ ...props.value, weekly: o === 'weekly' })}
        text={(o) => (o === 'weekly' ? props.weeklyLabel : t('shifts.form.once'))}
        testid={`${props.testid}-repeat`}
      />
      <Show when={props.value.weekly}>
        <WeekdayChips label={t('shifts.form.weekdays')} selected={props.value.weekdays} onChange={(weekdays) => props.onChange({ ...props.value, weekdays })} problem={props.problem('weekdays')} testid={`${props.testid}-weekdays`} />
        <Field label={t('shifts.form.until')} name="until" type="date" value={props.value.until} problem={props.problem('until')} onInput={(until) => props.onChange({ ...props.value, until })} />
      </Show>
    </>
  )
}

/** "Cancel this shift/activity?" with a reason that those signed up will see. */
export function CancelWithReason(props: { message: string; confirmLabel: string; onConfirm: (reason: string) => void; onCancel: () => void }) {
  const [reason, setReason] = createSignal('')
  return (
    <Confirm message={props.message} confirmLabel={props.confirmLabel} onCancel={props.onCancel} onConfirm={() => props.onConfirm(reason())}>
      <Field label={t('shifts.cancelReason')} name="reason" value={reason()} onInput={setReason} />
    </Confirm>
  )
}

/** Staff sign up or RSVP a person without a phone (代办), known by name. */
export function OnBehalfForm(props: { onPerson: (person: { id: string; name: string }) => ProblemKey | undefined }) {
  const [name, setName] = createSignal('')
  const [problem, setProblem] = createSignal<ProblemKey | undefined>()
  const submit = (event: Event) => {
    event.preventDefault()
    const check = checkDisplayName(name())
    if (!check.ok) return setProblem(check.problems.displayName)
    const refused = props.onPerson({ id: offlinePersonId(check.value), name: check.value })
    setProblem(refused)
    if (!refused) setName('')
  }
  return (
    <form onSubmit={submit} class="mt-2">
      <Field label={t('shifts.onBehalfName')} hint={t('shifts.onBehalfHint')} name="behalfName" value={name()} problem={problemText(problem())} onInput={setName} />
      <Button type="submit" variant="secondary">{t('shifts.onBehalf')}</Button>
    </form>
  )
}

/**
 * Where this person stands on a shift or an activity, in its own words: in (said only
 * once it is on disk), waiting, bumped back by a smaller count, moved up from the
 * waitlist; and whether any peer holds their entry yet.
 */
export function MyPlaceLine(props: { status: PlaceStatus; position: number; notShared: boolean; words: { in: string; wait: string; bumped: string; promoted?: string } }) {
  const moved = () => props.status === 'promoted' && props.words.promoted !== undefined
  return (
    <>
      <Show when={moved()}>
        <p role="status" class="mt-2 rounded-xl bg-green-50 p-3 font-semibold text-green-900">{props.words.promoted}</p>
      </Show>
      <Show when={props.status === 'bumped'}>
        <p role="alert" class="mt-2 rounded-xl bg-red-50 p-3 font-semibold text-red-900" data-testid="bumped-notice">
          {props.words.bumped}
        </p>
      </Show>
      <Show when={props.status === 'confirmed' || (props.status === 'promoted' && !moved())}>
        <p class="mt-2 font-bold text-green-800"><Kept>{props.words.in}</Kept></p>
      </Show>
      <Show when={props.status === 'waitlisted'}>
        <p class="mt-2 font-bold text-amber-800">{props.words.wait}</p>
      </Show>
      <Show when={props.status !== 'none' && props.notShared}>
        <p class="text-[0.9em] text-amber-800" data-testid="not-shared">{t('shifts.notShared')}</p>
      </Show>
    </>
  )
}
