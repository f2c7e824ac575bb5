import { createSignal, Show } from 'solid-js'
import { useCommunity } from '../common/community'
import { AID_CATEGORIES, AID_KINDS, URGENCIES, type AidDraft, type AidRequest } from '../../domain/aid'
import type { Problems } from '../../domain/validation'
import { Button, Chips, Field, Select } from '../common/components'
import { plusDays, today } from '../../domain/calendar'
import { restoreDraft } from '../common/drafts'
import { problemText, t } from '../common/i18n'

/** Post a need or an offer, for oneself or for a resident without a phone; or edit one still open. */
export function AidForm(props: { editing?: AidRequest; onDone: (message?: string) => void }) {
  const { aid } = useCommunity()
  const e = props.editing
  const [draft, setDraft] = createSignal<AidDraft>({
    kind: e?.kind ?? 'need',
    category: e?.category ?? 'errand',
    title: e?.title ?? '',
    details: e?.details ?? '',
    when: e?.when ?? '',
    where: e?.where ?? '',
    urgency: e?.urgency ?? 'normal',
    forName: e && e.forId !== e.postedBy ? e.forName : '',
    materials: e?.materials ?? [],
    due: e?.due ?? '',
  })
  const [materials, setMaterials] = createSignal((e?.materials ?? []).join('\n'))
  const [problems, setProblems] = createSignal<Problems>({})
  const set = <K extends keyof AidDraft>(key: K, value: AidDraft[K]) => setDraft({ ...draft(), [key]: value })
  const p = (field: string) => problemText(problems()[field])
  // A public help request never names a private service (低保, 残疾补贴 …): staff register those in the staff space.
  const publicServices = () => aid.services().filter((x) => !x.retired && !x.sensitive)
  /** A service from the 代办 point's list fills in what it needs: its name, materials and usual due date. */
  const chooseService = (id: string) => {
    const service = publicServices().find((x) => x.id === id)
    if (!service) return set('serviceId', undefined)
    setDraft({ ...draft(), serviceId: id, title: draft().title || service.name, due: service.takesDays ? plusDays(today(), service.takesDays) : draft().due })
    setMaterials(service.materials.join('\n'))
  }
  const submit = (event: Event) => {
    event.preventDefault()
    const value = { ...draft(), materials: materials().split('\n') }
    const result = props.editing ? aid.edit(props.editing.id, value) : aid.post(value)
    if (!result.ok) return setProblems(result.problems)
    const number = props.editing ? undefined : result.value.number
    props.onDone(props.editing ? undefined : number ? `${t('aid.posted')} · ${t('aid.number', { number })}` : t('aid.posted'))
  }
  return (
    <form onSubmit={submit} class="rounded-xl bg-amber-50 p-3" data-testid="aid-form" data-draft={props.editing ? `aid-${props.editing.id}` : 'aid'} ref={restoreDraft}>
      <Chips label={t('aid.form.kind')} options={AID_KINDS} selected={(k) => draft().kind === k} onToggle={(k) => set('kind', k)} text={(k) => t(`aid.kind.${k}`)} testid="aid-kind" />
      <Chips label={t('aid.form.category')} options={AID_CATEGORIES} selected={(c) => draft().category === c} onToggle={(c) => set('category', c)} text={(c) => t(`aid.cat.${c}`)} testid="aid-category" />
      <Field label={t('aid.form.title')} name="title" value={draft().title} problem={p('title')} onInput={(v) => set('title', v)} />
      <Field label={t('aid.form.details')} name="details" multiline value={draft().details} problem={p('details')} onInput={(v) => set('details', v)} />
      <Field label={t('aid.form.when')} name="when" value={draft().when} problem={p('when')} onInput={(v) => set('when', v)} />
      <Field label={t('aid.form.where')} name="where" value={draft().where} problem={p('where')} onInput={(v) => set('where', v)} />
      <Chips label={t('aid.form.urgency')} options={URGENCIES} selected={(u) => draft().urgency === u} onToggle={(u) => set('urgency', u)} text={(u) => t(`aid.urgency.${u}`)} testid="aid-urgency" />
      {/* A family member or neighbour posts for an elder (代办) without being a volunteer. */}
      <Show when={!props.editing}>
        <Field label={t('aid.form.for')} name="forName" value={draft().forName} problem={p('forName')} onInput={(v) => set('forName', v)} />
      </Show>
      <Show when={draft().category === 'paperwork'}>
        <Show when={!props.editing && publicServices().length > 0}>
          <Select label={t('aid.form.service')} name="service" value={draft().serviceId ?? ''} options={[{ value: '', label: t('aid.noService') }, ...publicServices().map((x) => ({ value: x.id, label: x.name }))]} onChange={chooseService} />
        </Show>
        <Show when={!props.editing && aid.services().some((x) => x.sensitive && !x.retired)}>
          <p class="mb-3 text-stone-800" data-testid="private-services-hint">{t('aid.privateServices', { names: aid.services().filter((x) => x.sensitive && !x.retired).map((x) => x.name).join('、') })}</p>
        </Show>
        <Field label={t('aid.form.materials')} name="materials" multiline value={materials()} problem={p('materials')} onInput={setMaterials} />
        <Field label={t('aid.form.due')} name="due" type="date" value={draft().due} problem={p('due')} onInput={(v) => set('due', v)} />
      </Show>
      <div class="flex gap-3">
        <Button type="submit">{props.editing ? t('common.save') : t('today.publish')}</Button>
        <Button variant="secondary" onClick={() => props.onDone()}>{t('common.cancel')}</Button>
      </div>
    </form>
  )
}
