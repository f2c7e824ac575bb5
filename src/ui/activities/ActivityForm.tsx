import { createSignal, Show } from 'solid-js'
import { useCommunity, useStaff } from '../common/community'
import { today } from '../../domain/calendar'
import { ACTIVITY_CATEGORIES, overflowIfCapacity, type Activity, type ActivityCategory, type ActivityDraft } from '../../domain/activities'
import type { Problems } from '../../domain/validation'
import { Button, Chips, Confirm, Field, Select } from '../common/components'
import { restoreDraft } from '../common/drafts'
import { publishOnceOrWeekly, RepeatFields, type RepeatState } from '../common/calendar-parts'
import { problemText, t } from '../common/i18n'

/** Publish an activity (once or every week), or edit one occurrence. */
export function ActivityForm(props: { editing?: Activity; onDone: (message?: string) => void }) {
  const { activities } = useCommunity()
  const staff = useStaff()
  const e = props.editing
  const [draft, setDraft] = createSignal<ActivityDraft>({
    title: e?.title ?? '',
    groupId: e?.groupId ?? null,
    category: e?.category ?? 'dance',
    place: e?.place ?? '',
    date: e?.date ?? today(),
    start: e?.start ?? '19:00',
    end: e?.end ?? '20:30',
    description: e?.description ?? '',
    capacity: e?.capacity ?? null,
    leader: e?.leader ?? '',
  })
  const [capacityText, setCapacityText] = createSignal(e?.capacity ? String(e.capacity) : '')
  const [repeat, setRepeat] = createSignal<RepeatState>({ weekly: false, weekdays: [], until: '' })
  const [problems, setProblems] = createSignal<Problems>({})
  const [overflow, setOverflow] = createSignal<{ count: number; value: ActivityDraft } | null>(null)
  const set = <K extends keyof ActivityDraft>(key: K, value: ActivityDraft[K]) => setDraft({ ...draft(), [key]: value })
  const problem = (field: string) => problemText(problems()[field])

  const saveEdit = (value: ActivityDraft) => {
    const result = staff.activities.edit(props.editing!.id, value)
    if (!result.ok) return setProblems(result.problems)
    props.onDone()
  }

  const submit = (event: Event) => {
    event.preventDefault()
    const text = capacityText().trim()
    const value = { ...draft(), capacity: text === '' ? null : Number(text) }
    if (props.editing) {
      // Fewer places than people going: say who moves to the waitlist, and ask.
      const view = activities.viewOf(props.editing.id)
      const count = view ? overflowIfCapacity(view, value.capacity) : 0
      if (count > 0 && Number.isInteger(value.capacity)) return setOverflow({ count, value })
      return saveEdit(value)
    }
    const result = publishOnceOrWeekly(value, repeat(), { once: staff.activities.publish, series: staff.activities.publishSeries })
    if (!result.ok) return setProblems(result.problems)
    props.onDone(t('acts.published', { count: result.value }))
  }

  return (
    <form onSubmit={submit} class="rounded-xl bg-amber-50 p-3" data-testid="activity-form" data-draft={props.editing ? `activity-${props.editing.id}` : 'activity'} ref={restoreDraft}>
      <Field label={t('acts.form.title')} name="title" value={draft().title} problem={problem('title')} onInput={(v) => set('title', v)} />
      <Chips
        label={t('shifts.form.category')}
        options={ACTIVITY_CATEGORIES}
        selected={(c) => draft().category === c}
        onToggle={(c: ActivityCategory) => set('category', c)}
        text={(c) => t(`act.cat.${c}`)}
        testid="activity-category"
      />
      <Select
        label={t('acts.form.group')}
        name="group"
        value={draft().groupId ?? ''}
        options={[{ value: '', label: t('acts.form.noGroup') }, ...activities.groups().map((g) => ({ value: g.id, label: g.name }))]}
        onChange={(v) => set('groupId', v || null)}
      />
      <Field label={t('shifts.form.place')} name="place" value={draft().place} problem={problem('place')} onInput={(v) => set('place', v)} />
      <Field label={repeat().weekly ? t('shifts.form.from') : t('shifts.form.date')} name="date" type="date" value={draft().date} problem={problem('date')} onInput={(v) => set('date', v)} />
      <Show when={!props.editing}>
        <RepeatFields value={repeat()} onChange={setRepeat} weeklyLabel={t('acts.form.weekly')} problem={problem} testid="activity" />
      </Show>
      <div class="grid grid-cols-2 gap-3">
        <Field label={t('shifts.form.start')} name="start" type="time" value={draft().start} problem={problem('start')} onInput={(v) => set('start', v)} />
        <Field label={t('shifts.form.end')} name="end" type="time" value={draft().end} problem={problem('end')} onInput={(v) => set('end', v)} />
      </div>
      <Field label={t('acts.form.capacity')} name="capacity" type="number" value={capacityText()} problem={problem('capacity')} onInput={setCapacityText} />
      <Field label={t('acts.form.leader')} name="leader" value={draft().leader} problem={problem('leader')} onInput={(v) => set('leader', v)} />
      <Field label={t('acts.form.description')} name="description" multiline value={draft().description} problem={problem('description')} onInput={(v) => set('description', v)} />
      <div class="flex gap-3">
        <Button type="submit">{props.editing ? t('common.save') : t('acts.publish')}</Button>
        <Button variant="secondary" onClick={() => props.onDone()}>
          {t('common.cancel')}
        </Button>
      </div>
      <Show when={overflow()}>
        {(o) => (
          <Confirm
            message={t('acts.capacityOverflow', { capacity: o().value.capacity ?? 0, count: o().count })}
            confirmLabel={t('common.confirm')}
            onCancel={() => setOverflow(null)}
            onConfirm={() => {
              setOverflow(null)
              saveEdit(o().value)
            }}
          />
        )}
      </Show>
    </form>
  )
}
