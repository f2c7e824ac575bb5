import { createEffect, createMemo, createSignal, For, Show } from 'solid-js'
import { agendaDays, monthOf, monthsOfWeek, plusDays, today, weekStart, type Day } from '../../domain/calendar'
import { hoursByVolunteer, SHIFT_CATEGORIES, type ShiftCategory } from '../../domain/shifts'
import { Button, Card, Chips, Field, PublishPanel } from '../common/components'
import { DayStrip, dayLabel, WeekNav } from '../common/calendar-parts'
import { downloadCsv } from '../common/download'
import { t } from '../common/i18n'
import { StaffOnly, useCommunity } from '../common/community'
import { ShiftCard } from './ShiftCard'
import { groupItems } from '../common/derive'
import { ShiftForm } from './ShiftForm'

export default function Shifts() {
  const { shifts, actor } = useCommunity()
  const [week, setWeek] = createSignal(weekStart(today()))
  const [day, setDay] = createSignal<Day | null>(null)
  const [category, setCategory] = createSignal<ShiftCategory | null>(null)
  createEffect(() => shifts.showMonths(monthsOfWeek(week())))

  const days = createMemo(() => agendaDays(week(), today()))
  const shown = createMemo(() => {
    const from = week()
    const to = plusDays(from, 6)
    return shifts
      .shifts()
      .filter((s) => s.date >= from && s.date <= to && (day() === null || s.date === day()) && (category() === null || s.category === category()))
  })
  // Keyed by day and by id (plain strings), so a change re-renders only the card it touches.
  const byDay = createMemo(() => groupItems(shown(), (s) => s.date))
  const shownDays = createMemo(() => days().filter((d) => byDay().has(d)))

  return (
    <div class="space-y-4">
      <Card title={t('shifts.title')}>
        <StaffOnly>
          <PublishPanel label={t('shifts.publish')} testid="publish-shift" draft="shift" form={(done) => <ShiftForm onDone={done} />} />
        </StaffOnly>
        <WeekNav week={week()} onWeek={(monday) => { setWeek(monday); setDay(null) }} />
        <DayStrip week={week()} day={day()} onDay={setDay} />
        <Chips
          options={['all', ...SHIFT_CATEGORIES] as const}
          selected={(c) => (c === 'all' ? category() === null : category() === c)}
          onToggle={(c) => setCategory(c === 'all' ? null : c)}
          text={(c) => (c === 'all' ? t('shifts.allCategories') : t(`shift.cat.${c}`))}
          testid="category-filter"
        />
      </Card>
      <Show when={shownDays().length > 0} fallback={<p class="px-1 text-stone-800" data-testid="shifts-empty">{actor().staff ? t('shifts.emptyStaff') : t('shifts.empty')}</p>}>
        <For each={shownDays()}>
          {(day) => (
            <section class="space-y-3">
              <h3 class="px-1 text-lg font-bold text-orange-900">{dayLabel(day)}{day === today() ? ` · ${t('nav.today')}` : ''}</h3>
              <For each={byDay().get(day)?.map((s) => s.id)}>{(id) => <ShiftCard id={id} />}</For>
            </section>
          )}
        </For>
      </Show>
      <StaffOnly>
        <HoursReport />
      </StaffOnly>
    </div>
  )
}

function HoursReport() {
  const { shifts } = useCommunity()
  const [month, setMonth] = createSignal(monthOf(today()))
  // Counted only while open: otherwise every sign-up anywhere would count the month again.
  const [open, setOpen] = createSignal(false)
  createEffect(() => open() && shifts.showMonths([month()]))
  const rows = createMemo(() => (open() ? hoursByVolunteer(shifts.viewsIn(month()), shifts.attendance(), month()) : []))
  const hours = (minutes: number) => Math.round((minutes / 60) * 100) / 100
  const exportCsv = () =>
    downloadCsv(`volunteer-hours-${month()}.csv`, [
      [t('shifts.csv.name'), t('shifts.csv.shifts'), t('shifts.csv.hours')],
      ...rows().map((r) => [r.name, r.shifts, hours(r.minutes)]),
    ])
  return (
    <details class="rounded-2xl border border-stone-300 bg-white p-4 shadow-sm" data-testid="hours-report" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary class="min-h-12 cursor-pointer content-center">
        <h2 class="inline text-xl font-bold text-stone-900">{t('shifts.hours')}</h2>
      </summary>
      <Show when={open()}>
      <Field label={t('shifts.month')} name="month" type="month" value={month()} onInput={setMonth} />
      <Show when={rows().length > 0} fallback={<p class="mb-3">{t('shifts.hoursNone')}</p>}>
        <table class="mb-3 w-full text-left" data-testid="hours-table">
          <thead>
            <tr><th>{t('shifts.csv.name')}</th><th>{t('shifts.csv.shifts')}</th><th>{t('shifts.csv.hours')}</th></tr>
          </thead>
          <tbody>
            <For each={rows()}>{(r) => <tr><td>{r.name}</td><td>{r.shifts}</td><td>{hours(r.minutes)}</td></tr>}</For>
          </tbody>
        </table>
      </Show>
      <Button variant="secondary" data-testid="export-hours" onClick={() => void exportCsv()}>{t('shifts.hoursExport')}</Button>
      </Show>
    </details>
  )
}
