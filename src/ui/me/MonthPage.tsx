import { createEffect, createMemo, createSignal, For, Show } from 'solid-js'
import { lastDayOf, monthOf, today, type Month } from '../../domain/calendar'
import { overview } from '../../domain/aid'
import { monthReport as mealReport } from '../../domain/canteen'
import { concernReport } from '../../domain/concerns'
import { privateMonth } from '../../domain/errands'
import { activityMonth, monthRows, shiftMonth, visitMonth, type CommunityMonth, type MonthRow } from '../../domain/monthly'
import { hoursByVolunteer } from '../../domain/shifts'
import { Button, Card, Field } from '../common/components'
import { StaffOnly, useCommunity, useStaff } from '../common/community'
import { downloadCsv } from '../common/download'
import { t } from '../common/i18n'
import { hashParam, PrintPage } from '../common/PrintPage'
import { percent } from '../common/time'

// The whole community's month on one page (staff devices): each feature's own month
// report side by side, as staff report upward; CSV and print.

/** The month's figures, read from every board (the months they need are opened first). */
function useCommunityMonth(month: () => Month) {
  const { activities, shifts, canteen, aid, concerns } = useCommunity()
  const staff = useStaff()
  createEffect(() => {
    activities.showMonths([month()])
    shifts.showMonths([month()])
    canteen.showMonths([month()])
  })
  return createMemo((): CommunityMonth => {
    const m = month()
    const asOf = m === monthOf(today()) ? today() : lastDayOf(m)
    const views = activities.activities().filter((a) => a.date.startsWith(m)).map((a) => activities.viewOf(a.id)!)
    const meals = mealReport(m, asOf, canteen.menus(), staff.canteen.reservations(), staff.canteen.standing(), staff.canteen.elders(), [], canteen.prices())
    const aidMonth = overview(aid.items(), m, today())
    return {
      month: m,
      activities: activityMonth(views, activities.headcountOf, m, asOf),
      shifts: shiftMonth(hoursByVolunteer(shifts.viewsIn(m), shifts.attendance(), m)),
      meals: {
        byTier: { standard: sum(meals.served, 'standard'), dibao: sum(meals.served, 'dibao'), tekun: sum(meals.served, 'tekun') },
        extra: Object.values(meals.extra).reduce((a, b) => a + b, 0),
        elders: meals.elders,
        subsidy: meals.subsidy,
      },
      visits: visitMonth(staff.visits.report(m)),
      aid: aidMonth,
      privateErrands: privateMonth(staff.errands.privateItems(), m),
      concerns: concernReport(concerns.items(), m),
    }
  })
}
const sum = (served: Record<string, Record<'standard' | 'dibao' | 'tekun', number>>, tier: 'standard' | 'dibao' | 'tekun') => Object.values(served).reduce((total, meal) => total + meal[tier], 0)

const valueText = (row: MonthRow) => (row.rate ? percent(row.value) : String(row.value ?? '—'))

function MonthTable(props: { rows: MonthRow[] }) {
  return (
    <table class="w-full border-collapse" data-testid="month-table">
      <tbody>
        <For each={props.rows}>
          {(row) => (
            <tr data-row={row.key}>
              <td class="border border-stone-400 px-2 py-1">{t(row.key, row.params)}</td>
              <td class="border border-stone-400 px-2 py-1 text-right font-semibold">{valueText(row)}</td>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  )
}

/** In Me, on staff devices. */
export function CommunityMonthCard() {
  // It reads a month of every feature (a month of meal orders among them): only when asked.
  const [open, setOpen] = createSignal(false)
  return (
    <StaffOnly>
      <Show when={open()} fallback={<Card title={t('month.title')}><Button variant="secondary" data-testid="open-month" onClick={() => setOpen(true)}>{t('month.open')}</Button></Card>}>
        <MonthCard />
      </Show>
    </StaffOnly>
  )
}

function MonthCard() {
  const { name } = useCommunity()
  const [month, setMonth] = createSignal(monthOf(today()))
  const figures = useCommunityMonth(month)
  const rows = () => monthRows(figures())
  const exportCsv = () => downloadCsv(`community-${month()}.csv`, [[name, month()], ...rows().map((row) => [t(row.key, row.params), row.rate ? percent(row.value) : (row.value ?? '')])])
  return (
    <Card title={t('month.title')}>
      <div data-testid="community-month">
        <Field label={t('aid.month')} name="month" type="month" value={month()} onInput={setMonth} />
        <MonthTable rows={rows()} />
        <p class="mt-2 text-[0.9em] text-stone-700">{t('month.note')}</p>
        <div class="mt-3 flex flex-wrap gap-2">
          <Button variant="secondary" onClick={() => void exportCsv()}>{t('aid.export')}</Button>
          <Button variant="secondary" data-testid="print-month" onClick={() => (location.hash = `#/month-report?month=${month()}`)}>{t('month.print')}</Button>
        </div>
      </div>
    </Card>
  )
}

/** The printable page (route #/month-report?month=…). */
export default function MonthPrint() {
  const { name } = useCommunity()
  const month = hashParam('month') || monthOf(today())
  const figures = useCommunityMonth(() => month)
  return (
    <PrintPage back="#/me" testid="month-print">
      <h1 class="text-2xl font-bold">{name} · {t('month.printTitle', { month })}</h1>
      <MonthTable rows={monthRows(figures())} />
      <p class="mt-2">{t('month.note')}</p>
    </PrintPage>
  )
}
