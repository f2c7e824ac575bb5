import { createMemo, createResource, createSignal, For, Show } from 'solid-js'
import { monthOf, today } from '../../domain/calendar'
import { stampDay } from '../../domain/hlc'
import { CONCERN_CATEGORIES, isBuiltInCategory, CONCERN_SOURCES, concernReport, isOverdue, isPrivate, open311, ratesOf, SATISFACTION, type ConcernDraft, type ConcernEvent, type ConcernStep, type ConcernReport, type PhotoInput, type Satisfaction, type StepInput } from '../../domain/concerns'
import { firstProblem, type Problems, type ProblemKey } from '../../domain/validation'
import { Button, Card, Chips, Confirm, Field, Kept, ProblemLine, PublishPanel, SavingMark } from '../common/components'
import { StaffOnly, useCommunity, useStaff } from '../common/community'
import { downloadCsv, downloadText } from '../common/download'
import { restoreDraft } from '../common/drafts'
import { problemText, t } from '../common/i18n'
import { percent } from '../common/time'
import type { ConcernItem } from './board'
import { photoSrc, shrinkPhoto } from './photo'

// Residents' concerns (民情诉求): anyone reports one; staff take it up, pass it up,
// answer or resolve it; the reporter confirms and rates. Residents see their own;
// staff see the list to act on (overdue first), every concern, and the month's figures.

type View = 'todo' | 'all' | 'report' | 'categories'

/** A category in the reader's words: a built-in one's from the dictionary, an added one's as staff wrote it. */
export function useCategoryName(): (id: string) => string {
  const { concerns } = useCommunity()
  return (id) => (isBuiltInCategory(id) ? t(`concerns.cat.${id}`) : concerns.categoryRecord(id)?.name || id)
}

export function Concerns() {
  const { concerns, actor } = useCommunity()
  const [view, setView] = createSignal<View>('todo')
  const staff = () => actor().staff
  const shown = createMemo(() => (!staff() ? concerns.mine(actor().id) : view() === 'todo' ? concerns.todo(today()) : concerns.items()))
  return (
    <div class="space-y-4" data-testid="concerns">
      <Card title={t('concerns.title')}>
        <p class="mb-2 text-stone-800">{t('concerns.intro')}</p>
        <PublishPanel label={t('concerns.report')} testid="report-concern" draft="concern" form={(done) => <ConcernForm onDone={done} />} />
        <Show when={staff()}>
          <Chips options={['todo', 'all', 'report', 'categories'] as const} selected={(v) => view() === v} onToggle={setView} text={(v) => t(`concerns.view.${v}`)} testid="concerns-view" />
          <div class="flex flex-wrap gap-2">
            <a class="underline" href="#/concerns-print?view=week" data-testid="print-week">{t('concerns.printWeek')}</a>
          </div>
        </Show>
      </Card>
      <Show when={staff() && view() === 'categories'}>
        <StaffOnly>
          <CategoryList />
        </StaffOnly>
      </Show>
      <Show when={!staff() || (view() !== 'report' && view() !== 'categories')} fallback={<Show when={view() === 'report'}><ConcernReportCard /></Show>}>
        <Show when={shown().length > 0} fallback={<p class="px-1" data-testid="concerns-empty">{staff() ? t('concerns.noneOpen') : t('concerns.noneMine')}</p>}>
          {/* By id: a card keeps what it just said while its concern is derived anew. */}
          <For each={shown().map((i) => i.concern.id)}>{(id) => <ConcernCard id={id} />}</For>
        </Show>
      </Show>
    </div>
  )
}

/** Report a concern: one's own, or (staff, helpers) one taken by phone, at the desk or on a round. */
function ConcernForm(props: { onDone: (message?: string) => void }) {
  const { concerns, helps, actor } = useCommunity()
  const categoryName = useCategoryName()
  const [draft, setDraft] = createSignal<ConcernDraft>({ category: concerns.categories().includes('repairs') ? 'repairs' : (concerns.categories()[0] ?? 'other'), what: '', where: '', source: 'app', forName: '' })
  const [problems, setProblems] = createSignal<Problems>({})
  const [photo, setPhoto] = createSignal<PhotoInput | null>(null)
  const [shrinking, setShrinking] = createSignal(false)
  const set = <K extends keyof ConcernDraft>(key: K, value: ConcernDraft[K]) => setDraft({ ...draft(), [key]: value })
  const choosePhoto = async (input: HTMLInputElement) => {
    const file = input.files?.[0]
    if (!file) return
    setShrinking(true)
    const shrunk = await shrinkPhoto(file)
    setShrinking(false)
    setPhoto(shrunk)
    setProblems({ ...problems(), photo: shrunk ? undefined : 'problem.photoUnreadable' })
  }
  const [sending, setSending] = createSignal(false)
  const submit = async (event: Event) => {
    event.preventDefault()
    if (shrinking() || sending()) return
    setSending(true)
    const result = await concerns.report(draft(), draft().private ? undefined : (photo() ?? undefined))
    setSending(false)
    if (!result.ok) return setProblems(result.problems)
    props.onDone(t('concerns.reported'))
  }
  return (
    <form onSubmit={submit} class="rounded-xl bg-amber-50 p-3" data-testid="concern-form" data-draft="concern" ref={restoreDraft}>
      <Chips label={t('concerns.form.category')} options={concerns.categories()} selected={(c) => draft().category === c} onToggle={(c) => set('category', c)} text={categoryName} testid="concern-category" />
      <ProblemLine problem={problems().category} />
      <Field label={t('concerns.form.what')} name="what" multiline value={draft().what} problem={problemText(problems().what)} onInput={(v) => set('what', v)} />
      <Field label={t('concerns.form.where')} name="where" value={draft().where} problem={problemText(problems().where)} onInput={(v) => set('where', v)} />
      <Show when={actor().staff || helps()}>
        <Chips label={t('concerns.form.source')} options={CONCERN_SOURCES} selected={(s) => draft().source === s} onToggle={(s) => set('source', s)} text={(s) => t(`concerns.source.${s}`)} testid="concern-source" />
        <Field label={t('concerns.form.for')} name="forName" value={draft().forName} problem={problemText(problems().forName)} onInput={(v) => set('forName', v)} />
      </Show>
      <label class="mb-2 flex min-h-12 items-center gap-3">
        <input type="checkbox" class="h-7 w-7" name="private" data-testid="concern-private" checked={draft().private === true} onChange={(e) => set('private', e.currentTarget.checked)} />
        <span class="font-semibold">{t('concerns.form.private')}</span>
      </label>
      <ProblemLine problem={problems().private} />
      <Show when={!draft().private}>
      <label class="mb-2 block font-semibold text-stone-900">
        {t('concerns.form.photo')}
        <input class="mt-1 block min-h-12" type="file" accept="image/*" capture="environment" name="photo" data-testid="concern-photo-input" onChange={(e) => void choosePhoto(e.currentTarget)} />
      </label>
      <Show when={shrinking()}><p role="status">{t('concerns.photoShrinking')}</p></Show>
      <Show when={photo()}>
        {(p) => (
          <div class="mb-2 flex items-end gap-2">
            <img class="max-h-32 rounded border border-stone-400" src={`data:image/jpeg;base64,${p().base64}`} alt={t('concerns.photoAlt')} data-testid="concern-photo-preview" />
            <Button variant="secondary" onClick={() => setPhoto(null)}>{t('concerns.photoRemove')}</Button>
          </div>
        )}
      </Show>
      <ProblemLine problem={problems().photo} />
      </Show>
      <p class="mb-3 text-[0.9em] text-stone-700">{draft().private ? t('concerns.form.privateHint') : t('concerns.form.public')}</p>
      <div class="flex gap-3">
        <Button type="submit" disabled={sending()}>{t('concerns.send')}</Button>
        <Button variant="secondary" onClick={() => props.onDone()}>{t('common.cancel')}</Button>
      </div>
    </form>
  )
}

/** Every step so far, those that did not count greyed (a step that came too late). */
function ConcernHistory(props: { item: ConcernItem; open: boolean; noteOf: (e: ConcernEvent) => { note?: string; to?: string; assignee?: string } }) {
  return (
    <Show when={props.item.status.history.length > 0}>
      <details class="mt-2" open={props.open}>
        <summary class="min-h-12 cursor-pointer content-center font-semibold">{t('concerns.history', { count: props.item.status.history.length })}</summary>
        <ol class="ml-5 list-decimal" data-testid="concern-history">
          <For each={props.item.status.history}>
            {(h) => (
              <li class={h.applied ? '' : 'text-stone-500'} data-type={h.event.type}>
                {stampDay(h.event.stamp)} {t(`concerns.event.${h.event.type}`, { name: h.event.byName, to: props.noteOf(h.event).to ?? '', assignee: props.noteOf(h.event).assignee ?? '', due: h.event.due ?? '', satisfaction: h.event.satisfaction ? t(`concerns.sat.${h.event.satisfaction}`) : '', solved: h.event.solved ? t('concerns.solvedYes') : t('concerns.solvedNo') })}
                <Show when={props.noteOf(h.event).note}>：{props.noteOf(h.event).note}</Show>
                <Show when={!h.applied}> {t('aid.event.ignored')}</Show>
              </li>
            )}
          </For>
        </ol>
      </details>
    </Show>
  )
}

/** What a step asks for: who and by when, to whom it is passed up, solved and how satisfied, a note. */
function StepFields(props: { type: ConcernStep; input: StepInput; set: <K extends keyof StepInput>(key: K, value: StepInput[K]) => void; problem: ProblemKey | undefined; reopens: boolean }) {
  return (
    <>
      <Show when={props.type === 'accept'}>
        <Field label={t('concerns.form.assignee')} name="assignee" value={props.input.assignee ?? ''} onInput={(v) => props.set('assignee', v)} problem={problemText(props.problem)} />
        <Field label={t('concerns.form.due')} name="due" type="date" value={props.input.due ?? ''} onInput={(v) => props.set('due', v)} />
      </Show>
      <Show when={props.type === 'passUp'}>
        <Field label={t('concerns.form.to')} name="to" value={props.input.to ?? ''} onInput={(v) => props.set('to', v)} />
      </Show>
      <Show when={props.type === 'rate'}>
        <Chips label={t('concerns.form.solved')} options={['yes', 'no'] as const} selected={(v) => props.input.solved === (v === 'yes')} onToggle={(v) => props.set('solved', v === 'yes')} text={(v) => (v === 'yes' ? t('concerns.solvedYes') : t('concerns.solvedNo'))} testid="concern-solved" />
        <Chips label={t('concerns.form.satisfaction')} options={SATISFACTION} selected={(s) => props.input.satisfaction === s} onToggle={(s: Satisfaction) => props.set('satisfaction', s)} text={(s) => t(`concerns.sat.${s}`)} testid="concern-satisfaction" />
        <Show when={props.input.satisfaction === 'unsatisfied' && props.reopens}>
          <p class="font-semibold">{t('concerns.reopenHint')}</p>
        </Show>
      </Show>
      <Show when={props.type !== 'accept'}>
        <Field label={t(`concerns.noteFor.${props.type}`)} name="step-note" multiline value={props.input.note ?? ''} onInput={(v) => props.set('note', v)} />
      </Show>
    </>
  )
}

/** One concern: what, where, where it stands, every step so far, and the step this person may take next. */
export function ConcernCard(props: { id: string }) {
  const { concerns, actor } = useCommunity()
  const item = () => concerns.item(props.id)
  const [asking, setAsking] = createSignal<ConcernStep | null>(null)
  const [input, setInput] = createSignal<StepInput>({})
  const [problem, setProblem] = createSignal<ProblemKey | undefined>()
  const [withdrawing, setWithdrawing] = createSignal(false)
  const [done, setDone] = createSignal('')
  const set = <K extends keyof StepInput>(key: K, value: StepInput[K]) => setInput({ ...input(), [key]: value })
  const go = async (type: ConcernStep) => {
    const result = await concerns.step(props.id, type, input())
    setProblem(firstProblem(result))
    if (!result.ok) return
    setAsking(null)
    setInput({})
    setDone(t(`concerns.did.${type}`))
  }
  const ask = (type: ConcernStep) => (setAsking(type), setInput({}), setProblem(undefined), setDone(''))
  const staff = () => actor().staff
  // A private concern's words and its steps' notes are opened here, if this device may.
  const hidden = () => (item() && isPrivate(item()!.concern) ? item()!.concern : false)
  // Opened again when the keys that open it change (the drop box's on a staff phone may be checked, or arrive, after the concern).
  const [words] = createResource(() => { const c = hidden(); return c ? { concern: c, keys: concerns.openingKeys() } : false }, ({ concern }) => concerns.wordsOf(concern))
  const [notes] = createResource(
    () => { const c = hidden(); return c ? { concern: c, keys: concerns.openingKeys(), events: item()!.status.history.map((h) => h.event).filter((e) => e.sealed) } : false },
    async ({ concern, events }) => new Map(await Promise.all(events.map(async (e) => [e.id, await concerns.noteOf(concern, e)] as const))),
  )
  const shown = (i: ConcernItem) => (isPrivate(i.concern) ? { what: words()?.what ?? t('concerns.privateHidden'), where: words()?.where ?? '', forName: words()?.forName ?? '' } : i.concern)
  const noteOf = (e: ConcernEvent) => (e.sealed ? (notes()?.get(e.id) ?? {}) : e)
  /** The reply or what was done: on a private concern, from its sealed note. */
  const outcome = (i: ConcernItem) => {
    if (!isPrivate(i.concern)) return i.status.outcome
    const handled = i.status.history.filter((h) => h.applied && (h.event.type === 'answer' || h.event.type === 'resolve')).at(-1)
    return handled && i.status.handledAt ? (noteOf(handled.event).note ?? '') : ''
  }
  const categoryName = useCategoryName()
  const isReporter = (i: ConcernItem) => i.concern.reportedBy === actor().id || i.concern.forId === actor().id
  /** The steps this person may take now, by the state; the domain checks again. */
  const steps = (i: ConcernItem): ConcernStep[] => {
    const state = i.status.state
    const mine: ConcernStep[] = []
    if (staff()) {
      if (state === 'new' || state === 'handling' || state === 'passedUp') mine.push('accept', 'answer')
      if (state === 'new' || state === 'handling') mine.push('passUp')
      if (state === 'handling' || state === 'passedUp') mine.push('resolve')
      if (state !== 'closed' && state !== 'withdrawn') mine.push('note')
    }
    if ((isReporter(i) || staff()) && (state === 'answered' || state === 'resolved')) mine.push('rate')
    return mine
  }
  return (
    <Show when={item()}>
      {(i) => (
        <article class="list-card rounded-2xl border-2 border-stone-300 bg-white p-4" data-testid="concern-card" data-state={i().status.state}>
          <div class="flex flex-wrap items-center gap-2 text-[0.85em] font-semibold">
            <span class="rounded-full bg-stone-100 px-3">{categoryName(i().concern.category)}</span>
            <Show when={isOverdue(i().concern, i().status, today())}>
              <span class="rounded-full bg-red-700 px-3 text-white" data-testid="concern-overdue">{t('concerns.overdue')}</span>
            </Show>
            <Show when={isPrivate(i().concern)}>
              <span class="rounded-full bg-stone-800 px-3 text-white" data-testid="concern-private-mark">{t('concerns.privateMark')}</span>
            </Show>
            <span class="ml-auto" data-testid="concern-state">{t(`concerns.state.${i().status.state}`)}</span>
            <SavingMark collection="concerns" id={props.id} />
          </div>
          <p class="mt-1 whitespace-pre-line text-lg font-bold text-stone-900" data-testid="concern-what">{shown(i()).what}</p>
          <Show when={concerns.photoOf(props.id)}>
            {(photo) => <img class="mt-2 h-auto max-h-64 w-auto max-w-full rounded border border-stone-400" src={photoSrc(photo().parts)} width={photo().width} height={photo().height} alt={t('concerns.photoAlt')} data-testid="concern-photo" loading="lazy" />}
          </Show>
          <p class="text-stone-800">
            {shown(i()).where || t('concerns.noWhere')} · {stampDay(i().concern.stamp)}
            <Show when={staff() || i().concern.forId !== actor().id}> · {t('concerns.from', { name: shown(i()).forName, how: t(`concerns.source.${i().concern.source}`) })}</Show>
          </p>
          <Show when={i().status.state === 'handling' && (i().status.assignee || i().status.due)}>
            <p>{t('concerns.handledBy', { name: i().status.assignee ?? '', due: i().status.due ?? '—' })}</p>
          </Show>
          <Show when={outcome(i())}>
            <p class="mt-1 rounded-lg bg-green-50 p-2 font-semibold text-green-900" data-testid="concern-outcome">{t('concerns.outcome', { text: outcome(i()) })}</p>
          </Show>
          <ConcernHistory item={i()} open={isReporter(i())} noteOf={noteOf} />
          <Show when={i().status.passedUp && staff()}>
            <a class="mt-1 inline-block underline" href={`#/concerns-print?view=handoff&id=${encodeURIComponent(props.id)}`} data-testid="print-handoff">{t('concerns.printHandoff')}</a>
          </Show>
          <Show when={done()}>
            <p role="status" class="mt-2 font-semibold text-green-800" data-testid="concern-done"><Kept>{done()}</Kept></p>
          </Show>
          <Show when={asking()} fallback={
            <div class="mt-2 flex flex-wrap gap-2">
              <For each={steps(i())}>{(type) => <Button variant={type === 'rate' || type === 'resolve' ? 'primary' : 'secondary'} data-testid={`concern-${type}`} onClick={() => ask(type)}>{t(`concerns.step.${type}`)}</Button>}</For>
              <Show when={isReporter(i()) && i().status.state === 'new'}>
                <Button variant="secondary" data-testid="concern-withdraw" onClick={() => setWithdrawing(true)}>{t('aid.withdraw')}</Button>
              </Show>
            </div>
          }>
            {(type) => (
              <div class="mt-2 rounded-xl border border-stone-300 p-3" data-testid="concern-step-form">
                <StepFields type={type()} input={input()} set={set} problem={problem()} reopens={i().status.reopened === 0} />
                <div class="flex flex-wrap gap-2">
                  <Button data-testid="concern-step-save" onClick={() => void go(type())}>{t(`concerns.step.${type()}`)}</Button>
                  <Button variant="secondary" onClick={() => setAsking(null)}>{t('common.cancel')}</Button>
                </div>
                <ProblemLine problem={problem()} />
              </div>
            )}
          </Show>
          <Show when={withdrawing()}>
            <Confirm message={t('concerns.withdrawConfirm')} confirmLabel={t('aid.withdraw')} onConfirm={() => (setWithdrawing(false), void go('withdraw'))} onCancel={() => setWithdrawing(false)} />
          </Show>
        </article>
      )}
    </Show>
  )
}

export 
/** The month's figures as the field reports them, with CSV, print, the public summary and the Open311 export. */
function ConcernReportCard() {
  const { concerns, name } = useCommunity()
  const [month, setMonth] = createSignal(monthOf(today()))
  const categoryName = useCategoryName()
  const report = createMemo(() => concernReport(concerns.items(), month(), concerns.categories()))
  const rows = () => reportRows(report(), categoryName)
  const exportOpen311 = () => {
    const { services, requests } = open311(concerns.items(), categoryName, name, concerns.categories())
    downloadText(`georeport-v2-${month()}.json`, JSON.stringify({ services, requests: requests.filter((r) => r.requested_datetime.startsWith(month())) }, null, 2), 'application/json')
  }
  return (
    <Card title={t('concerns.view.report')}>
      <div data-testid="concerns-report">
        <Field label={t('aid.month')} name="month" type="month" value={month()} onInput={setMonth} />
        <ReportTable rows={rows()} />
        <p class="mt-2 text-[0.9em] text-stone-700">{t('concerns.rateNote')}</p>
        <div class="mt-3 flex flex-wrap gap-2">
          <Button variant="secondary" onClick={() => void downloadCsv(`concerns-${month()}.csv`, rows())}>{t('aid.export')}</Button>
          <Button variant="secondary" onClick={() => (location.hash = `#/concerns-print?view=report&month=${month()}`)}>{t('concerns.printReport')}</Button>
          <Button variant="secondary" onClick={() => (location.hash = `#/concerns-print?view=summary&month=${month()}`)}>{t('concerns.printSummary')}</Button>
          <Button variant="secondary" data-testid="export-open311" onClick={exportOpen311}>{t('concerns.exportOpen311')}</Button>
        </div>
      </div>
    </Card>
  )
}

const COUNTS = ['received', 'respondedInDay', 'passedUp', 'rated', 'solved', 'satisfied', 'finished'] as const
const RATES = ['response', 'resolution', 'satisfaction', 'finish'] as const

/** The month's figures as rows: a heading, one row per category, then the total (screen, print and CSV). */
export function reportRows(report: ConcernReport, categoryName: (id: string) => string): (string | number)[][] {
  const rows = [...report.rows.map(({ category, counts }) => [categoryName(category), counts] as const), [t('concerns.total'), report.total] as const]
  return [
    [t('concerns.csv.category'), ...COUNTS.map((c) => t(`concerns.count.${c}`)), ...RATES.map((r) => t(`concerns.rate.${r}`))],
    ...rows.map(([label, counts]) => [label, ...COUNTS.map((c) => counts[c]), ...RATES.map((r) => percent(ratesOf(counts)[r]))]),
  ]
}

export function ReportTable(props: { rows: (string | number)[][] }) {
  return (
    <div class="overflow-x-auto">
      <table class="w-full border-collapse text-[0.85em]" data-testid="concerns-table">
        <thead>
          <tr>
            <For each={props.rows[0]}>{(cell) => <th class="border border-stone-400 px-1 text-left">{cell}</th>}</For>
          </tr>
        </thead>
        <tbody>
          <For each={props.rows.slice(1)}>
            {(row) => (
              <tr data-row={row[0]}>
                <For each={row}>{(cell) => <td class="border border-stone-400 px-1">{cell}</td>}</For>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </div>
  )
}

/** Staff keep the list residents choose from: add a category in their own words, take one off (old concerns keep theirs), put it back. */
function CategoryList() {
  const { concerns } = useCommunity()
  const staff = useStaff()
  const categoryName = useCategoryName()
  const [name, setName] = createSignal('')
  const [problem, setProblem] = createSignal<ProblemKey | undefined>()
  const [said, setSaid] = createSignal('')
  const onList = () => new Set(concerns.categories())
  // Every category there is: the built-in ones, then those staff added.
  const all = () => [...CONCERN_CATEGORIES, ...concerns.categoryRecords().filter((r) => !isBuiltInCategory(r.id)).sort((a, b) => (a.stamp < b.stamp ? -1 : 1)).map((r) => r.id)]
  const add = () => {
    const result = staff.concerns.addCategory(name())
    setProblem(firstProblem(result))
    if (result.ok) (setName(''), setSaid(t('concerns.categoryAdded', { name: result.value.name })))
  }
  return (
    <Card title={t('concerns.view.categories')}>
      <p class="mb-2 text-stone-800">{t('concerns.categoriesIntro')}</p>
      <ul class="divide-y divide-stone-200" data-testid="concern-categories">
        <For each={all()}>
          {(id) => (
            <li class="flex items-center justify-between gap-2 py-2" data-testid="concern-category-row" data-name={categoryName(id)} data-on={onList().has(id) ? 'yes' : 'no'}>
              <span class={onList().has(id) ? 'font-semibold' : 'text-stone-600 line-through'}>{categoryName(id)}</span>
              <Button variant="secondary" onClick={() => setProblem(firstProblem(staff.concerns.keepCategory(id, !onList().has(id))))}>
                {onList().has(id) ? t('concerns.categoryOff') : t('concerns.categoryOn')}
              </Button>
            </li>
          )}
        </For>
      </ul>
      <form
        class="mt-3 rounded-xl bg-amber-50 p-3"
        onSubmit={(e) => {
          e.preventDefault()
          add()
        }}
      >
        <Field label={t('concerns.categoryNew')} name="category-name" value={name()} onInput={setName} />
        <Button type="submit" data-testid="add-category">{t('concerns.categoryAdd')}</Button>
        <ProblemLine problem={problem()} />
        <Show when={said()}><p role="status" class="font-semibold text-green-800"><Kept>{said()}</Kept></p></Show>
      </form>
    </Card>
  )
}
