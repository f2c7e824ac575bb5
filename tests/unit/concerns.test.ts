import { describe, expect, it } from 'vitest'
import * as v from 'valibot'
import { ConcernPhotoSchema, photoKey, photoParts, PHOTO_PART, PHOTO_MAX_BYTES, checkConcernDraft, checkStep, concernEventKey, concernReport, concernStatus, isOverdue, open311, CONCERN_CATEGORIES, ConcernCategorySchema, ConcernEventSchema, type Concern, type ConcernEvent, type ConcernStep, type StepInput } from '../../src/domain/concerns'
import { formatStamp, HybridClock } from '../../src/domain/hlc'
import { SpaceDocs } from '../../src/store/space-docs'
import { addCategory, keepCategory, readCategories, reportConcern } from '../../src/store/concerns'

// The loop the field runs on a resident's concern, counted as the field counts it.

const HOUR = 60 * 60 * 1000
/** Noon on the day given, local time, as a stamp by `by`. */
const at = (day: string, hours: number, by: string, counter = 0) => formatStamp(new Date(`${day}T12:00:00`).getTime() + hours * HOUR, counter, by)
const STAFF = new Set(['staffA', 'staffB'])
const isStaff = (id: string) => STAFF.has(id)

function concern(id: string, day: string, over: Partial<Concern> = {}): Concern {
  return { id: `res.${id}`, category: 'repairs', what: '3号楼楼道灯坏了', where: '3号楼', source: 'app', forId: 'res', forName: '李阿姨', reportedBy: 'res', reportedByName: '李阿姨', stamp: at(day, 0, 'res'), ...over }
}

let counter = 0
function ev(c: Concern, type: ConcernStep, by: string, day: string, hours: number, input: Omit<StepInput, 'note'> & { note?: string } = {}): ConcernEvent {
  const stamp = at(day, hours, by, ++counter)
  const event: ConcernEvent = { id: concernEventKey(c.id, stamp), concernId: c.id, type, byId: by, byName: by, stamp }
  for (const [key, value] of Object.entries(input)) if (value !== undefined) (event as unknown as Record<string, unknown>)[key] = value
  return v.parse(ConcernEventSchema, event)
}

describe('a concern’s lifecycle', () => {
  it('reported, passed up, resolved, rated unsatisfied (reopened once), resolved again and closed', () => {
    const c = concern('light', '2026-11-02')
    const events = [
      ev(c, 'accept', 'staffA', '2026-11-02', 2, { assignee: '王主任', due: '2026-11-05' }),
      ev(c, 'passUp', 'staffB', '2026-11-02', 3, { to: '街道城管科', note: '照片和位置' }),
      ev(c, 'resolve', 'staffA', '2026-11-06', 0, { note: '街道已换灯' }),
      ev(c, 'rate', 'res', '2026-11-06', 2, { solved: false, satisfaction: 'unsatisfied', note: '二楼还是黑的' }),
      ev(c, 'resolve', 'staffB', '2026-11-07', 0, { note: '二楼也换了' }),
      ev(c, 'rate', 'res', '2026-11-07', 2, { solved: true, satisfaction: 'basic', note: '' }),
    ]
    const status = concernStatus(c, events, isStaff)
    expect(status.state).toBe('closed')
    expect(status.reopened).toBe(1)
    expect(status.passedUp).toMatchObject({ to: '街道城管科', sent: '照片和位置' })
    expect(status.rating).toEqual({ solved: true, satisfaction: 'basic', note: '' })
    expect(status.respondedAt).toBe(events[0]!.stamp)
    expect(status.history.every((h) => h.applied)).toBe(true)
  })

  it('unsatisfied a second time closes it as rated: it is reopened once only', () => {
    const c = concern('noise', '2026-11-02')
    const status = concernStatus(c, [
      ev(c, 'answer', 'staffA', '2026-11-02', 1, { note: '已提醒楼上住户' }),
      ev(c, 'rate', 'res', '2026-11-03', 0, { solved: false, satisfaction: 'unsatisfied', note: '还在吵' }),
      ev(c, 'answer', 'staffA', '2026-11-04', 0, { note: '已上门调解' }),
      ev(c, 'rate', 'res', '2026-11-05', 0, { solved: false, satisfaction: 'unsatisfied', note: '没用' }),
    ], isStaff)
    expect({ state: status.state, reopened: status.reopened, satisfaction: status.rating?.satisfaction }).toEqual({ state: 'closed', reopened: 1, satisfaction: 'unsatisfied' })
  })

  it('two staff devices apart: one resolves while the other answers; the earlier counts everywhere, the later shows as not applied', () => {
    const c = concern('bin', '2026-11-02', { category: 'sanitation' })
    const accept = ev(c, 'accept', 'staffA', '2026-11-02', 1)
    const resolve = ev(c, 'resolve', 'staffA', '2026-11-02', 5, { note: '已清运' })
    const answer = ev(c, 'answer', 'staffB', '2026-11-02', 6, { note: '明天清运' })
    for (const order of [[accept, resolve, answer], [answer, resolve, accept], [resolve, accept, answer]]) {
      const status = concernStatus(c, order, isStaff)
      expect(status.state).toBe('resolved')
      expect(status.outcome).toBe('已清运')
      expect(status.history.map((h) => [h.event.type, h.applied])).toEqual([['accept', true], ['resolve', true], ['answer', false]])
    }
  })

  it('a resident cannot take staff’s steps, nor rate another’s concern; the reporter withdraws only while it is new', () => {
    const c = concern('tree', '2026-11-02')
    const status = concernStatus(c, [
      ev(c, 'resolve', 'res', '2026-11-02', 1, { note: '我自己说解决了' }),
      ev(c, 'accept', 'other', '2026-11-02', 2),
      ev(c, 'accept', 'staffA', '2026-11-02', 3),
      ev(c, 'withdraw', 'res', '2026-11-02', 4),
      ev(c, 'answer', 'staffA', '2026-11-02', 5, { note: '已修剪' }),
      ev(c, 'rate', 'other', '2026-11-02', 6, { solved: true, satisfaction: 'satisfied' }),
    ], isStaff)
    expect(status.state).toBe('answered')
    expect(status.history.map((h) => h.applied)).toEqual([false, false, true, false, true, false])
  })

  it('checks what each step must carry', () => {
    expect(checkStep('passUp', { note: '照片' }, '2026-11-02')).toMatchObject({ ok: false, problems: { to: 'problem.required' } })
    expect(checkStep('answer', {}, '2026-11-02')).toMatchObject({ ok: false, problems: { note: 'problem.required' } })
    expect(checkStep('rate', { solved: false, satisfaction: 'unsatisfied' }, '2026-11-02')).toMatchObject({ ok: false, problems: { note: 'problem.required' } })
    expect(checkStep('rate', { solved: true, satisfaction: 'satisfied' }, '2026-11-02').ok).toBe(true)
    expect(checkStep('accept', { due: '2026-11-01' }, '2026-11-02')).toMatchObject({ ok: false, problems: { due: 'problem.dateInPast' } })
    expect(checkConcernDraft({ category: 'repairs', what: '灯坏了', where: '3号楼2单元501', source: 'app', forName: '' })).toMatchObject({ ok: false, problems: { where: 'problem.fullAddress' } })
    expect(checkConcernDraft({ category: 'repairs', what: '  ', where: '', source: 'app', forName: '' })).toMatchObject({ ok: false, problems: { what: 'problem.required' } })
  })

  it('the follow-up (督办) list: new after a day, handled past due, passed up and not heard of for two weeks', () => {
    const fresh = concern('a', '2026-11-10')
    expect(isOverdue(fresh, concernStatus(fresh, [], isStaff), '2026-11-11')).toBe(false)
    expect(isOverdue(fresh, concernStatus(fresh, [], isStaff), '2026-11-12')).toBe(true)
    const handled = concern('b', '2026-11-10')
    const handling = concernStatus(handled, [ev(handled, 'accept', 'staffA', '2026-11-10', 1, { due: '2026-11-15' })], isStaff)
    expect([isOverdue(handled, handling, '2026-11-15'), isOverdue(handled, handling, '2026-11-16')]).toEqual([false, true])
    const up = concern('c', '2026-11-10')
    const passed = concernStatus(up, [ev(up, 'passUp', 'staffA', '2026-11-10', 1, { to: '街道', note: '材料' })], isStaff)
    expect([isOverdue(up, passed, '2026-11-24'), isOverdue(up, passed, '2026-11-25')]).toEqual([false, true])
  })
})

describe('counted as the field counts', () => {
  // Ten concerns in November, counted by hand:
  // received 9 (one withdrawn); responded within 24 h: 1, 2, 3, 5, 6, 7, 8 = 7 (4 took 30 h, 9 and 10 none);
  // passed up: 2 and 6 = 2; closed with a rating: 1, 2, 3, 5 = 4 (finished);
  // of those, solved: 1, 2, 5 = 3; satisfied or fairly: 1, 3, 5 = 3;
  // 6 is resolved and waiting for its rating: not finished; 7 answered, waiting; 8 handling; 9 new.
  // One in October is not counted.
  function november() {
    const items: { concern: Concern; events: ConcernEvent[] }[] = []
    const add = (id: string, day: string, category: Concern['category'], steps: (c: Concern) => ConcernEvent[]) => {
      const c = concern(id, day, { category })
      items.push({ concern: c, events: steps(c) })
    }
    const rate = (c: Concern, solved: boolean, satisfaction: 'satisfied' | 'basic' | 'unsatisfied', hours = 50) => ev(c, 'rate', 'res', '2026-11-03', hours, { solved, satisfaction, note: satisfaction === 'unsatisfied' ? '不行' : '' })
    add('1', '2026-11-03', 'repairs', (c) => [ev(c, 'accept', 'staffA', '2026-11-03', 2), ev(c, 'resolve', 'staffA', '2026-11-03', 20, { note: '修好' }), rate(c, true, 'satisfied')])
    add('2', '2026-11-03', 'repairs', (c) => [ev(c, 'passUp', 'staffA', '2026-11-03', 23, { to: '街道', note: '材料' }), ev(c, 'resolve', 'staffB', '2026-11-03', 40, { note: '街道修好' }), ev(c, 'rate', 'res', '2026-11-03', 45, { solved: false, satisfaction: 'unsatisfied', note: '慢' }), ev(c, 'resolve', 'staffB', '2026-11-03', 46, { note: '再看' }), rate(c, true, 'unsatisfied')])
    add('3', '2026-11-03', 'sanitation', (c) => [ev(c, 'answer', 'staffA', '2026-11-03', 1, { note: '周三清运' }), rate(c, false, 'basic')])
    add('4', '2026-11-03', 'sanitation', (c) => [ev(c, 'note', 'staffA', '2026-11-03', 30, { note: '在联系物业' })])
    add('5', '2026-11-03', 'policy', (c) => [ev(c, 'answer', 'staffB', '2026-11-03', 3, { note: '带身份证去街道' }), rate(c, true, 'basic')])
    add('6', '2026-11-03', 'safety', (c) => [ev(c, 'passUp', 'staffB', '2026-11-03', 4, { to: '派出所', note: '位置' }), ev(c, 'resolve', 'staffB', '2026-11-03', 30, { note: '已巡逻' })])
    add('7', '2026-11-03', 'policy', (c) => [ev(c, 'answer', 'staffA', '2026-11-03', 5, { note: '可以申请' })])
    add('8', '2026-11-03', 'dispute', (c) => [ev(c, 'accept', 'staffA', '2026-11-03', 6)])
    add('9', '2026-11-28', 'other', () => [])
    add('10', '2026-11-03', 'suggestion', (c) => [ev(c, 'withdraw', 'res', '2026-11-03', 1)])
    add('oct', '2026-10-30', 'repairs', (c) => [ev(c, 'accept', 'staffA', '2026-10-30', 1)])
    return items.map(({ concern, events }) => ({ concern, status: concernStatus(concern, events, isStaff) }))
  }

  it('received, responded in a day, passed up, solved, satisfied and finished, with the four rates', () => {
    const report = concernReport(november(), '2026-11')
    expect(report.total).toEqual({ received: 9, respondedInDay: 7, passedUp: 2, rated: 4, solved: 3, satisfied: 3, finished: 4, withdrawn: 1 })
    expect(report.rates).toEqual({ response: 7 / 9, resolution: 3 / 4, satisfaction: 3 / 4, finish: 4 / 9 })
    expect(report.byCategory.repairs).toEqual({ received: 2, respondedInDay: 2, passedUp: 1, rated: 2, solved: 2, satisfied: 1, finished: 2, withdrawn: 0 })
    expect(report.byCategory.sanitation).toMatchObject({ received: 2, respondedInDay: 1, finished: 1, solved: 0, satisfied: 1 })
    expect(concernReport(november(), '2026-10').total.received).toBe(1)
    expect(concernReport([], '2026-11').rates).toEqual({ response: null, resolution: null, satisfaction: null, finish: null })
  })

  it('exports GeoReport v2: every service and request field, of the type the standard gives it, and no person named', () => {
    const items = november()
    const { services, requests } = open311(items, (c) => `类别:${c}`, '幸福里社区')
    expect(services.map((s) => s.service_code)).toEqual([...CONCERN_CATEGORIES])
    for (const service of services) {
      expect(Object.keys(service).sort()).toEqual(['description', 'group', 'keywords', 'metadata', 'service_code', 'service_name', 'type'])
      expect(typeof service.service_code).toBe('string')
      expect(typeof service.service_name).toBe('string')
      expect(typeof service.metadata).toBe('boolean')
      expect(['realtime', 'batch', 'blackbox']).toContain(service.type)
    }
    const FIELDS = ['address', 'address_id', 'agency_responsible', 'description', 'expected_datetime', 'lat', 'long', 'media_url', 'requested_datetime', 'service_code', 'service_name', 'service_notice', 'service_request_id', 'status', 'status_notes', 'updated_datetime', 'zipcode']
    const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?(Z|[+-]\d{2}:\d{2})$/
    for (const request of requests) {
      expect(Object.keys(request).sort()).toEqual(FIELDS)
      expect(['open', 'closed']).toContain(request.status)
      expect(request.requested_datetime).toMatch(iso)
      expect(request.updated_datetime).toMatch(iso)
      expect(request.updated_datetime >= request.requested_datetime).toBe(true)
      if (request.expected_datetime !== null) expect(request.expected_datetime).toMatch(iso)
      expect(services.map((s) => s.service_code)).toContain(request.service_code)
      expect(JSON.stringify(request)).not.toContain('李阿姨')
    }
    const byId = new Map(requests.map((r) => [r.service_request_id, r]))
    expect(byId.get('res.1')).toMatchObject({ status: 'closed', agency_responsible: '幸福里社区', status_notes: '修好', address: '3号楼' })
    expect(byId.get('res.6')).toMatchObject({ status: 'open', agency_responsible: '派出所', status_notes: '→ 派出所 · 已巡逻' })
    expect(byId.get('res.10')?.status).toBe('closed')
    expect(byId.get('res.9')).toMatchObject({ status: 'open', status_notes: null })
  })
})

describe('a concern’s photo', () => {
  it('goes in parts of short strings; one larger than a photo may be, or not base64, is refused', () => {
    const base64 = 'A'.repeat(PHOTO_PART * 2 + 10)
    expect(photoParts({ base64, width: 10, height: 10 })?.map((p) => p.length)).toEqual([PHOTO_PART, PHOTO_PART, 10])
    expect(photoParts({ base64: 'A'.repeat(Math.ceil((PHOTO_MAX_BYTES * 4) / 3) + 8), width: 10, height: 10 })).toBeNull()
    expect(photoParts({ base64: '<script>', width: 10, height: 10 })).toBeNull()
  })
  it('is read only under its concern’s key', () => {
    const photo = { id: photoKey('res.c1'), concernId: 'res.c1', byId: 'res', type: 'image/jpeg', width: 4, height: 3, parts: ['AAAA'], stamp: at('2026-11-02', 0, 'res') }
    expect(v.safeParse(ConcernPhotoSchema, photo).success).toBe(true)
    expect(v.safeParse(ConcernPhotoSchema, { ...photo, concernId: 'res.c2' }).success).toBe(false)
    expect(v.safeParse(ConcernPhotoSchema, { ...photo, parts: ['x'.repeat(PHOTO_PART + 1)] }).success).toBe(false)
  })
})

describe('the categories staff keep', () => {
  it('starts from the built-in list; staff add their own, take any off and put it back; reports and Open311 follow the list', () => {
    const docs = new SpaceDocs()
    const clock = new HybridClock('staffdev', () => Date.parse('2026-12-07T09:00:00Z'))
    const resident = { id: 'res1', name: '李阿姨' }
    const draft = { what: '电梯坏了', where: '3号楼', source: 'app' as const, forName: '' }
    expect(readCategories(docs)).toEqual([...CONCERN_CATEGORIES])
    const lift = addCategory(docs, clock, ' 电梯加装 ')
    if (!lift.ok) throw new Error('not added')
    expect(lift.value.name).toBe('电梯加装')
    expect(addCategory(docs, clock, '电梯加装')).toEqual({ ok: false, problems: { name: 'problem.alreadyIn' } })
    expect(addCategory(docs, clock, '  ')).toMatchObject({ ok: false, problems: { name: 'problem.required' } })
    expect(keepCategory(docs, clock, 'safety', false).ok).toBe(true)
    expect(keepCategory(docs, clock, 'c-nothing', false)).toEqual({ ok: false, problems: { category: 'problem.notFound' } })
    expect(readCategories(docs)).toEqual(['sanitation', 'repairs', 'dispute', 'policy', 'suggestion', 'other', lift.value.id])
    // A concern goes under a category on the list only.
    const reported = reportConcern(docs, clock, resident, { ...draft, category: lift.value.id })
    expect(reported.ok).toBe(true)
    expect(reportConcern(docs, clock, resident, { ...draft, category: 'safety' })).toEqual({ ok: false, problems: { category: 'problem.required' } })
    expect(reportConcern(docs, clock, resident, { ...draft, category: 'c-made-up' })).toEqual({ ok: false, problems: { category: 'problem.required' } })
    // Put back, it may be chosen again; taken off, the added one's old concerns still count under it.
    expect(keepCategory(docs, clock, 'safety', true).ok).toBe(true)
    expect(readCategories(docs)).toContain('safety')
    expect(keepCategory(docs, clock, lift.value.id, false).ok).toBe(true)
    const list = readCategories(docs)
    expect(list).not.toContain(lift.value.id)
    if (!reported.ok) throw new Error('not reported')
    const items = [{ concern: reported.value, status: concernStatus(reported.value, [], () => false) }]
    const report = concernReport(items, '2026-12', list)
    expect(report.rows.map((r) => r.category)).toEqual([...list, lift.value.id])
    expect(report.byCategory[lift.value.id]).toMatchObject({ received: 1 })
    const { services, requests } = open311(items, (c) => c, '幸福里', list)
    expect(services.map((s) => s.service_code)).toEqual([...list, lift.value.id])
    expect(requests[0]).toMatchObject({ service_code: lift.value.id })
    // A built-in category's record carries no name; an added one's must.
    expect(v.safeParse(ConcernCategorySchema, { id: 'repairs', name: '修理', stamp: lift.value.stamp }).success).toBe(false)
    expect(v.safeParse(ConcernCategorySchema, { id: 'c-1', name: '', stamp: lift.value.stamp }).success).toBe(false)
  })
})
