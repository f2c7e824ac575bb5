import { createMemo, createSignal, Show } from 'solid-js'
import { monthOf, monthsOfYear, today, yearOf } from '../../domain/calendar'
import { calendarText } from '../../domain/ics'
import { isIn } from '../../domain/places'
import { hoursByVolunteer } from '../../domain/shifts'
import { Button, Card } from '../common/components'
import { downloadText } from '../common/download'
import { t } from '../common/i18n'
import { useCommunity } from '../common/community'

/** On Me: this person's hours, and their confirmed shifts as a calendar file. */
export function MyHours() {
  const { shifts, actor } = useCommunity()
  // The year's total needs every month of the year opened (each its own stored doc
  // and peer room), so it is counted when asked for, not on every visit to Me.
  const [yearAsked, setYearAsked] = createSignal(false)
  const askYear = () => {
    shifts.showMonths(monthsOfYear(today()))
    setYearAsked(true)
  }
  const hoursIn = (monthOrYear: string) => {
    const mine = hoursByVolunteer(shifts.viewsIn(monthOrYear), shifts.attendance(), monthOrYear).find((h) => h.volunteerId === actor().id)
    return Math.round(((mine?.minutes ?? 0) / 60) * 10) / 10
  }
  const month = createMemo(() => hoursIn(monthOf(today())))
  const year = createMemo(() => hoursIn(yearOf(today())))
  const exportCalendar = () => {
    const confirmed = shifts.mine(actor().id).filter((e) => isIn(e.status))
    const events = confirmed.map(({ view: { shift } }) => ({
      uid: `${shift.id}@neighbours`,
      title: shift.title,
      date: shift.date,
      start: shift.start,
      end: shift.end,
      location: shift.place,
      description: shift.notes,
    }))
    downloadText('my-shifts.ics', calendarText(t('me.calendarName'), events), 'text/calendar')
  }
  return (
    <Card title={t('me.hours')}>
      <p data-testid="hours-month">{t('me.hoursMonth', { hours: month() })}</p>
      <Show when={yearAsked()} fallback={<Button variant="secondary" data-testid="count-year" onClick={askYear}>{t('me.countYear')}</Button>}>
        <p data-testid="hours-year">{t('me.hoursYear', { hours: year() })}</p>
      </Show>
      <Button class="mt-3" variant="secondary" data-testid="export-ics" onClick={exportCalendar}>
        {t('me.exportCalendar')}
      </Button>
    </Card>
  )
}
