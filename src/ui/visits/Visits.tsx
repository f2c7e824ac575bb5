import { createMemo, createSignal, For, Show } from 'solid-js'
import { keptMonths, monthOf, today } from '../../domain/calendar'
import { FREQUENCIES, REASONS, type Household, type HouseholdDraft, type HouseholdField } from '../../domain/visits'
import type { Problems } from '../../domain/validation'
import { Button, Card, Chips, Confirm, Field, ProblemLine, PublishPanel, Select } from '../common/components'
import { firstProblem, type ProblemKey } from '../../domain/validation'
import { visitShareIdOf } from '../../domain/shares'
import { useCommunity, useStaff } from '../common/community'
import { downloadCsv } from '../common/download'
import { t } from '../common/i18n'
import { DueLine, placeOf } from './MyVisits'

// Staff: grids and the households in them, who visits whom and how often, who is
// overdue, and each month's visits by grid (CSV, printable).

export function Visits() {
  const staff = useStaff()
  const byGrid = createMemo(() => {
    const groups = new Map<string, Household[]>()
    for (const h of staff.visits.households()) groups.set(h.grid, [...(groups.get(h.grid) ?? []), h])
    return [...groups]
  })
  return (
    <div class="space-y-4" data-testid="visits">
      <Card title={t('visits.title')}>
        <p class="mb-3 text-stone-800">{t('visits.intro')}</p>
        <PublishPanel label={t('visits.link')} testid="link-household" draft="household" form={(done) => <HouseholdForm onDone={done} />} />
      </Card>
      <SendToVisitors />
      <Show when={staff.visits.overdue().length > 0}>
        <Card title={t('visits.overdueTitle', { count: staff.visits.overdue().length })}>
          <ul class="divide-y divide-stone-200" data-testid="overdue-households">
            <For each={staff.visits.overdue()}>
              {(due) => (
                <li class="py-2">
                  <p class="font-semibold">{due.household.label} · {due.household.grid} · {due.household.visitorName}</p>
                  <DueLine due={due} />
                </li>
              )}
            </For>
          </ul>
        </Card>
      </Show>
      <Show when={byGrid().length > 0} fallback={<Card><p>{t('visits.none')}</p></Card>}>
        <For each={byGrid()}>
          {([grid, households]) => (
            <Card title={t('visits.grid', { grid, count: households.length })}>
              <ul class="divide-y divide-stone-200" data-testid="grid" data-grid={grid}>
                <For each={households}>{(household) => <HouseholdItem household={household} />}</For>
              </ul>
            </Card>
          )}
        </For>
      </Show>
      <VisitReport />
    </div>
  )
}

/** Each visitor's households, sealed to their phones for this month (a visitor without the staff space needs this). */
function SendToVisitors() {
  const { shares } = useCommunity()
  const staff = useStaff()
  const visitors = createMemo(() => {
    const byId = new Map<string, { id: string; name: string; count: number }>()
    for (const h of staff.visits.households()) byId.set(h.visitorId, { id: h.visitorId, name: h.visitorName, count: (byId.get(h.visitorId)?.count ?? 0) + 1 })
    return [...byId.values()]
  })
  return (
    <Show when={visitors().length > 0}>
      <Card title={t('visits.sendTitle')}>
        <p class="mb-2 text-stone-700">{t('visits.sendHint')}</p>
        <ul class="divide-y divide-stone-200">
          <For each={visitors()}>
            {(visitor) => {
              const [problem, setProblem] = createSignal<ProblemKey | undefined>()
              const sent = () => {
                const share = shares.data.shares.byId[visitShareIdOf(monthOf(today()), visitor.id)]
                return share?.ended ? undefined : share
              }
              const send = async () => setProblem(firstProblem(await shares.sealVisits(visitor.id, staff.visits.households(), staff.visits.visitsIn(monthOf(today())).concat(staff.visits.visitsIn(keptMonths(today())[0]!)))))
              return (
                <li class="py-2" data-testid="visitor-send" data-visitor={visitor.name}>
                  <p class="font-semibold">{visitor.name} · {t('visits.households', { count: visitor.count })}</p>
                  <Show when={sent()}>{(share) => <p class="text-green-800" data-testid="visits-sent">{t('visits.sentSealed', { count: Object.keys(share().keys).length })}</p>}</Show>
                  <Button variant="secondary" data-testid="send-visits" onClick={() => void send()}>{t('visits.sendSealed')}</Button>
                  <ProblemLine problem={problem()} />
                </li>
              )
            }}
          </For>
        </ul>
      </Card>
    </Show>
  )
}

function HouseholdItem(props: { household: Household }) {
  const staff = useStaff()
  const [editing, setEditing] = createSignal(false)
  const [ending, setEnding] = createSignal(false)
  return (
    <li class="py-3" data-testid="household-row" data-label={props.household.label}>
      <Show when={!editing()} fallback={<HouseholdForm editing={props.household} onDone={() => setEditing(false)} />}>
        <p class="font-bold">{props.household.label} <span class="font-normal text-stone-700">{placeOf(props.household)}</span></p>
        <p class="text-stone-800">{t(`visits.reason.${props.household.reason}`)} · {t(`visits.every.${props.household.every}`)} · {t('visits.visitor', { name: props.household.visitorName })}</p>
        <DueLine due={staff.visits.dueOf(props.household)} />
        <div class="mt-2 flex flex-wrap gap-2">
          <Button variant="secondary" onClick={() => setEditing(true)}>{t('visits.edit')}</Button>
          <Button variant="secondary" onClick={() => setEnding(true)}>{t('visits.end')}</Button>
        </div>
      </Show>
      <Show when={ending()}>
        <Confirm
          message={t('visits.endConfirm', { name: props.household.label })}
          confirmLabel={t('visits.end')}
          onCancel={() => setEnding(false)}
          onConfirm={() => {
            staff.visits.endHousehold(props.household.id)
            setEnding(false)
          }}
        />
      </Show>
    </li>
  )
}

const blank: HouseholdDraft = { grid: '', label: '', elderCode: '', building: '', unit: '', room: '', phone: '', reason: 'alone', every: 'week', visitorId: '', visitorName: '' }

/** Links a household (from the canteen roster, or entered here) to a visitor, or edits one. */
function HouseholdForm(props: { editing?: Household; onDone: (message?: string) => void }) {
  const { members } = useCommunity()
  const staff = useStaff()
  const [draft, setDraft] = createSignal<HouseholdDraft>(props.editing ? { ...props.editing } : blank)
  const [problems, setProblems] = createSignal<Problems<HouseholdField>>({})
  const set = <K extends keyof HouseholdDraft>(key: K, value: HouseholdDraft[K]) => setDraft({ ...draft(), [key]: value })
  const problem = (field: HouseholdField) => (problems()[field] ? t(problems()[field]!) : undefined)
  const visitors = createMemo(() =>
    members
      .ids()
      .map((id) => members.byId[id])
      .filter((m) => m !== undefined && m.role !== 'resident')
      .map((m) => ({ value: m!.deviceId, label: m!.name })),
  )
  const elders = createMemo(() => [...staff.canteen.elders().values()].map((e) => ({ value: e.id, label: `${e.name} (${e.building})` })))
  const fromRoster = (code: string) => {
    const elder = staff.canteen.elders().get(code)
    setDraft({ ...draft(), elderCode: code, ...(elder ? { label: elder.name, building: elder.building, unit: elder.unit, phone: elder.phone } : {}) })
  }
  const save = () => {
    const result = staff.visits.saveHousehold(draft(), props.editing?.id)
    if (!result.ok) return setProblems(result.problems)
    props.onDone(t('visits.linked', { name: result.value.label, visitor: result.value.visitorName }))
  }
  return (
    <form class="mt-3" data-testid="household-form" onSubmit={(e) => (e.preventDefault(), save())}>
      <Show when={elders().length > 0}>
        <Select label={t('visits.fromRoster')} name="elder" value={draft().elderCode} options={[{ value: '', label: '—' }, ...elders()]} onChange={fromRoster} />
      </Show>
      <Field label={t('visits.gridLabel')} hint={t('visits.gridHint')} name="grid" value={draft().grid} onInput={(v) => set('grid', v)} problem={problem('grid')} />
      <Field label={t('visits.label')} name="label" value={draft().label} onInput={(v) => set('label', v)} problem={problem('label')} />
      <div class="grid grid-cols-3 gap-2">
        <Field label={t('visits.buildingLabel')} name="building" value={draft().building} onInput={(v) => set('building', v)} problem={problem('building')} />
        <Field label={t('visits.unitLabel')} name="unit" value={draft().unit} onInput={(v) => set('unit', v)} problem={problem('unit')} />
        <Field label={t('visits.roomLabel')} name="room" value={draft().room} onInput={(v) => set('room', v)} problem={problem('room')} />
      </div>
      <Field label={t('visits.phone')} name="phone" value={draft().phone} onInput={(v) => set('phone', v)} problem={problem('phone')} />
      <Chips label={t('visits.reasonLabel')} options={REASONS} selected={(r) => draft().reason === r} onToggle={(r) => set('reason', r)} text={(r) => t(`visits.reason.${r}`)} testid="household-reason" />
      <Chips label={t('visits.everyLabel')} options={FREQUENCIES} selected={(f) => draft().every === f} onToggle={(f) => set('every', f)} text={(f) => t(`visits.every.${f}`)} testid="household-every" />
      <Select
        label={t('visits.visitorLabel')}
        name="visitor"
        value={draft().visitorId}
        options={[{ value: '', label: '—' }, ...visitors()]}
        onChange={(id) => setDraft({ ...draft(), visitorId: id, visitorName: visitors().find((v) => v.value === id)?.label ?? '' })}
      />
      <Show when={problem('visitorId')}>
        <p role="alert" class="-mt-3 mb-3 font-semibold text-red-800">{problem('visitorId')}</p>
      </Show>
      <div class="flex flex-wrap gap-2">
        <Button type="submit" data-testid="save-household">{t('visits.save')}</Button>
        <Button variant="secondary" onClick={() => props.onDone()}>{t('common.cancel')}</Button>
      </div>
    </form>
  )
}

/** Each grid's visits in a month, who was overdue, as a table, a CSV and a printed page. */
function VisitReport() {
  const staff = useStaff()
  const months = () => keptMonths(today()).slice(0, 2)
  const [month, setMonth] = createSignal(monthOf(today()))
  const report = createMemo(() => staff.visits.report(month()))
  const columns = () => [t('visits.col.grid'), t('visits.col.households'), t('visits.col.visited'), t('visits.col.visits'), t('visits.col.help'), t('visits.col.urgent'), t('visits.col.overdue')]
  const exportCsv = () =>
    downloadCsv(`visits-${month()}.csv`, [
      columns(),
      ...report().map((r) => [r.grid, r.households, r.visited, r.visits, r.help, r.urgent, r.overdue]),
      [],
      [t('visits.col.day'), t('visits.col.grid'), t('visits.label'), t('visits.col.outcome'), t('visits.note'), t('visits.visitorLabel')],
      ...staff.visits.visitsIn(month()).map((v) => {
        const household = staff.visits.householdOf(v.householdId)
        return [v.day, household?.grid ?? '', household?.label ?? '', t(`visits.outcome.${v.outcome}`), v.note, v.visitorName]
      }),
    ])
  return (
    <Card title={t('visits.reportTitle', { month: month() })}>
      <Chips options={months()} selected={(m) => month() === m} onToggle={setMonth} text={(m) => m} testid="visit-report-month" />
      <Show when={report().length > 0} fallback={<p>{t('visits.none')}</p>}>
        <div class="overflow-x-auto">
          <table class="mb-3 w-full text-left" data-testid="visit-report">
            <thead>
              <tr><For each={columns()}>{(c) => <th class="pr-2">{c}</th>}</For></tr>
            </thead>
            <tbody>
              <For each={report()}>
                {(r) => (
                  <tr data-grid={r.grid}>
                    <td class="pr-2">{r.grid}</td><td>{r.households}</td><td>{r.visited}</td><td>{r.visits}</td><td>{r.help}</td><td>{r.urgent}</td><td>{r.overdue}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
        <div class="flex flex-wrap gap-2 print:hidden">
          <Button variant="secondary" data-testid="visit-report-csv" onClick={() => void exportCsv()}>{t('visits.exportCsv')}</Button>
          <Button variant="secondary" onClick={() => window.print()}>{t('visits.print')}</Button>
        </div>
      </Show>
    </Card>
  )
}
