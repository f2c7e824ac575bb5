import { createMemo, createSignal, For, Show } from 'solid-js'
import { StaffOnly, useCommunity, useStaff } from '../common/community'
import { today } from '../../domain/calendar'
import { ACTIVITY_CATEGORIES, calendarEvents, type ActivityCategory, type GroupDraft } from '../../domain/activities'
import { calendarText } from '../../domain/ics'
import { weeklyRule } from '../../domain/schedule'
import type { Problems } from '../../domain/validation'
import { Button, Card, Chips, Field, Kept } from '../common/components'
import { downloadText } from '../common/download'
import { problemText, t } from '../common/i18n'
import { ActivityCard } from './ActivityCard'

export function Groups() {
  const { activities } = useCommunity()
  const [open, setOpen] = createSignal<string | null>(null)
  const [creating, setCreating] = createSignal(false)
  return (
    <Show when={!open()} fallback={<GroupPage id={open()!} onBack={() => setOpen(null)} />}>
      <Card title={t('acts.groups')}>
        <StaffOnly>
          <Show when={creating()} fallback={<Button class="mb-3" data-testid="create-group" onClick={() => setCreating(true)}>{t('groups.create')}</Button>}>
            <GroupForm onDone={() => setCreating(false)} />
          </Show>
        </StaffOnly>
        <Show when={activities.groups().length > 0} fallback={<p>{t('groups.empty')}</p>}>
          <ul class="divide-y divide-stone-200" data-testid="group-list">
            <For each={activities.groups()}>
              {(group) => (
                <li class="flex items-center justify-between gap-3 py-3">
                  <div>
                    <div class="font-bold">{group.name}</div>
                    <div class="text-[0.85em] text-stone-700">
                      {t(`act.cat.${group.category}`)} · {t('groups.members', { count: activities.activeMembers(group.id).length })}
                    </div>
                  </div>
                  <Button variant="secondary" data-testid="open-group" onClick={() => setOpen(group.id)}>{t('groups.open')}</Button>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </Card>
    </Show>
  )
}

function GroupForm(props: { onDone: () => void }) {
  const staff = useStaff()
  const [draft, setDraft] = createSignal<GroupDraft>({ name: '', category: 'dance', description: '', meetingPlace: '', meetingTime: '', contact: '' })
  const [problems, setProblems] = createSignal<Problems>({})
  const set = <K extends keyof GroupDraft>(key: K, value: GroupDraft[K]) => setDraft({ ...draft(), [key]: value })
  const submit = (event: Event) => {
    event.preventDefault()
    const result = staff.activities.publishGroup(draft())
    if (!result.ok) return setProblems(result.problems)
    props.onDone()
  }
  const p = (field: string) => problemText(problems()[field])
  return (
    <form onSubmit={submit} class="mb-4 rounded-xl bg-amber-50 p-3" data-testid="group-form">
      <Field label={t('groups.name')} name="name" value={draft().name} problem={p('name')} onInput={(v) => set('name', v)} />
      <Chips label={t('shifts.form.category')} options={ACTIVITY_CATEGORIES} selected={(c) => draft().category === c} onToggle={(c: ActivityCategory) => set('category', c)} text={(c) => t(`act.cat.${c}`)} />
      <Field label={t('groups.meetingPlace')} name="meetingPlace" value={draft().meetingPlace} problem={p('meetingPlace')} onInput={(v) => set('meetingPlace', v)} />
      <Field label={t('groups.meetingTime')} name="meetingTime" value={draft().meetingTime} problem={p('meetingTime')} onInput={(v) => set('meetingTime', v)} />
      <Field label={t('groups.contact')} name="contact" value={draft().contact} problem={p('contact')} onInput={(v) => set('contact', v)} />
      <Field label={t('groups.description')} name="description" multiline value={draft().description} problem={p('description')} onInput={(v) => set('description', v)} />
      <div class="flex gap-3">
        <Button type="submit">{t('groups.create')}</Button>
        <Button variant="secondary" onClick={() => props.onDone()}>{t('common.cancel')}</Button>
      </div>
    </form>
  )
}

function GroupPage(props: { id: string; onBack: () => void }) {
  const { activities, actor } = useCommunity()
  const group = () => activities.groupOf(props.id)
  const members = () => activities.activeMembers(props.id)
  const isMember = () => members().some((m) => m.personId === actor().id)
  const upcoming = createMemo(() => activities.activities().filter((a) => a.groupId === props.id && a.date >= today() && !activities.isCancelled(a.id)).slice(0, 10))
  const ratings = createMemo(() => activities.groupRatings(props.id))
  const subscribe = () => {
    const mine = activities.activities().filter((a) => a.groupId === props.id)
    const cancelled = new Set(mine.filter((a) => activities.isCancelled(a.id)).map((a) => a.id))
    downloadText(`group-${props.id}.ics`, calendarText(group()?.name ?? '', calendarEvents(mine, cancelled, weeklyRule)), 'text/calendar')
  }
  return (
    <Show when={group()}>
      {(g) => (
        <div class="space-y-4" data-testid="group-page">
          <Button variant="secondary" onClick={() => props.onBack()}>‹ {t('groups.back')}</Button>
          <Card title={g().name}>
            <p class="font-semibold">{t(`act.cat.${g().category}`)} · {t('groups.members', { count: members().length })}</p>
            <Show when={g().meetingPlace || g().meetingTime}>
              <p>{[g().meetingTime, g().meetingPlace].filter(Boolean).join(' · ')}</p>
            </Show>
            <Show when={g().contact}>
              <p>{t('groups.contact')}：{g().contact}</p>
            </Show>
            <Show when={g().description}>
              <p class="mt-2 whitespace-pre-wrap">{g().description}</p>
            </Show>
            <div class="mt-3 flex flex-wrap gap-2">
              <Show when={isMember()} fallback={<Button data-testid="join-group" onClick={() => activities.joinGroup(props.id)}>{t('groups.join')}</Button>}>
                <span class="self-center font-bold text-green-800"><Kept>{t('groups.joined')}</Kept></span>
                <Button variant="secondary" onClick={() => activities.leaveGroup(props.id)}>{t('groups.leave')}</Button>
              </Show>
              <Button variant="secondary" data-testid="group-ics" onClick={subscribe}>{t('groups.subscribe')}</Button>
            </div>
          </Card>
          <h3 class="px-1 text-lg font-bold text-orange-900">{t('groups.upcoming')}</h3>
          <Show when={upcoming().length > 0} fallback={<p class="px-1">{t('groups.noUpcoming')}</p>}>
            <For each={upcoming()}>{(a) => <ActivityCard id={a.id} />}</For>
          </Show>
          <Card title={t('groups.ratings')}>
            <Show when={ratings().count > 0} fallback={<p>{t('groups.noRatings')}</p>}>
              <p class="font-semibold" data-testid="group-average">{t('groups.average', { average: ratings().average ?? 0, count: ratings().count })}</p>
              <For each={ratings().comments}>{(r) => <p class="mt-1">{'★'.repeat(r.stars)} {r.personName}：{r.comment}</p>}</For>
            </Show>
          </Card>
        </div>
      )}
    </Show>
  )
}
