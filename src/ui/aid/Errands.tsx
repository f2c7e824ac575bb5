import { createSignal, For, Show } from 'solid-js'
import { monthOf, today } from '../../domain/calendar'
import { mergeLedgers, SERVICE_CLASSES, type LedgerRow, type Service, type ServiceDraft } from '../../domain/errands'
import { firstProblem, type Problems, type ProblemKey } from '../../domain/validation'
import { Button, Card, Chips, Field, Kept, ProblemLine, Select } from '../common/components'
import { useCommunity, useStaff } from '../common/community'
import { downloadCsv } from '../common/download'
import { problemText, t } from '../common/i18n'
import { PrivateErrands } from './PrivateErrands'

// The 代办 point on staff devices: its list of services (办事指南), the 代办员 staff
// appoint, and the ledger of every errand (代办登记台账), each printable.

export function Errands() {
  return (
    <div class="space-y-4" data-testid="errands">
      <Ledger />
      <PrivateErrands />
      <Services />
      <Agents />
    </div>
  )
}

export const LEDGER_COLUMNS = ['number', 'received', 'applicant', 'service', 'agent', 'passedOn', 'finished', 'result', 'receiptBack'] as const satisfies readonly (keyof LedgerRow)[]

/** The ledger's rows as text: a heading, then one row per errand (screen, print and CSV). */
export const ledgerTable = (rows: readonly LedgerRow[]): string[][] => [LEDGER_COLUMNS.map((c) => t(`ledger.${c}`)), ...rows.map((row) => LEDGER_COLUMNS.map((c) => cellOf(row, c)))]

function cellOf(row: LedgerRow, column: (typeof LEDGER_COLUMNS)[number]): string {
  if (column === 'receiptBack' && !row.receiptBack && row.finished) return t('ledger.notBack')
  if (column === 'service' && row.private) return `${row.service}${t('ledger.private')}`
  return String(row[column] || '')
}

/** A month's ledger, for one 代办员 or all: on staff devices, private errands too (only they hold them). */
export function useLedger(): (month: string, agentId: string) => LedgerRow[] {
  const { aid, staff } = useCommunity()
  return (month, agentId) => mergeLedgers(aid.ledger(month, agentId), staff?.errands.privateLedger(month, agentId) ?? [])
}

export function LedgerTable(props: { rows: readonly LedgerRow[] }) {
  const table = () => ledgerTable(props.rows)
  return (
    <div class="overflow-x-auto">
      <table class="w-full border-collapse text-[0.8em]" data-testid="ledger-table">
        <thead>
          <tr><For each={table()[0]}>{(cell) => <th class="border border-stone-500 px-1 text-left">{cell}</th>}</For></tr>
        </thead>
        <tbody>
          <For each={table().slice(1)}>{(row) => <tr data-number={row[0]}><For each={row}>{(cell) => <td class="border border-stone-500 px-1">{cell}</td>}</For></tr>}</For>
        </tbody>
      </table>
    </div>
  )
}

function Ledger() {
  const { aid } = useCommunity()
  const ledger = useLedger()
  const [month, setMonth] = createSignal(monthOf(today()))
  const [agent, setAgent] = createSignal('')
  const rows = () => ledger(month(), agent())
  return (
    <Card title={t('ledger.title')}>
      <div class="grid grid-cols-2 gap-3">
        <Field label={t('aid.month')} name="ledger-month" type="month" value={month()} onInput={setMonth} />
        <Select label={t('ledger.agent')} name="ledger-agent" value={agent()} options={[{ value: '', label: t('ledger.allAgents') }, ...aid.agents().map((a) => ({ value: a.id, label: a.name }))]} onChange={setAgent} />
      </div>
      <Show when={rows().length > 0} fallback={<p>{t('ledger.empty')}</p>}>
        <LedgerTable rows={rows()} />
      </Show>
      <div class="mt-3 flex flex-wrap gap-2">
        <Button variant="secondary" data-testid="ledger-csv" onClick={() => void downloadCsv(`errands-${month()}.csv`, ledgerTable(rows()))}>{t('aid.export')}</Button>
        <Button variant="secondary" onClick={() => (location.hash = `#/errands-print?view=ledger&month=${month()}&agent=${encodeURIComponent(agent())}`)}>{t('ledger.print')}</Button>
      </div>
    </Card>
  )
}

const emptyService: ServiceDraft = { name: '', serviceClass: 'identity', materials: [], where: '', fee: '', days: '', takesDays: '', sensitive: false }
const draftOf = (s: Service): ServiceDraft => ({ name: s.name, serviceClass: s.serviceClass, materials: [...s.materials], where: s.where, fee: s.fee, days: s.days, takesDays: s.takesDays === null ? '' : String(s.takesDays), sensitive: s.sensitive })

function Services() {
  const { aid } = useCommunity()
  const staff = useStaff()
  const [editing, setEditing] = createSignal<{ id?: string; draft: ServiceDraft } | null>(null)
  const [materials, setMaterials] = createSignal('')
  const [problems, setProblems] = createSignal<Problems>({})
  const [said, setSaid] = createSignal('')
  const open = (id?: string, draft: ServiceDraft = emptyService) => (setEditing({ ...(id ? { id } : {}), draft }), setMaterials(draft.materials.join('\n')), setProblems({}), setSaid(''))
  const set = <K extends keyof ServiceDraft>(key: K, value: ServiceDraft[K]) => setEditing({ ...editing()!, draft: { ...editing()!.draft, [key]: value } })
  const save = (event: Event) => {
    event.preventDefault()
    const e = editing()!
    const result = staff.errands.saveService({ ...e.draft, materials: materials().split('\n') }, e.id)
    if (!result.ok) return setProblems(result.problems)
    setEditing(null)
    setSaid(t('common.saved'))
  }
  const listed = () => aid.services().filter((s) => !s.retired)
  return (
    <Card title={t('services.title')}>
      <p class="mb-2 text-stone-800">{t('services.intro')}</p>
      <Show when={listed().length > 0} fallback={<p>{t('services.empty')}</p>}>
        <ul class="divide-y divide-stone-200" data-testid="services">
          <For each={listed()}>
            {(s) => (
              <li class="py-2" data-testid="service" data-name={s.name}>
                <p class="font-bold">{s.name} <span class="font-normal text-stone-700">· {t(`services.class.${s.serviceClass}`)}{s.sensitive ? ` · ${t('services.sensitive')}` : ''}</span></p>
                <p class="text-[0.9em]">{s.materials.join('、')}</p>
                <div class="flex gap-2">
                  <Button variant="secondary" onClick={() => open(s.id, draftOf(s))}>{t('shifts.edit')}</Button>
                  <Button variant="secondary" onClick={() => void staff.errands.retireService(s.id)}>{t('services.retire')}</Button>
                </div>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={said()}><p role="status" class="font-semibold text-green-800"><Kept>{said()}</Kept></p></Show>
      <Show when={editing()} fallback={
        <div class="mt-2 flex flex-wrap gap-2">
          <Button data-testid="add-service" onClick={() => open()}>{t('services.add')}</Button>
          <a class="inline-flex min-h-12 items-center rounded-xl border-2 border-stone-700 px-4 font-semibold" href="#/errands-print?view=guide">{t('services.printGuide')}</a>
        </div>
      }>
        {(e) => (
          <form class="mt-3 rounded-xl bg-amber-50 p-3" data-testid="service-form" onSubmit={save}>
            <Field label={t('services.name')} name="service-name" value={e().draft.name} problem={problemText(problems().name)} onInput={(v) => set('name', v)} />
            <Chips label={t('services.classLabel')} options={SERVICE_CLASSES} selected={(c) => e().draft.serviceClass === c} onToggle={(c) => set('serviceClass', c)} text={(c) => t(`services.class.${c}`)} testid="service-class" />
            <Field label={t('aid.form.materials')} name="service-materials" multiline value={materials()} problem={problemText(problems().materials)} onInput={setMaterials} />
            <Field label={t('services.where')} name="service-where" value={e().draft.where} problem={problemText(problems().where)} onInput={(v) => set('where', v)} />
            <Field label={t('services.fee')} name="service-fee" value={e().draft.fee} problem={problemText(problems().fee)} onInput={(v) => set('fee', v)} />
            <Field label={t('services.days')} name="service-days" value={e().draft.days} problem={problemText(problems().days)} onInput={(v) => set('days', v)} />
            <Field label={t('services.takesDays')} name="service-takes" type="number" value={e().draft.takesDays} problem={problemText(problems().takesDays)} onInput={(v) => set('takesDays', v)} />
            <label class="mb-4 flex min-h-12 items-center gap-3">
              <input type="checkbox" class="h-7 w-7" name="service-sensitive" checked={e().draft.sensitive} onChange={(ev) => set('sensitive', ev.currentTarget.checked)} />
              <span class="font-semibold">{t('services.sensitiveLabel')}</span>
            </label>
            <div class="flex gap-3">
              <Button type="submit">{t('common.save')}</Button>
              <Button variant="secondary" onClick={() => setEditing(null)}>{t('common.cancel')}</Button>
            </div>
          </form>
        )}
      </Show>
    </Card>
  )
}

function Agents() {
  const { aid, members } = useCommunity()
  const staff = useStaff()
  const [personId, setPersonId] = createSignal('')
  const [phone, setPhone] = createSignal('')
  const [problem, setProblem] = createSignal<ProblemKey | undefined>()
  const [said, setSaid] = createSignal('')
  const candidates = () => members.ids().map((id) => members.byId[id]!).filter((m) => m && !aid.isAgent(m.deviceId))
  const appoint = () => {
    const member = members.byId[personId()]
    if (!member) return setProblem('problem.required')
    const result = staff.errands.setAgent({ id: member.deviceId, name: member.name }, phone(), true)
    setProblem(firstProblem(result))
    if (result.ok) (setPersonId(''), setPhone(''), setSaid(t('agents.appointed', { name: member.name })))
  }
  return (
    <Card title={t('agents.title')}>
      <p class="mb-2 text-stone-800">{t('agents.intro')}</p>
      <Show when={aid.agents().length > 0} fallback={<p>{t('agents.none')}</p>}>
        <ul class="divide-y divide-stone-200" data-testid="agents">
          <For each={aid.agents()}>
            {(a) => (
              <li class="flex items-center justify-between gap-2 py-2" data-testid="agent" data-name={a.name}>
                <span class="font-semibold">{a.name} {a.phone}</span>
                <Button variant="secondary" onClick={() => setProblem(firstProblem(staff.errands.setAgent({ id: a.id, name: a.name }, a.phone, false)))}>{t('agents.standDown')}</Button>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <div class="mt-3 rounded-xl bg-amber-50 p-3" data-testid="agent-form">
        <Select label={t('agents.who')} name="agent-person" value={personId()} options={[{ value: '', label: '—' }, ...candidates().map((m) => ({ value: m.deviceId, label: m.name }))]} onChange={setPersonId} />
        <Field label={t('agents.phone')} name="agent-phone" value={phone()} onInput={setPhone} />
        <Button data-testid="appoint-agent" onClick={appoint}>{t('agents.appoint')}</Button>
        <ProblemLine problem={problem()} />
        <Show when={said()}><p role="status" class="font-semibold text-green-800"><Kept>{said()}</Kept></p></Show>
      </div>
    </Card>
  )
}
