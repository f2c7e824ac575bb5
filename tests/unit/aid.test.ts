import { SpaceDocs } from '../../src/store/space-docs'
import { copySpace } from '../convergence/harness'
import { describe, expect, it } from 'vitest'
import { HybridClock } from '../../src/domain/hlc'
import { allowed, browseOrder, checkAidDraft, deriveStatus, errandNumber, isUnclaimed, looksLikeFullAddress, lostTake, overview, type AidDraft, type AidEventType, type AidRequest } from '../../src/domain/aid'
import { editRequest, postRequest, readAidData, step } from '../../src/store/aid'
import { compareStamps, formatStamp, stampDay } from '../../src/domain/hlc'

const TODAY = '2026-11-23'
const draft = (over: Partial<AidDraft> = {}): AidDraft => ({
  kind: 'need',
  category: 'items',
  title: '需要一口新炒锅',
  details: '老锅坏了',
  when: '本周内',
  where: '3号楼',
  urgency: 'normal',
  forName: '',
  materials: [],
  due: '',
  ...over,
})
const resident = { id: 'res', name: '张大爷' }
const v1 = { id: 'v1', name: '小刘' }
const v2 = { id: 'v2', name: '小陈' }
const staff = { id: 'staff', name: '王主任' }
const isStaff = (id: string) => id === 'staff'

function setup(wallStart = new Date(`${TODAY}T09:00:00`).getTime()) {
  let wall = wallStart
  return { docs: new SpaceDocs(), clock: (device: string) => new HybridClock(device, () => (wall += 60_000)) }
}

describe('posting', () => {
  it('needs a title; keeps door numbers out of the public space', () => {
    expect(checkAidDraft(draft({ title: ' ' }), TODAY)).toMatchObject({ ok: false, problems: { title: 'problem.required' } })
    for (const where of ['3单元502室', '3-2-502', '5号楼1201', '2单元 3楼']) expect(looksLikeFullAddress(where), where).toBe(true)
    for (const where of ['3号楼', '第二网格', '幸福里北区', '']) expect(looksLikeFullAddress(where), where).toBe(false)
    expect(checkAidDraft(draft({ where: '3单元502室' }), TODAY)).toMatchObject({ ok: false, problems: { where: 'problem.fullAddress' } })
  })

  it('numbers paperwork errands by day, device and count, and keeps their materials', () => {
    const { docs, clock } = setup()
    const c = clock('k7q2x9abcdef')
    const first = postRequest(docs, c, staff, draft({ category: 'paperwork', title: '养老金认证', forName: '张大爷', materials: ['身份证', ' 户口本 ', ''], due: '2026-11-30' }), TODAY)
    const second = postRequest(docs, c, staff, draft({ category: 'paperwork', title: '低保年审', forName: '李奶奶' }), TODAY)
    expect(first.ok && first.value).toMatchObject({ number: 'DB261123-K7Q2X9-1', materials: ['身份证', '户口本'], due: '2026-11-30', forName: '张大爷', forId: 'name:张大爷', postedByName: '王主任' })
    expect(second.ok && second.value.number).toBe('DB261123-K7Q2X9-2')
    expect(errandNumber('2027-01-05', 'abcdefgh', 0)).toBe('DB270105-ABCDEF-1')
  })
})

describe('the lifecycle: every allowed and refused step', () => {
  function posted() {
    const { docs, clock } = setup()
    const c = { res: clock('res'), v1: clock('v1'), v2: clock('v2'), staff: clock('staff') }
    const result = postRequest(docs, c.res, resident, draft(), TODAY)
    if (!result.ok) throw new Error('post failed')
    const id = result.value.id
    const go = (who: keyof typeof c, person: { id: string; name: string }, type: AidEventType, details = {}) => step(docs, c[who], id, type, person, details, isStaff)
    const state = () => {
      const data = readAidData(docs)
      return deriveStatus(data.requests[0]!, data.events, isStaff)
    }
    return { docs, c, id, go, state }
  }

  it('open → taken → done → confirmed and rated → closed', () => {
    const { go, state } = posted()
    expect(go('v1', v1, 'done')).toMatchObject({ ok: false, problems: { request: 'problem.nobodyTook' } })
    expect(go('res', resident, 'confirm', { stars: 5 })).toMatchObject({ ok: false, problems: { request: 'problem.notDoneYet' } })
    expect(go('v1', v1, 'take').ok).toBe(true)
    expect(state()).toMatchObject({ state: 'taken', taker: { id: 'v1', how: 'take' } })
    expect(go('v2', v2, 'take')).toMatchObject({ ok: false, problems: { request: 'problem.notOpen' } })
    expect(go('res', resident, 'withdraw')).toMatchObject({ ok: false, problems: { request: 'problem.notOpen' } })
    expect(go('v2', v2, 'done')).toMatchObject({ ok: false, problems: { request: 'problem.notAllowed' } })
    expect(go('v1', v1, 'done', { note: '锅已送到' }).ok).toBe(true)
    expect(go('v1', v1, 'confirm', { stars: 5 })).toMatchObject({ ok: false, problems: { request: 'problem.notAllowed' } })
    expect(go('res', resident, 'confirm', { stars: 6 })).toMatchObject({ ok: false, problems: { stars: 'problem.starsOneToFive' } })
    expect(go('res', resident, 'confirm', { stars: 5, note: '谢谢' }).ok).toBe(true)
    expect(state()).toMatchObject({ state: 'closed', doneNote: '锅已送到', rating: { stars: 5, comment: '谢谢' } })
    expect(state().history.map((h) => h.event.type)).toEqual(['take', 'done', 'confirm'])
  })

  it('"not done" reopens it for anyone; staff dispatch, the volunteer accepts; the requester withdraws while open', () => {
    const { go, state } = posted()
    expect(go('v1', v1, 'dispatch', { volunteer: v2 })).toMatchObject({ ok: false, problems: { request: 'problem.notAllowed' } })
    expect(go('staff', staff, 'dispatch', { volunteer: v2 }).ok).toBe(true)
    // Offered, not taken: nobody else may take it, and only the volunteer offered it answers.
    expect(state()).toMatchObject({ state: 'offered', taker: null, offered: { id: 'v2', name: '小陈' } })
    expect(go('v1', v1, 'take')).toMatchObject({ ok: false, problems: { request: 'problem.notOpen' } })
    expect(go('v1', v1, 'accept')).toMatchObject({ ok: false, problems: { request: 'problem.notOffered' } })
    expect(go('v2', v2, 'done')).toMatchObject({ ok: false, problems: { request: 'problem.nobodyTook' } })
    expect(go('v2', v2, 'accept').ok).toBe(true)
    expect(state()).toMatchObject({ state: 'taken', offered: null, taker: { id: 'v2', name: '小陈', how: 'dispatch' } })
    expect(go('v2', v2, 'received').ok).toBe(true)
    expect(go('v2', v2, 'done').ok).toBe(true)
    expect(go('res', resident, 'notDone', { note: '锅不对' }).ok).toBe(true)
    expect(state()).toMatchObject({ state: 'open', taker: null, materialsReceived: false })
    expect(go('v1', v1, 'take').ok).toBe(true)
    const fresh = posted()
    expect(fresh.go('v1', v1, 'withdraw')).toMatchObject({ ok: false, problems: { request: 'problem.notAllowed' } })
    expect(fresh.go('res', resident, 'withdraw').ok).toBe(true)
    expect(fresh.state().state).toBe('withdrawn')
    expect(fresh.go('v1', v1, 'take')).toMatchObject({ ok: false })
  })

  it('a volunteer who declines sends it back to open; staff may offer it to another meanwhile', () => {
    const { go, state } = posted()
    expect(go('staff', staff, 'dispatch', { volunteer: v1 }).ok).toBe(true)
    expect(go('v1', v1, 'decline', { note: '今天在外地' }).ok).toBe(true)
    expect(state()).toMatchObject({ state: 'open', offered: null, taker: null })
    expect(go('v1', v1, 'accept')).toMatchObject({ ok: false, problems: { request: 'problem.notOffered' } })
    expect(go('staff', staff, 'dispatch', { volunteer: v1 }).ok).toBe(true)
    expect(go('staff', staff, 'dispatch', { volunteer: v2 }).ok).toBe(true)
    expect(go('v1', v1, 'accept')).toMatchObject({ ok: false, problems: { request: 'problem.notOffered' } })
    expect(go('v2', v2, 'accept').ok).toBe(true)
    expect(state().taker?.id).toBe('v2')
  })

  it('a dispatch written by an older build (no offer) still gives the request to the volunteer at once', () => {
    const request: AidRequest = { id: 'res.r1', kind: 'need', category: 'errand', title: '买药', details: '', when: '', where: '', urgency: 'normal', forId: 'res', forName: '张大爷', postedBy: 'res', postedByName: '张大爷', stamp: '000000000a0-00000-res', editedAt: '000000000a0-00000-res' }
    const old = { id: 'res.r1|000000000b0-00000-staff', requestId: 'res.r1', type: 'dispatch' as const, byId: 'staff', byName: '王主任', stamp: '000000000b0-00000-staff', volunteerId: 'v1', volunteerName: '小刘' }
    expect(deriveStatus(request, [old], isStaff)).toMatchObject({ state: 'taken', offered: null, taker: { id: 'v1', how: 'dispatch' } })
  })

  it('staff see a need nobody took for over a day: open since posted or declined, or offered and not answered', () => {
    const at = (hours: number) => formatStamp(Date.parse('2026-11-23T08:00:00') + hours * 3_600_000, 0, 'x')
    const request: AidRequest = { id: 'res.r2', kind: 'need', category: 'errand', title: '买菜', details: '', when: '', where: '', urgency: 'normal', forId: 'res', forName: '张大爷', postedBy: 'res', postedByName: '张大爷', stamp: at(0), editedAt: at(0) }
    const ev = (type: AidEventType, hours: number, extra: object = {}) => ({ id: `res.r2|${at(hours)}`, requestId: 'res.r2', type, byId: type === 'dispatch' ? 'staff' : 'v1', byName: 'x', stamp: at(hours), ...extra })
    const now = (hours: number) => Date.parse('2026-11-23T08:00:00') + hours * 3_600_000
    const unclaimed = (events: ReturnType<typeof ev>[], hours: number) => isUnclaimed(request, deriveStatus(request, events, isStaff), now(hours))
    expect([unclaimed([], 23), unclaimed([], 25)]).toEqual([false, true])
    const offered = [ev('dispatch', 20, { volunteerId: 'v1', volunteerName: '小刘', offer: true })]
    expect([unclaimed(offered, 25), unclaimed(offered, 45)]).toEqual([false, true])
    const declined = [...offered, ev('decline', 30)]
    expect([unclaimed(declined, 50), unclaimed(declined, 55)]).toEqual([false, true])
    expect(unclaimed([...offered, ev('accept', 21)], 100)).toBe(false)
    expect(isUnclaimed({ ...request, kind: 'offer' }, deriveStatus(request, [], isStaff), now(100))).toBe(false)
  })

  it('edits only while open, by the requester or staff', () => {
    const { docs, c, id, go } = posted()
    expect(editRequest(docs, c.v1, v1, id, draft({ title: '改' }), TODAY, isStaff)).toMatchObject({ ok: false, problems: { request: 'problem.notAllowed' } })
    expect(editRequest(docs, c.res, resident, id, draft({ title: '需要炒锅和锅铲' }), TODAY, isStaff).ok).toBe(true)
    go('v1', v1, 'take')
    expect(editRequest(docs, c.res, resident, id, draft({ title: '再改' }), TODAY, isStaff)).toMatchObject({ ok: false, problems: { request: 'problem.notOpen' } })
  })

  it('two offline takes: the first in HLC order wins everywhere; the other is told', () => {
    const { docs, clock } = setup()
    const posted = postRequest(docs, clock('res'), resident, draft(), TODAY)
    if (!posted.ok) throw new Error('post failed')
    const a = new SpaceDocs()
    const b = new SpaceDocs()
    copySpace(docs, a)
    copySpace(docs, b)
    step(b, clock('v2'), posted.value.id, 'take', v2, {}, isStaff) // later by the clock
    step(a, new HybridClock('v1', () => 1), posted.value.id, 'take', v1, {}, isStaff) // earliest stamp
    copySpace(b, a)
    copySpace(a, b)
    for (const d of [a, b]) {
      const data = readAidData(d)
      const status = deriveStatus(data.requests[0]!, data.events, isStaff)
      expect(status.taker?.id).toBe('v1')
      expect(lostTake(status, 'v2')).toBe(true)
      expect(lostTake(status, 'v1')).toBe(false)
    }
  })

  it('the rules table refuses steps by the wrong person whatever the state', () => {
    const request = { forId: 'res', postedBy: 'res' } as Pick<AidRequest, 'forId' | 'postedBy'>
    const done = { state: 'done', taker: { id: 'v1', name: '', how: 'take' }, offered: null } as const
    expect(allowed(done, { type: 'confirm', byId: 'v1' }, request, isStaff)).toBe(false)
    expect(allowed(done, { type: 'confirm', byId: 'staff' }, request, isStaff)).toBe(true)
    const offered = { state: 'offered', taker: null, offered: { id: 'v1', name: '', at: '' } } as const
    expect(allowed(offered, { type: 'accept', byId: 'staff' }, request, isStaff)).toBe(false)
    expect(allowed(offered, { type: 'decline', byId: 'v1' }, request, isStaff)).toBe(true)
  })
})

describe('stamps', () => {
  it('a step is stamped after the steps it follows, even on a phone whose clock is behind and whose screens never read them', () => {
    // The resident's and the volunteer's phones run an hour ahead of the staff phone.
    const ahead = setup(new Date(`${TODAY}T10:00:00`).getTime())
    const posted = postRequest(ahead.docs, ahead.clock('res'), resident, draft(), TODAY)
    if (!posted.ok) throw new Error('post failed')
    const took = step(ahead.docs, ahead.clock('v1'), posted.value.id, 'take', v1, {}, isStaff)
    const docs = new SpaceDocs()
    copySpace(ahead.docs, docs)
    const behind = new HybridClock('staff', () => new Date(`${TODAY}T09:00:00`).getTime())
    const done = step(docs, behind, posted.value.id, 'done', staff, {}, isStaff)
    if (!took.ok || !done.ok) throw new Error('step failed')
    expect(compareStamps(done.value.stamp, took.value.stamp)).toBeGreaterThan(0)
  })
})

describe('browsing and the staff overview', () => {
  it('puts my categories first, then urgent, then newest', () => {
    const base = { kind: 'need', details: '', when: '', where: '', forId: 'x', forName: 'x', postedBy: 'x', postedByName: 'x' } as const
    const r = (id: string, category: AidRequest['category'], urgency: AidRequest['urgency'], stamp: string): AidRequest => ({ ...base, id, title: id, category, urgency, stamp, editedAt: stamp })
    const list = [r('a', 'items', 'normal', '0000000000a-00000-x'), r('b', 'items', 'urgent', '00000000001-00000-x'), r('c', 'repair', 'low', '00000000002-00000-x'), r('d', 'items', 'normal', '0000000000b-00000-x')]
    expect(browseOrder(list).map((x) => x.id)).toEqual(['b', 'd', 'a', 'c'])
    expect(browseOrder(list, new Set(['repair'])).map((x) => x.id)).toEqual(['c', 'b', 'd', 'a'])
  })

  it('counts by category and state, 办结率 (finished ÷ received), median time to done, satisfaction and overdue errands', () => {
    const { docs, clock } = setup()
    const c = { res: clock('res'), v1: clock('v1'), staff: clock('staff') }
    const ids: string[] = []
    for (const [i, category] of (['items', 'repair', 'paperwork', 'items'] as const).entries()) {
      const posted = postRequest(docs, c.staff, staff, draft({ category, title: `r${i}`, forName: '张大爷', due: category === 'paperwork' ? '2026-11-24' : '' }), TODAY)
      if (!posted.ok) throw new Error(JSON.stringify(posted.problems))
      ids.push(posted.value.id)
    }
    const run = (id: string, steps: [AidEventType, object?][]) => steps.forEach(([type, details]) => step(docs, type === 'confirm' ? c.staff : c.v1, id, type, type === 'confirm' ? staff : v1, details ?? {}, isStaff))
    run(ids[0]!, [['take'], ['done'], ['confirm', { stars: 5 }]])
    run(ids[1]!, [['take'], ['done'], ['confirm', { stars: 3 }]])
    run(ids[2]!, [['take']])
    // Done, not yet confirmed: not finished.
    run(ids[3]!, [['take'], ['done']])
    const data = readAidData(docs)
    const items = data.requests.map((request) => ({ request, status: deriveStatus(request, data.events, isStaff), postedDay: stampDay(request.stamp) }))
    const o = overview(items, '2026-11', '2026-11-25')
    expect(o).toMatchObject({ total: 4, received: 4, taken: 4, done: 3, finished: 2, ratings: 2, satisfactionRate: 0.5 })
    expect(o.finishRate).toBe(2 / 4)
    expect(o.byCategory).toMatchObject({ items: 2, repair: 1, paperwork: 1 })
    expect(o.byState).toMatchObject({ closed: 2, taken: 1, done: 1, open: 0 })
    expect(o.medianMinutesToDone).toBeGreaterThan(0)
    expect(o.overdue.map((r) => r.title)).toEqual(['r2'])
    expect(overview(items, '2026-12', '2026-11-25')).toMatchObject({ total: 0, finishRate: null, satisfactionRate: null, medianMinutesToDone: null })
  })
})
