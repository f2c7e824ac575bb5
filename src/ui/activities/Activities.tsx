import { createEffect, createMemo, createSignal, For, Match, Show, Switch } from 'solid-js'
import { agendaDays, monthsOfWeek, today, weekDays, weekStart, type Day } from '../../domain/calendar'
import { ACTIVITY_CATEGORIES, groupByDay, inWeek, matchesFilter, type ActivityCategory } from '../../domain/activities'
import { Card, Chips, Field, PublishPanel, Select } from '../common/components'
import { DayStrip, dayLabel, WeekNav } from '../common/calendar-parts'
import { StaffOnly, useCommunity } from '../common/community'
import { t } from '../common/i18n'
import { ActivityCard } from './ActivityCard'
import { ActivityForm } from './ActivityForm'
import { Groups } from './Groups'

export default function Activities() {
  const [section, setSection] = createSignal<'week' | 'groups'>('week')
  return (
    <div class="space-y-4">
      <Chips options={['week', 'groups'] as const} selected={(s) => section() === s} onToggle={setSection} text={(s) => t(s === 'week' ? 'acts.week' : 'acts.groups')} testid="activities-section" />
      <Switch>
        <Match when={section() === 'week'}>
          <Week />
        </Match>
        <Match when={section() === 'groups'}>
          <Groups />
        </Match>
      </Switch>
    </div>
  )
}

function Week() {
  const { activities, actor } = useCommunity()
  const [week, setWeek] = createSignal(weekStart(today()))
  const [layout, setLayout] = createSignal<'agenda' | 'grid'>('agenda')
  const [category, setCategory] = createSignal<ActivityCategory | null>(null)
  const [groupId, setGroupId] = createSignal<string | null>(null)
  const [day, setDay] = createSignal<Day | null>(null)
  const [words, setWords] = createSignal('')
  createEffect(() => activities.showMonths(monthsOfWeek(week())))

  const shown = createMemo(() => {
    const filter = { category: category(), groupId: groupId(), words: words() }
    return activities.activities().filter((a) => inWeek(a, week()) && (day() === null || a.date === day()) && matchesFilter(a, filter, activities.groupOf(a.groupId)?.name))
  })
  const days = createMemo(() => groupByDay(shown(), agendaDays(week(), today())).filter((d) => d.activities.length > 0))

  return (
    <>
      <Card title={t('acts.title')}>
        <StaffOnly>
          <PublishPanel label={t('acts.publish')} testid="publish-activity" draft="activity" form={(done) => <ActivityForm onDone={done} />} />
        </StaffOnly>
        <WeekNav week={week()} onWeek={(monday) => { setWeek(monday); setDay(null) }} />
        <DayStrip week={week()} day={day()} onDay={setDay} />
        <Field label={t('acts.search')} hint={t('acts.searchHint')} name="search" value={words()} onInput={setWords} />
        <Chips
          options={['all', ...ACTIVITY_CATEGORIES] as const}
          selected={(c) => (c === 'all' ? category() === null : category() === c)}
          onToggle={(c) => setCategory(c === 'all' ? null : c)}
          text={(c) => (c === 'all' ? t('shifts.allCategories') : t(`act.cat.${c}`))}
          testid="activity-filter"
        />
        <Show when={activities.groups().length > 0}>
          <Select
            label={t('acts.groups')}
            name="groupFilter"
            value={groupId() ?? ''}
            options={[{ value: '', label: t('acts.allGroups') }, ...activities.groups().map((g) => ({ value: g.id, label: g.name }))]}
            onChange={(v) => setGroupId(v || null)}
          />
        </Show>
        <div class="flex flex-wrap gap-2">
          <Chips options={['agenda', 'grid'] as const} selected={(l) => layout() === l} onToggle={setLayout} text={(l) => t(l === 'agenda' ? 'acts.agenda' : 'acts.grid')} testid="activity-layout" />
          <a href={`#/poster?week=${week()}`} class="inline-flex min-h-12 items-center rounded-xl border-2 border-stone-700 bg-white px-4 font-semibold" data-testid="poster-link">
            {t('acts.poster')}
          </a>
        </div>
      </Card>
      <Show when={days().length > 0} fallback={<p class="px-1 text-stone-800" data-testid="activities-empty">{actor().staff ? t('acts.emptyStaff') : t('acts.empty')}</p>}>
        <Switch>
          <Match when={layout() === 'agenda'}>
            <For each={days()}>
              {(group) => (
                <section class="space-y-3" data-testid="agenda-day" data-day={group.day}>
                  <h3 class={`px-1 text-lg font-bold ${group.day < today() ? 'text-stone-500' : 'text-orange-900'}`}>
                    {dayLabel(group.day)}
                    {group.day === today() ? ` · ${t('nav.today')}` : ''}
                  </h3>
                  <For each={group.activities}>{(a) => <ActivityCard id={a.id} />}</For>
                </section>
              )}
            </For>
          </Match>
          <Match when={layout() === 'grid'}>
            <div class="grid grid-cols-7 gap-1 overflow-x-auto text-[0.7em]" data-testid="week-grid">
              <For each={weekDays(week())}>
                {(day) => (
                  <div class={`min-w-0 rounded-lg p-1 ${day === today() ? 'bg-orange-100' : 'bg-white'}`}>
                    <div class="font-bold">{dayLabel(day)}</div>
                    <For each={shown().filter((a) => a.date === day)}>
                      {(a) => (
                        <div class={`mt-1 rounded border border-stone-300 p-1 ${activities.isCancelled(a.id) ? 'line-through opacity-60' : ''}`}>
                          <div class="font-semibold">{a.start}</div>
                          <div class="break-words">{a.title}</div>
                        </div>
                      )}
                    </For>
                  </div>
                )}
              </For>
            </div>
          </Match>
        </Switch>
      </Show>
    </>
  )
}
