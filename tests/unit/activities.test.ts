import { SpaceDocs } from '../../src/store/space-docs'
import { describe, expect, it } from 'vitest'
import { HybridClock } from '../../src/domain/hlc'
import { agendaDays } from '../../src/domain/calendar'
import {
  activityView,
  calendarEvents,
  checkActivityDraft,
  checkRating,
  groupByDay,
  matchesFilter,
  overflowIfCapacity,
  summariseRatings,
  type Activity,
  type ActivityDraft,
} from '../../src/domain/activities'
import { weekDays, weekStart } from '../../src/domain/calendar'
import { weeklyRule } from '../../src/domain/schedule'
import { calendarText } from '../../src/domain/ics'
import { statusOf } from '../../src/domain/places'
import {
  cancelActivity,
  editActivity,
  joinGroup,
  publishActivity,
  publishActivitySeries,
  publishGroup,
  rate,
  readActivityData,
  recordHeadcount,
  rsvp,
  cancelRsvp,
} from '../../src/store/activities'

const TODAY = '2026-11-23'
const draft = (over: Partial<ActivityDraft> = {}): ActivityDraft => ({
  title: '腰鼓队排练',
  groupId: null,
  category: 'dance',
  place: '文化广场',
  date: TODAY,
  start: '19:00',
  end: '20:30',
  description: '带上腰鼓',
  capacity: null,
  leader: '刘老师',
  ...over,
})
const staff = { id: 'staff', name: '王主任' }
const resident = (n: number) => ({ id: `r${n}`, name: `居民${n}` })
function setup() {
  let wall = 1_800_000_000_000
  return { docs: new SpaceDocs(), clock: new HybridClock('dev', () => (wall += 1000)) }
}

describe('activity drafts', () => {
  it('refuse end before start, a past date, a capacity below one', () => {
    expect(checkActivityDraft(draft({ end: '18:00' }), TODAY, false)).toMatchObject({ ok: false, problems: { end: 'problem.endBeforeStart' } })
    expect(checkActivityDraft(draft({ date: '2026-11-01' }), TODAY, false)).toMatchObject({ ok: false, problems: { date: 'problem.dateInPast' } })
    expect(checkActivityDraft(draft({ capacity: 0 }), TODAY, false)).toMatchObject({ ok: false, problems: { capacity: 'problem.placesAtLeastOne' } })
    expect(checkActivityDraft(draft({ capacity: null }), TODAY, false).ok).toBe(true)
  })
  it('ratings are whole stars from 1 to 5', () => {
    expect(checkRating(0, '')).toMatchObject({ ok: false, problems: { stars: 'problem.starsOneToFive' } })
    expect(checkRating(6, '')).toMatchObject({ ok: false })
    expect(checkRating(3.5, '')).toMatchObject({ ok: false })
    expect(checkRating(5, ' 很好 ')).toEqual({ ok: true, value: { stars: 5, comment: '很好' } })
  })
})

describe('recurrence and the week', () => {
  it('publishes weekday rehearsals as one record per date, each with the rule', () => {
    const { docs, clock } = setup()
    const result = publishActivitySeries(docs, clock, staff, draft(), { weekdays: [1, 2, 3, 4, 5], from: TODAY, until: '2026-12-04' }, TODAY)
    if (!result.ok) throw new Error(JSON.stringify(result.problems))
    expect(result.value).toHaveLength(10)
    expect(result.value.every((a) => a.repeat?.weekdays.join() === '1,2,3,4,5')).toBe(true)
    expect(publishActivitySeries(docs, clock, staff, draft(), { weekdays: [], from: TODAY, until: '2026-12-04' }, TODAY)).toMatchObject({ ok: false, problems: { weekdays: 'problem.noWeekdays' } })
  })

  it('groups a week that crosses a month and a year boundary, Monday first', () => {
    const monday = weekStart('2026-12-31')
    expect(monday).toBe('2026-12-28')
    expect(weekDays(monday)).toEqual(['2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02', '2027-01-03'])
    const a = { ...(draft() as unknown as Activity), id: 'a', date: '2027-01-01', start: '09:00' }
    const b = { ...(draft() as unknown as Activity), id: 'b', date: '2027-01-01', start: '08:00' }
    const c = { ...(draft() as unknown as Activity), id: 'c', date: '2026-12-29' }
    const grouped = groupByDay([a, b, c], weekDays(monday))
    expect(grouped.map((g) => g.activities.map((x) => x.id))).toEqual([[], ['c'], [], [], ['b', 'a'], [], []])
    expect(weekStart('2026-11-01')).toBe('2026-10-26') // a Sunday belongs to the week before
  })

  it('the agenda puts today first, then the rest of the week', () => {
    expect(agendaDays('2026-11-23', '2026-11-25')).toEqual(['2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29', '2026-11-23', '2026-11-24'])
    expect(agendaDays('2026-11-30', '2026-11-25')[0]).toBe('2026-11-30')
  })

  it('filters by category and group, and finds words in title, place, description, leader or group', () => {
    const a = { ...(draft() as unknown as Activity), id: 'a', groupId: 'g1' }
    expect(matchesFilter(a, { category: 'dance', groupId: null, words: '' })).toBe(true)
    expect(matchesFilter(a, { category: 'crafts', groupId: null, words: '' })).toBe(false)
    expect(matchesFilter(a, { category: null, groupId: 'g2', words: '' })).toBe(false)
    expect(matchesFilter(a, { category: null, groupId: null, words: '腰鼓 广场' })).toBe(true)
    expect(matchesFilter(a, { category: null, groupId: null, words: '刘老师' })).toBe(true)
    expect(matchesFilter(a, { category: null, groupId: null, words: '书法' })).toBe(false)
    expect(matchesFilter(a, { category: null, groupId: null, words: 'yangko' }, 'Yangko Team')).toBe(true)
  })
})

describe('RSVP, waitlist and promotion', () => {
  it('uses the first-come rule; a cancellation promotes the first waiting, who is told', () => {
    const { docs, clock } = setup()
    const published = publishActivity(docs, clock, staff, draft({ capacity: 2, category: 'crafts', title: '剪纸课' }), TODAY)
    if (!published.ok) throw new Error('publish failed')
    const id = published.value.id
    for (const n of [1, 2, 3]) rsvp(docs, clock, id, resident(n), resident(n))
    const view = () => {
      const data = readActivityData(docs)
      return activityView(data.activities[0]!, data.rsvps, data.cancellations.has(id))
    }
    expect(statusOf(view(), 'r3')).toEqual({ status: 'waitlisted', position: 1 })
    cancelRsvp(docs, clock, id, 'r1', resident(1))
    expect(statusOf(view(), 'r3').status).toBe('promoted')
    // Staff RSVP for someone without a phone.
    const onBehalf = rsvp(docs, clock, id, { id: 'name:张奶奶', name: '张奶奶' }, staff)
    expect(onBehalf.ok && onBehalf.value).toMatchObject({ byName: '王主任', sawPlace: false })
    // Lowering capacity: the screen asks first, telling how many would move.
    expect(overflowIfCapacity(view(), 1)).toBe(1)
    expect(overflowIfCapacity(view(), null)).toBe(0)
    editActivity(docs, clock, id, draft({ capacity: 1, category: 'crafts', title: '剪纸课' }), TODAY)
    expect(view().confirmed.map((e) => e.personId)).toEqual(['r2'])
    cancelActivity(docs, clock, staff, id, '')
    expect(rsvp(docs, clock, id, resident(9), resident(9))).toMatchObject({ ok: false, problems: { activity: 'problem.activityCancelled' } })
  })

  it('headcounts and ratings only once the activity has taken place; the group sees its ratings', () => {
    const { docs, clock } = setup()
    const group = publishGroup(docs, clock, staff, { name: '书法小组', category: 'calligraphy', description: '', meetingPlace: '活动室', meetingTime: '周二下午', contact: '陈老师' })
    if (!group.ok) throw new Error('group failed')
    expect(joinGroup(docs, clock, group.value.id, resident(1)).ok).toBe(true)
    const a = publishActivity(docs, clock, staff, draft({ groupId: group.value.id, date: '2026-11-25' }), TODAY)
    if (!a.ok) throw new Error('publish failed')
    expect(rate(docs, clock, a.value.id, resident(1), 5, '', TODAY)).toMatchObject({ ok: false, problems: { stars: 'problem.notYetHeld' } })
    expect(recordHeadcount(docs, clock, a.value.id, 12, staff, '2026-11-25').ok).toBe(true)
    rate(docs, clock, a.value.id, resident(1), 5, '老师讲得好', '2026-11-25')
    rate(docs, clock, a.value.id, resident(2), 4, '', '2026-11-26')
    rate(docs, clock, a.value.id, resident(2), 3, '有点挤', '2026-11-26') // rating again replaces
    const data = readActivityData(docs)
    expect(data.headcounts.get(a.value.id)?.count).toBe(12)
    expect(data.groupMembers.map((m) => m.personId)).toEqual(['r1'])
    const summary = summariseRatings(data.ratings.filter((r) => r.activityId === a.value.id))
    expect(summary).toMatchObject({ count: 2, average: 4 })
    expect(summary.comments.map((c) => c.comment)).toEqual(['有点挤', '老师讲得好'])
  })
})

describe('calendar files', () => {
  it('a regular series is one RRULE event; an edited or cancelled one is listed date by date', () => {
    const { docs, clock } = setup()
    const series = publishActivitySeries(docs, clock, staff, draft(), { weekdays: [1, 3], from: TODAY, until: '2026-12-06' }, TODAY)
    if (!series.ok) throw new Error('publish failed')
    let data = readActivityData(docs)
    let events = calendarEvents(data.activities, new Set(data.cancellations.keys()), weeklyRule)
    expect(events).toHaveLength(1)
    expect(events[0]!.rrule).toBe('FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20261206T235959')
    const text = calendarText('腰鼓队', events)
    expect(text).toContain('RRULE:FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20261206T235959\r\n')
    expect(text).toContain('DTSTART:20261123T190000')

    cancelActivity(docs, clock, staff, series.value[1]!.id, '下雨')
    data = readActivityData(docs)
    events = calendarEvents(data.activities, new Set(data.cancellations.keys()), weeklyRule)
    expect(events.map((e) => e.date)).toEqual(['2026-11-23', '2026-11-30', '2026-12-02'])
    expect(events.every((e) => e.rrule === undefined)).toBe(true)
  })
})
