import { describe, expect, it } from 'vitest'
import { HybridClock } from '../../src/domain/hlc'
import { byUrgency, checkHouseholdDraft, dueOf, monthReport, nextDue, VISIT_HELP_FOR, VISIT_HELP_TITLE, type Household, type HouseholdDraft, type Visit } from '../../src/domain/visits'
import { SpaceDocs } from '../../src/store/space-docs'
import { endHousehold, followUp, logVisit, readVisitData, saveHousehold } from '../../src/store/visits'
import { readAidData } from '../../src/store/aid'

// Who is due a visit, across month ends; logging visits; the month's report by grid.

const draft = (over: Partial<HouseholdDraft> = {}): HouseholdDraft => ({
  grid: '3号楼',
  label: '张奶奶',
  elderCode: '',
  building: '3',
  unit: '2',
  room: '301',
  phone: '',
  reason: 'alone',
  every: 'week',
  visitorId: 'v1',
  visitorName: '小王',
  ...over,
})
const household = (over: Partial<Household> = {}): Household => ({ id: 'h1', ...draft(), since: '2026-10-01', ended: false, stamp: '0', ...over })
const visit = (day: string, over: Partial<Visit> = {}): Visit => ({ id: `${day.slice(0, 7)}_${day}`, householdId: 'h1', day, outcome: 'well', note: '', visitorId: 'v1', visitorName: '小王', requestId: '', stamp: day, ...over })

describe('who is due a visit', () => {
  it('weekly, fortnightly and monthly, across month and year ends', () => {
    expect(nextDue('2026-11-28', 'week')).toBe('2026-12-05')
    expect(nextDue('2026-12-25', 'fortnight')).toBe('2027-01-08')
    // A month after the 31st is the month's last day.
    expect(nextDue('2026-10-31', 'month')).toBe('2026-11-30')
    expect(nextDue('2026-01-31', 'month')).toBe('2026-02-28')
  })

  it('visited, due within two days, or overdue; the latest visit counts, not a later-dated one', () => {
    const weekly = household()
    const visits = [visit('2026-11-20'), visit('2026-11-28')]
    expect(dueOf(weekly, visits, '2026-12-01')).toMatchObject({ status: 'visited', due: '2026-12-05' })
    expect(dueOf(weekly, visits, '2026-12-03').status).toBe('due')
    expect(dueOf(weekly, visits, '2026-12-05').status).toBe('due')
    expect(dueOf(weekly, visits, '2026-12-06').status).toBe('overdue')
    // Last month's visit carries into this month: a monthly household visited 31 Oct is due 30 Nov.
    const monthly = household({ every: 'month' })
    expect(dueOf(monthly, [visit('2026-10-31')], '2026-11-27')).toMatchObject({ status: 'visited', due: '2026-11-30' })
    expect(dueOf(monthly, [visit('2026-10-31')], '2026-12-01').status).toBe('overdue')
    // Never visited: due from the day it was linked.
    expect(dueOf(household({ since: '2026-11-27' }), [], '2026-11-27').status).toBe('due')
    expect(dueOf(household({ since: '2026-11-20' }), [], '2026-11-27').status).toBe('overdue')
    // A visit logged for a later day does not count yet.
    expect(dueOf(weekly, [visit('2026-11-28'), visit('2026-12-20')], '2026-12-06').status).toBe('overdue')
  })

  it('lists overdue first, then due, then visited', () => {
    const list = [
      dueOf(household({ id: 'a', label: 'A' }), [visit('2026-11-26', { householdId: 'a' })], '2026-11-27'),
      dueOf(household({ id: 'b', label: 'B', since: '2026-11-01' }), [], '2026-11-27'),
      dueOf(household({ id: 'c', label: 'C', since: '2026-11-28' }), [], '2026-11-27'),
    ]
    expect(list.sort(byUrgency).map((d) => `${d.household.label}:${d.status}`)).toEqual(['B:overdue', 'C:due', 'A:visited'])
  })

  it('a household needs a grid, a name and a visitor', () => {
    expect(checkHouseholdDraft(draft({ grid: ' ', label: '', visitorId: '' }))).toMatchObject({ ok: false, problems: { grid: 'problem.required', label: 'problem.required', visitorId: 'problem.required' } })
  })
})

describe('logging visits', () => {
  const setup = () => {
    let wall = 1_800_000_000_000
    return { staff: new SpaceDocs(), pub: new SpaceDocs(), clock: new HybridClock('dev1', () => (wall += 1000)) }
  }
  const visitor = { id: 'v1', name: '小王' }

  it('"needs help" opens a help request on the household\'s behalf: its grid, never its door', () => {
    const { staff, pub, clock } = setup()
    const linked = saveHousehold(staff, clock, draft(), '2026-11-20')
    if (!linked.ok) throw new Error('not linked')
    const logged = logVisit(staff, pub, clock, linked.value.id, 'help', '想请人帮忙买药', visitor, '2026-11-27')
    expect(logged.ok).toBe(true)
    const [request] = readAidData(pub).requests
    // Neutral: the grid only; the household and the note stay in the visit, which names the request.
    expect(request).toMatchObject({ forName: VISIT_HELP_FOR, where: '3号楼', title: VISIT_HELP_TITLE, details: '', postedBy: 'v1' })
    for (const personal of ['301', '张奶奶', '买药']) expect(JSON.stringify(request)).not.toContain(personal)
    expect(readVisitData(staff).visits).toMatchObject([{ outcome: 'help', note: '想请人帮忙买药', requestId: request!.id, day: '2026-11-27' }])
  })

  it('"urgent" needs a note; a staff follow-up is kept by the visit; an ended household takes no visits', () => {
    const { staff, pub, clock } = setup()
    const linked = saveHousehold(staff, clock, draft(), '2026-11-20')
    if (!linked.ok) throw new Error('not linked')
    expect(logVisit(staff, pub, clock, linked.value.id, 'urgent', ' ', visitor, '2026-11-27')).toEqual({ ok: false, problems: { note: 'problem.concernNeedsNote' } })
    const urgent = logVisit(staff, pub, clock, linked.value.id, 'urgent', '摔倒了，已叫120', visitor, '2026-11-27')
    if (!urgent.ok) throw new Error('not logged')
    expect(followUp(staff, clock, urgent.value.visit.id, { id: 's1', name: '王主任' }).ok).toBe(true)
    expect(readVisitData(staff).followUps.has(urgent.value.visit.id)).toBe(true)
    expect(readAidData(pub).requests).toEqual([])
    endHousehold(staff, clock, linked.value.id)
    expect(logVisit(staff, pub, clock, linked.value.id, 'well', '', visitor, '2026-11-28').ok).toBe(false)
  })

  it('the month\'s report counts each grid\'s visits, households visited, and who is overdue', () => {
    // d is no longer visited (and was not visited this month); e was linked after it.
    const households = [household({ id: 'a', grid: '1号楼' }), household({ id: 'b', grid: '1号楼' }), household({ id: 'c', grid: '2号楼', every: 'month' }), household({ id: 'd', grid: '2号楼', ended: true }), household({ id: 'e', grid: '2号楼', since: '2026-12-01' })]
    const visits = [
      visit('2026-11-03', { householdId: 'a' }),
      visit('2026-11-25', { householdId: 'a', outcome: 'help' }),
      visit('2026-10-30', { householdId: 'c' }),
      visit('2026-11-10', { householdId: 'b', outcome: 'urgent' }),
    ]
    expect(monthReport(households, visits, '2026-11', '2026-11-30')).toEqual([
      { grid: '1号楼', households: 2, visits: 3, visited: 2, help: 1, urgent: 1, overdue: 1 },
      { grid: '2号楼', households: 1, visits: 0, visited: 0, help: 0, urgent: 0, overdue: 0 },
    ])
  })
})
