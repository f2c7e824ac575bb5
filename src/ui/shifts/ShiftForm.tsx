import { createSignal, Show } from 'solid-js'
import { today } from '../../domain/calendar'
import { SHIFT_CATEGORIES, type Shift, type ShiftCategory, type ShiftDraft } from '../../domain/shifts'
import type { Problems } from '../../domain/validation'
import { Button, Chips, Field } from '../common/components'
import { restoreDraft } from '../common/drafts'
import { publishOnceOrWeekly, RepeatFields, type RepeatState } from '../common/calendar-parts'
import { problemText, t } from '../common/i18n'
import { useStaff } from '../common/community'

/** Publish a shift (once or every week), or edit one occurrence. */
export function ShiftForm(props: { editing?: Shift; onDone: (message?: string) => void }) {
  const staff = useStaff()
  const start = props.editing
  const [draft, setDraft] = createSignal<ShiftDraft>({
    title: start?.title ?? '',
    category: start?.category ?? 'canteen',
    place: start?.place ?? '',
    date: start?.date ?? today(),
    start: start?.start ?? '10:30',
    end: start?.end ?? '13:00',
    places: start?.places ?? 3,
    notes: start?.notes ?? '',
    skill: start?.skill ?? '',
  })
  const [repeat, setRepeat] = createSignal<RepeatState>({ weekly: false, weekdays: [], until: '' })
  const [problems, setProblems] = createSignal<Problems>({})
  const [placesText, setPlacesText] = createSignal(String(draft().places))
  const set = <K extends keyof ShiftDraft>(key: K, value: ShiftDraft[K]) => setDraft({ ...draft(), [key]: value })
  const problem = (field: string) => problemText(problems()[field])

  const submit = (event: Event) => {
    event.preventDefault()
    const places = placesText().trim() === '' ? NaN : Number(placesText())
    const value = { ...draft(), places }
    if (props.editing) {
      const result = staff.shifts.edit(props.editing.id, value)
      if (!result.ok) return setProblems(result.problems)
      return props.onDone()
    }
    const result = publishOnceOrWeekly(value, repeat(), { once: staff.shifts.publish, series: staff.shifts.publishSeries })
    if (!result.ok) return setProblems(result.problems)
    props.onDone(t('shifts.published', { count: result.value }))
  }

  return (
    <form onSubmit={submit} class="rounded-xl bg-amber-50 p-3" data-testid="shift-form" data-draft={props.editing ? `shift-${props.editing.id}` : 'shift'} ref={restoreDraft}>
      <Field label={t('shifts.form.title')} name="title" value={draft().title} problem={problem('title')} onInput={(v) => set('title', v)} />
      <Chips
        label={t('shifts.form.category')}
        options={SHIFT_CATEGORIES}
        selected={(c) => draft().category === c}
        onToggle={(c: ShiftCategory) => set('category', c)}
        text={(c) => t(`shift.cat.${c}`)}
        testid="shift-category"
      />
      <Field label={t('shifts.form.place')} name="place" value={draft().place} problem={problem('place')} onInput={(v) => set('place', v)} />
      <Field label={repeat().weekly ? t('shifts.form.from') : t('shifts.form.date')} name="date" type="date" value={draft().date} problem={problem('date')} onInput={(v) => set('date', v)} />
      <Show when={!props.editing}>
        <RepeatFields value={repeat()} onChange={setRepeat} weeklyLabel={t('shifts.form.weekly')} problem={problem} testid="shift" />
      </Show>
      <div class="grid grid-cols-2 gap-3">
        <Field label={t('shifts.form.start')} name="start" type="time" value={draft().start} problem={problem('start')} onInput={(v) => set('start', v)} />
        <Field label={t('shifts.form.end')} name="end" type="time" value={draft().end} problem={problem('end')} onInput={(v) => set('end', v)} />
      </div>
      <Field label={t('shifts.form.places')} name="places" type="number" value={placesText()} problem={problem('places')} onInput={setPlacesText} />
      <Field label={t('shifts.form.skill')} name="skill" value={draft().skill} problem={problem('skill')} onInput={(v) => set('skill', v)} />
      <Field label={t('shifts.form.notes')} name="notes" multiline value={draft().notes} problem={problem('notes')} onInput={(v) => set('notes', v)} />
      <div class="flex gap-3">
        <Button type="submit">{props.editing ? t('common.save') : t('shifts.publish')}</Button>
        <Button variant="secondary" onClick={() => props.onDone()}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  )
}
