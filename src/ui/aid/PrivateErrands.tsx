import { createSignal, For, Show } from 'solid-js'
import { plusDays, today } from '../../domain/calendar'
import type { PrivateErrandDraft, PrivateErrandField } from '../../domain/errands'
import type { Share } from '../../domain/shares'
import { firstProblem, type Problems, type ProblemKey } from '../../domain/validation'
import { Button, Card, Confirm, Field, Kept, ProblemLine, Select } from '../common/components'
import { useCommunity, useStaff } from '../common/community'
import { problemText, t } from '../common/i18n'
import { createOpenedShare, createSharesForMe } from '../common/shares'

// Errands that touch eligibility or health (低保, 残疾补贴, 大病证明): staff register them
// in the staff space and dispatch each to a 代办员, to whose phones it is sealed. The
// 代办员 sees the applicant's phone and address and sends the steps back sealed; no
// other resident's phone holds any of it (domain/errands.ts).

const emptyDraft = (): PrivateErrandDraft => ({ serviceId: '', applicant: '', phone: '', address: '', materials: [], due: '', note: '' })

/** Staff: register a private errand, then dispatch, collect the receipt, or withdraw. */
export function PrivateErrands() {
  const { aid } = useCommunity()
  const staff = useStaff()
  const [draft, setDraft] = createSignal(emptyDraft())
  const [materials, setMaterials] = createSignal('')
  const [problems, setProblems] = createSignal<Problems<PrivateErrandField>>({})
  const [said, setSaid] = createSignal('')
  // Private services first: those are registered only here.
  const services = () => aid.services().filter((s) => !s.retired).sort((a, b) => Number(b.sensitive) - Number(a.sensitive))
  const set = <K extends keyof PrivateErrandDraft>(key: K, value: PrivateErrandDraft[K]) => setDraft({ ...draft(), [key]: value })
  const chooseService = (id: string) => {
    const service = services().find((s) => s.id === id)
    setDraft({ ...draft(), serviceId: id, due: service?.takesDays ? plusDays(today(), service.takesDays) : draft().due })
    if (service) setMaterials(service.materials.join('\n'))
  }
  const register = () => {
    const result = staff.errands.registerPrivate({ ...draft(), materials: materials().split('\n') })
    if (!result.ok) return setProblems(result.problems)
    setProblems({})
    setDraft(emptyDraft())
    setMaterials('')
    setSaid(t('privateErrands.registered', { number: result.value.number }))
  }
  return (
    <Card title={t('privateErrands.title')}>
      <p class="mb-2 text-stone-800">{t('privateErrands.intro')}</p>
      <Show when={services().length > 0} fallback={<p data-testid="private-no-service">{t('privateErrands.noService')}</p>}>
        <form
          class="rounded-xl bg-amber-50 p-3"
          data-testid="private-errand-form"
          onSubmit={(e) => {
            e.preventDefault()
            register()
          }}
        >
          <Select label={t('aid.form.service')} name="private-service" value={draft().serviceId} options={[{ value: '', label: '—' }, ...services().map((s) => ({ value: s.id, label: s.sensitive ? `${s.name}${t('ledger.private')}` : s.name }))]} onChange={chooseService} />
          <ProblemLine problem={problems().serviceId} />
          <Field label={t('privateErrands.applicant')} name="private-applicant" value={draft().applicant} onInput={(v) => set('applicant', v)} problem={problemText(problems().applicant)} />
          <Field label={t('privateErrands.phone')} hint={t('privateErrands.phoneHint')} name="private-phone" value={draft().phone} onInput={(v) => set('phone', v)} problem={problemText(problems().phone)} />
          <Field label={t('privateErrands.address')} name="private-address" value={draft().address} onInput={(v) => set('address', v)} problem={problemText(problems().address)} />
          <Field label={t('aid.form.materials')} name="private-materials" multiline value={materials()} onInput={setMaterials} problem={problemText(problems().materials)} />
          <Field label={t('aid.form.due')} name="private-due" type="date" value={draft().due} onInput={(v) => set('due', v)} problem={problemText(problems().due)} />
          <Field label={t('privateErrands.note')} name="private-note" multiline value={draft().note} onInput={(v) => set('note', v)} problem={problemText(problems().note)} />
          <Button type="submit" data-testid="register-private">{t('privateErrands.register')}</Button>
          <Show when={said()}><p role="status" class="mt-2 font-semibold text-green-800"><Kept>{said()}</Kept></p></Show>
        </form>
      </Show>
      <Show when={staff.errands.privateItems().length > 0} fallback={<p class="mt-3">{t('privateErrands.none')}</p>}>
        <ul class="mt-3 divide-y divide-stone-200" data-testid="private-errands">
          {/* By id: a row keeps what it said while its errand's steps change. */}
          <For each={staff.errands.privateItems().map((i) => i.errand.id)}>{(id) => <PrivateErrandRow id={id} />}</For>
        </ul>
      </Show>
    </Card>
  )
}

function PrivateErrandRow(props: { id: string }) {
  const { aid, shares } = useCommunity()
  const staff = useStaff()
  const [agentId, setAgentId] = createSignal('')
  const [problem, setProblem] = createSignal<ProblemKey | undefined>()
  const [confirming, setConfirming] = createSignal(false)
  const [said, setSaid] = createSignal('')
  const item = () => staff.errands.privateItem(props.id)!
  const e = () => item().errand
  const s = () => item().status
  const dispatch = async () => {
    const agent = aid.agentOf(agentId())
    if (!agent) return setProblem('problem.required')
    const result = await shares.sealErrand(e().id, { id: agent.id, name: agent.name })
    setProblem(firstProblem(result))
    if (result.ok) setSaid(t('privateErrands.dispatched', { name: agent.name }))
  }
  const step = (type: 'receiptBack' | 'withdrawn') => {
    const result = staff.errands.privateStep(e().id, type)
    setProblem(firstProblem(result))
    if (result.ok) setSaid(t(`privateErrands.said.${type}`))
  }
  return (
    <li class="py-3" data-testid="private-errand" data-number={e().number} data-state={s().state}>
      <p class="font-bold">{e().number} · {e().service}</p>
      <p>{t('privateErrands.applicant')}：{e().applicant} {e().phone}</p>
      <p class="text-stone-800">{t(`privateErrands.state.${s().state}`)}{s().agentName ? ` · ${t('ledger.agent')}：${s().agentName}` : ''}{s().result ? ` · ${s().result}` : ''}{s().receiptBack ? ` · ${t('ledger.receiptBack')} ${s().receiptBack}` : ''}</p>
      <Show when={s().state === 'registered' || s().state === 'dispatched' || s().state === 'passedOn'}>
        <div class="mt-2 flex flex-wrap items-end gap-2">
          <Select label={t('privateErrands.to')} name="private-agent" value={agentId()} options={[{ value: '', label: '—' }, ...aid.agents().map((a) => ({ value: a.id, label: a.name }))]} onChange={setAgentId} />
          <Button data-testid="dispatch-private" onClick={() => void dispatch()}>{t(s().state === 'registered' ? 'privateErrands.dispatch' : 'privateErrands.redispatch')}</Button>
          <Button variant="secondary" onClick={() => setConfirming(true)}>{t('privateErrands.withdraw')}</Button>
        </div>
      </Show>
      <Show when={s().state === 'finished' && !s().receiptBack}>
        <Button class="mt-2" data-testid="private-receipt-back" onClick={() => step('receiptBack')}>{t('privateErrands.receiptBack')}</Button>
      </Show>
      <ProblemLine problem={problem()} />
      <Show when={said()}><p role="status" class="font-semibold text-green-800"><Kept>{said()}</Kept></p></Show>
      <Show when={confirming()}>
        <Confirm message={t('privateErrands.withdrawSure', { number: e().number })} confirmLabel={t('privateErrands.withdraw')} onCancel={() => setConfirming(false)} onConfirm={() => (setConfirming(false), step('withdrawn'))} />
      </Show>
    </li>
  )
}

/** The 代办员's phone: private errands sealed to it, with the applicant's phone, and the steps to send back. */
export function MyPrivateErrands() {
  const mine = createSharesForMe('errand')
  return (
    <Show when={mine().length > 0}>
      <Card title={t('privateErrands.mine')}>
        <p class="mb-2 text-stone-800">{t('privateErrands.mineIntro')}</p>
        <div class="space-y-3" data-testid="my-private-errands">
          <For each={mine()}>{(share) => <MyErrand share={share} />}</For>
        </div>
      </Card>
    </Show>
  )
}

function MyErrand(props: { share: Share }) {
  const { shares } = useCommunity()
  const { opened, replies } = createOpenedShare(() => props.share, 'errand', shares.openErrandStep)
  const [result, setResult] = createSignal('')
  const [problem, setProblem] = createSignal<ProblemKey | undefined>()
  const sent = (type: 'passedOn' | 'finished') => (replies() ?? []).find((r) => r.type === type)
  const send = async (type: 'passedOn' | 'finished') => {
    const o = opened()
    if (!o) return
    const done = await shares.errandStep(o, type, type === 'finished' ? result() : '')
    setProblem(firstProblem(done))
  }
  return (
    <Show when={opened()} fallback={<p>{t('privateErrands.opening')}</p>}>
      {(o) => (
        <div class="rounded-xl border-2 border-stone-400 p-3" data-testid="my-private-errand" data-number={o().errand.number}>
          <p class="font-bold">{o().errand.number} · {o().errand.service}</p>
          <p>{t('privateErrands.applicant')}：{o().errand.applicant}</p>
          <Show when={o().errand.phone}>
            <p>{t('privateErrands.phone')}：<a class="font-semibold underline" href={`tel:${o().errand.phone}`} data-testid="applicant-phone">{o().errand.phone}</a></p>
          </Show>
          <Show when={o().errand.address}><p>{t('privateErrands.address')}：{o().errand.address}</p></Show>
          <Show when={o().errand.materials.length > 0}><p>{t('aid.form.materials')}：{o().errand.materials.join('、')}</p></Show>
          <Show when={o().errand.due}><p>{t('aid.due', { date: o().errand.due })}</p></Show>
          <Show when={o().errand.note}><p class="text-stone-800">{o().errand.note}</p></Show>
          <Show when={!sent('passedOn') && !sent('finished')}>
            <Button class="mt-2" data-testid="private-passed-on" onClick={() => void send('passedOn')}>{t('privateErrands.passedOn')}</Button>
          </Show>
          <Show when={sent('passedOn')}>{(r) => <p class="font-semibold text-green-800"><Kept>{t('privateErrands.passedOnSaid', { date: r().day })}</Kept></p>}</Show>
          <Show when={sent('finished')} fallback={
            <div class="mt-2">
              <Field label={t('privateErrands.result')} name="private-result" value={result()} onInput={setResult} />
              <Button data-testid="private-finished" onClick={() => void send('finished')}>{t('privateErrands.finished')}</Button>
            </div>
          }>
            {(r) => <p class="font-semibold text-green-800"><Kept>{t('privateErrands.finishedSaid', { date: r().day, result: r().result })}</Kept></p>}
          </Show>
          <ProblemLine problem={problem()} />
        </div>
      )}
    </Show>
  )
}
