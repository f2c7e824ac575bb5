import { describe, expect, it } from 'vitest'
import { parse } from 'papaparse'
import { csvText } from '../../src/ui/common/download'
import type { AidRequest } from '../../src/domain/aid'
import type { Elder } from '../../src/domain/canteen'
import type { VolunteerHours } from '../../src/domain/shifts'
import { monthReport, type Household, type Visit } from '../../src/domain/visits'

// The attacker: a resident who types a formula as their name, a request's title or a
// visit note, waiting for staff to open a month's report in Excel or WPS. Every CSV the
// app offers goes through csvText; here each export's rows are built as its screen builds
// them (Shifts, Aid, canteen Staff and Rounds, Visits), with the hostile text where a
// person's words go, and the CSV is read back cell by cell.

const PAYLOADS = [
  '=HYPERLINK("http://evil","x")',
  '+1+1',
  '-2+3',
  '@SUM(A1)',
  '\t=1',
  '\r=1',
  // A multi-line note: papaparse's own `escapeFormulae: true` lets this one through.
  '=HYPERLINK("http://evil",\n"x")',
]
const DANGEROUS = /^[=+\-@\t\r]/

type Row = (string | number)[]

async function readBack(rows: Row[]): Promise<string[][]> {
  const text = await csvText(rows)
  expect(text.startsWith('\ufeff')).toBe(true)
  const parsed = parse<string[]>(text.slice(1), { newline: '\r\n' })
  expect(parsed.errors).toEqual([])
  return parsed.data
}

/** No cell opens as a formula, and each cell reads as it was written, after a ' if it had to be escaped. */
async function expectDefused(rows: Row[]): Promise<void> {
  const cells = await readBack(rows)
  expect(cells).toHaveLength(rows.length)
  rows.forEach((row, r) => {
    // An empty row (the visits report's spacer) reads back as one empty cell.
    expect(cells[r]).toEqual(row.length === 0 ? [''] : row.map((cell) => (typeof cell === 'string' && DANGEROUS.test(cell) ? `'${cell}` : String(cell))))
  })
  const all = cells.flat()
  for (const cell of all) expect(cell).not.toMatch(DANGEROUS)
  // Every payload is still there to read, right after the escape.
  for (const payload of PAYLOADS) expect(all.some((cell) => cell.startsWith(`'${payload}`))).toBe(true)
}

describe('CSV exports do not run what residents typed', () => {
  it('volunteer hours (Shifts → HoursReport)', async () => {
    const volunteers: VolunteerHours[] = PAYLOADS.map((name, i) => ({ volunteerId: `v${i}`, name, shifts: i + 1, minutes: 90 * (i + 1) }))
    const hours = (minutes: number) => Math.round((minutes / 60) * 100) / 100
    await expectDefused([['姓名', '班次', '小时'], ...volunteers.map((r) => [r.name, r.shifts, hours(r.minutes)])])
  })

  it('mutual aid overview (Aid → Overview): overdue requests by number or title', async () => {
    const overdue = PAYLOADS.map((title, i) => ({ title, number: i % 2 ? title : undefined }) as Pick<AidRequest, 'title' | 'number'>)
    const rows: Row[] = [
      ['指标', '数值'],
      ['求助总数', 12],
      ['完成率', '87.5%'],
      ['平均用时', '—'],
      ...overdue.map((r) => ['逾期', r.number ?? r.title]),
      ['逾期', overdue.map((r) => r.number ?? r.title).join(' ')],
    ]
    await expectDefused(rows)
  })

  it('canteen route sheet (Rounds → exportRoute): elder name, address, allergies, delivery note', async () => {
    const elders: Pick<Elder, 'id' | 'name' | 'building' | 'unit' | 'allergies' | 'deliveryNote'>[] = PAYLOADS.map((text, i) => ({
      id: `E00${i}`,
      name: text,
      building: text,
      unit: text,
      allergies: text,
      deliveryNote: text,
    }))
    await expectDefused([
      ['站', '姓名', '地址', '饮食', '备注', '结果'],
      ...elders.map((e, i) => [i + 1, e.name, `${e.building} ${e.unit}`, e.allergies, e.deliveryNote, '']),
    ])
  })

  it('canteen month report (Staff → Report): labels and numbers only, numbers stay numbers', async () => {
    const cells = await readBack([
      ['餐次', '档', '份数'],
      ['午餐', '低保', 40],
      ['送餐', '', 12],
      ['补贴', '', 1234.5],
    ])
    expect(cells[3]).toEqual(['补贴', '', '1234.5'])
  })

  it('home visits report (Visits → VisitReport): grid, household label, note, visitor', async () => {
    const households: Household[] = PAYLOADS.map((text, i) => ({
      id: `h${i}`, grid: text, label: text, elderCode: '', building: '3', unit: '2', room: '301', phone: '',
      reason: 'alone', every: 'week', visitorId: `v${i}`, visitorName: text, since: '2026-10-01', ended: false, stamp: '0',
    }))
    const visits: Visit[] = households.map((h) => ({
      id: `2026-11_${h.id}`, householdId: h.id, day: '2026-11-03', outcome: 'help', note: h.label, visitorId: h.visitorId, visitorName: h.visitorName, requestId: '', stamp: '1',
    }))
    const report = monthReport(households, visits, '2026-11', '2026-11-30')
    expect(report).toHaveLength(PAYLOADS.length)
    await expectDefused([
      ['网格', '户数', '已走访', '走访次数', '需帮助', '紧急', '逾期'],
      ...report.map((r) => [r.grid, r.households, r.visited, r.visits, r.help, r.urgent, r.overdue]),
      [],
      ['日期', '网格', '住户', '情况', '备注', '走访人'],
      ...visits.map((v) => {
        const household = households.find((h) => h.id === v.householdId)
        return [v.day, household?.grid ?? '', household?.label ?? '', '需帮助', v.note, v.visitorName]
      }),
    ])
  })

  it('leaves genuine numbers alone, negative ones too; only text is escaped', async () => {
    const cells = await readBack([['退款', -12.5, '-12.5', 0, '']])
    expect(cells[0]).toEqual(['退款', '-12.5', "'-12.5", '0', ''])
  })
})
