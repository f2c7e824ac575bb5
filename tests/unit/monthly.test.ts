import { describe, expect, it } from 'vitest'
import { activityMonth, monthRows, shiftMonth, visitMonth } from '../../src/domain/monthly'
import { concernReport } from '../../src/domain/concerns'
import type { ActivityView, Headcount } from '../../src/domain/activities'

// The community's month, counted by hand.

const view = (id: string, date: string, confirmed: number, cancelled = false) =>
  ({ activity: { id, date }, cancelled, confirmed: Array.from({ length: confirmed }, (_, i) => ({ personId: `p${i}` })) }) as unknown as ActivityView

describe('the community’s month', () => {
  it('activities held are those on days up to today, not cancelled; attendance is the headcount, or the RSVPs where none', () => {
    const views = [view('a', '2026-11-03', 12), view('b', '2026-11-10', 8), view('c', '2026-11-12', 30, true), view('d', '2026-11-28', 5), view('e', '2026-10-30', 9)]
    const headcounts: Record<string, Headcount> = { a: { id: 'a', count: 15, byId: 's', stamp: '' } }
    expect(activityMonth(views, (id) => headcounts[id], '2026-11', '2026-11-20')).toEqual({ held: 2, attendance: 15 + 8, counted: 1 })
  })

  it('volunteer attendances and hours add up each volunteer’s; coverage is households visited ÷ linked', () => {
    expect(shiftMonth([{ volunteerId: 'a', name: 'a', shifts: 3, minutes: 360 }, { volunteerId: 'b', name: 'b', shifts: 1, minutes: 90 }])).toEqual({ attendances: 4, minutes: 450, volunteers: 2 })
    expect(visitMonth([{ grid: '一', households: 10, visits: 12, visited: 8, help: 0, urgent: 0, overdue: 2 }, { grid: '二', households: 10, visits: 3, visited: 2, help: 1, urgent: 0, overdue: 8 }])).toEqual({ households: 20, visited: 10, visits: 15, coverage: 0.5 })
    expect(visitMonth([]).coverage).toBeNull()
  })

  it('lists every figure in order, rates as rates, and leaves out meals, visits and private errands where the device holds no staff space', () => {
    const base = {
      month: '2026-11',
      activities: { held: 2, attendance: 23, counted: 1 },
      shifts: { attendances: 4, minutes: 450, volunteers: 2 },
      aid: { received: 4, finished: 2, finishRate: 0.5, satisfactionRate: 1 },
      concerns: concernReport([], '2026-11'),
    }
    const without = monthRows({ ...base, meals: null, visits: null, privateErrands: null })
    expect(without.map((r) => r.key).filter((k) => k.startsWith('month.meals') || k === 'month.visitCoverage')).toEqual([])
    expect(without.find((r) => r.key === 'month.shiftHours')?.value).toBe(7.5)
    expect(without.find((r) => r.key === 'month.aidFinishRate')).toEqual({ key: 'month.aidFinishRate', value: 0.5, rate: true })
    const whole = monthRows({ ...base, meals: { byTier: { standard: 40, dibao: 10, tekun: 2 }, extra: 3, elders: 12, subsidy: 520 }, visits: { households: 20, visited: 10, visits: 15, coverage: 0.5 }, privateErrands: { received: 3, finished: 1 } })
    expect(whole.find((r) => r.key === 'month.subsidy')?.value).toBe(520)
    expect(whole.find((r) => r.key === 'month.privateFinished')?.value).toBe(1)
    expect(without.find((r) => r.key === 'month.privateReceived')).toBeUndefined()
    expect(whole.length).toBe(without.length + 11)
  })
})
