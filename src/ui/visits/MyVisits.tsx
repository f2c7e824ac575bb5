import { createMemo, createSignal, For, Show } from 'solid-js'
import { createOpenedShare, createSharesForMe } from '../common/shares'
import { byUrgency, dueOf, OUTCOMES, type HouseholdDue, type Outcome, type Visit } from '../../domain/visits'
import { today } from '../../domain/calendar'
import type { Share } from '../../domain/shares'
import { firstProblem, type ProblemKey } from '../../domain/validation'
import { Button, Card, Field, Kept, ProblemLine } from '../common/components'
import { useCommunity, useStaff } from '../common/community'
import { t } from '../common/i18n'

// The visitor's list on Today: their households, overdue first, each logged in two
// taps (open it, then all well / needs help / urgent), offline like everything else.

export function MyVisits() {
  const { actor } = useCommunity()
  const staff = useStaff()
  // Rows by household id, so a row keeps what it just said when the order changes.
  const ids = createMemo(() => staff.visits.dueFor(actor().id).map((due) => due.household.id), [], { equals: (a, b) => a.join() === b.join() })
  return (
    <Show when={ids().length > 0}>
      <Card title={t('visits.mine')}>
        <ul class="divide-y divide-stone-200" data-testid="my-visits">
          <For each={ids()}>
            {(id) => {
              const due = createMemo(() => {
                const household = staff.visits.householdOf(id)
                return household ? staff.visits.dueOf(household) : null
              })
              return <Show when={due()}>{(d) => <HouseholdRow due={d()} onLog={(outcome, note) => firstProblem(staff.visits.logVisit(d().household.id, outcome, note))} />}</Show>
            }}
          </For>
        </ul>
      </Card>
    </Show>
  )
}

export const placeOf = (h: { building: string; unit: string; room: string }) => [h.building && t('visits.building', { n: h.building }), h.unit && t('visits.unit', { n: h.unit }), h.room].filter(Boolean).join(' ')

/** Where a household stands: overdue since, due on, or visited and next due. */
export function DueLine(props: { due: HouseholdDue }) {
  return (
    <p class={props.due.status === 'overdue' ? 'font-semibold text-red-800' : props.due.status === 'due' ? 'font-semibold text-amber-800' : 'text-green-800'} data-testid="due-status" data-status={props.due.status}>
      {props.due.status === 'overdue' ? t('visits.overdue', { day: props.due.due }) : props.due.status === 'due' ? t('visits.dueOn', { day: props.due.due }) : t('visits.visited', { day: props.due.last?.day ?? '', next: props.due.due })}
    </p>
  )
}

/** One household on a visitor's list: where it is, whether a visit is due, and logging one (all well / needs help / urgent). */
export function HouseholdRow(props: { due: HouseholdDue; onLog: (outcome: Outcome, note: string) => ProblemKey | undefined | Promise<ProblemKey | undefined> }) {
  const household = () => props.due.household
  const [open, setOpen] = createSignal(false)
  const [note, setNote] = createSignal('')
  const [problem, setProblem] = createSignal<ProblemKey | undefined>()
  const [saved, setSaved] = createSignal<Outcome | null>(null)
  const log = async (outcome: Outcome) => {
    const problem = await props.onLog(outcome, note())
    setProblem(problem)
    if (problem) return
    setSaved(outcome)
    setNote('')
    setOpen(false)
  }
  return (
    <li class="py-3" data-testid="household" data-label={household().label}>
      <p class="font-bold">{household().label} <span class="font-normal text-stone-700">· {household().grid} {placeOf(household())}</span></p>
      <Show when={household().phone}>
        <p><a class="underline" href={`tel:${household().phone}`}>{household().phone}</a></p>
      </Show>
      <DueLine due={props.due} />
      <Show when={saved()}>
        {(outcome) => <p role="status" class="font-semibold text-green-800" data-testid="visit-saved"><Kept>{t(`visits.saved.${outcome()}`, { name: household().label })}</Kept></p>}
      </Show>
      <Show when={open()} fallback={<Button class="mt-2" variant="secondary" data-testid="log-visit" onClick={() => (setOpen(true), setSaved(null))}>{t('visits.log')}</Button>}>
        <div class="mt-2 rounded-xl border border-stone-300 p-3" data-testid="visit-form">
          <Field label={t('visits.note')} hint={t('visits.noteHint')} multiline value={note()} onInput={setNote} name="visit-note" />
          <div class="flex flex-wrap gap-2">
            <For each={OUTCOMES}>
              {(outcome) => (
                <Button variant={outcome === 'urgent' ? 'danger' : outcome === 'help' ? 'secondary' : 'primary'} data-testid={`visit-${outcome}`} onClick={() => void log(outcome)}>
                  {t(`visits.outcome.${outcome}`)}
                </Button>
              )}
            </For>
            <Button variant="secondary" onClick={() => setOpen(false)}>{t('common.cancel')}</Button>
          </div>
          <ProblemLine problem={problem()} />
        </div>
      </Show>
    </li>
  )
}

/** On every staff device's Today: urgent visits until someone marks them dealt with. */
export function UrgentVisits() {
  const staff = useStaff()
  return (
    <Show when={staff.visits.urgent().length > 0}>
      <Card title={t('visits.urgentTitle')} class="border-red-700">
        <ul class="divide-y divide-stone-200" data-testid="urgent-visits">
          <For each={staff.visits.urgent()}>
            {(visit) => {
              const household = () => staff.visits.householdOf(visit.householdId)
              return (
                <li role="alert" class="py-3" data-testid="urgent-visit">
                  <p class="font-bold text-red-900">{household()?.label ?? '—'} · {household()?.grid} {household() ? placeOf(household()!) : ''}</p>
                  <p class="whitespace-pre-wrap">{visit.note}</p>
                  <p class="text-stone-700">{t('visits.byOn', { name: visit.visitorName, day: visit.day })}</p>
                  <Show when={household()?.phone}>
                    <p><a class="underline" href={`tel:${household()!.phone}`}>{household()!.phone}</a></p>
                  </Show>
                  <Button class="mt-2" variant="secondary" data-testid="follow-up" onClick={() => staff.visits.followUp(visit.id)}>{t('visits.dealtWith')}</Button>
                </li>
              )
            }}
          </For>
        </ul>
      </Card>
    </Show>
  )
}

/**
 * A visitor's households sealed to this phone by staff (no staff space here): the
 * same list and two taps; visits go back sealed, and "needs help" posts its request.
 */
export function SealedVisits() {
  const mine = createSharesForMe('visits')
  return <For each={mine()}>{(share) => <SealedVisitList share={share} />}</For>
}

function SealedVisitList(props: { share: Share }) {
  const { shares, actor } = useCommunity()
  const { opened, replies: logged } = createOpenedShare(() => props.share, 'visits', shares.openVisit)
  const list = createMemo(() => {
    const o = opened()
    if (!o) return []
    // The last visit staff knew of when they sealed it, and what this phone logged since.
    const visits: Visit[] = [
      ...o.visits.households.filter((h) => h.last).map((h) => ({ id: `last-${h.id}`, householdId: h.id, day: h.last, outcome: 'well' as const, note: '', visitorId: '', visitorName: '', requestId: '', stamp: '' })),
      ...(logged() ?? []).map((v, i) => ({ ...v, id: `mine-${i}`, visitorId: actor().id, visitorName: actor().name, stamp: '' })),
    ]
    return o.visits.households.map((h) => dueOf({ ...h, elderCode: '', visitorId: actor().id, visitorName: actor().name, ended: false, stamp: '' }, visits, today())).sort(byUrgency)
  })
  // Rows by household id, so a row keeps what it just said when the order changes.
  const ids = createMemo(() => list().map((due) => due.household.id), [], { equals: (a, b) => a.join() === b.join() })
  return (
    <Show when={opened() && list().length > 0}>
      <Card title={t('visits.mine')}>
        <p class="mb-2 text-stone-700">{t('visits.sealedNote')}</p>
        <ul class="divide-y divide-stone-200" data-testid="my-visits" data-sealed="true">
          <For each={ids()}>
            {(id) => (
              <Show when={list().find((due) => due.household.id === id)}>
                {(due) => <HouseholdRow due={due()} onLog={async (outcome, note) => firstProblem(await shares.logVisit(opened()!, id, outcome, note))} />}
              </Show>
            )}
          </For>
        </ul>
      </Card>
    </Show>
  )
}
