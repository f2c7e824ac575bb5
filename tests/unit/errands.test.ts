import { describe, expect, it } from 'vitest'
import { deriveStatus, eventKey, type AidEvent, type AidEventType, type AidRequest } from '../../src/domain/aid'
import { checkServiceDraft, ledger } from '../../src/domain/errands'
import { formatStamp } from '../../src/domain/hlc'

// The 代办 point: its list of services, errands only 代办员 take, and the ledger.

const HOUR = 3_600_000
const at = (day: string, hours: number, by: string) => formatStamp(Date.parse(`${day}T08:00:00`) + hours * HOUR, 0, by)
const isStaff = (id: string) => id === 'staff'
const isAgent = (id: string) => id === 'agent'

function errand(n: number, day: string, over: Partial<AidRequest> = {}): AidRequest {
  const stamp = at(day, 0, 'staff')
  return { id: `staff.e${n}`, kind: 'need', category: 'paperwork', title: '养老金资格认证', details: '', when: '', where: '5号楼', urgency: 'normal', forId: `name:老人${n}`, forName: `老人${n}`, postedBy: 'staff', postedByName: '王主任', stamp, editedAt: stamp, number: `DB${n}`, materials: ['身份证'], serviceId: 'pension', ...over }
}
const ev = (r: AidRequest, type: AidEventType, by: string, day: string, hours: number, extra: Partial<AidEvent> = {}): AidEvent => ({ id: eventKey(r.id, at(day, hours, by)), requestId: r.id, type, byId: by, byName: by === 'agent' ? '李代办' : by, stamp: at(day, hours, by), ...extra })

describe('errands at the 代办 point', () => {
  it('a service needs a name; its usual days are a whole number; materials are trimmed', () => {
    const draft = { name: ' 养老金资格认证 ', serviceClass: 'socialSecurity' as const, materials: [' 身份证 ', '', '户口本'], where: '街道社保窗口', fee: '', days: '周一至周五', takesDays: '5', sensitive: false }
    expect(checkServiceDraft(draft)).toMatchObject({ ok: true, value: { name: '养老金资格认证', materials: ['身份证', '户口本'], takesDays: 5 } })
    expect(checkServiceDraft({ ...draft, name: '' })).toMatchObject({ ok: false, problems: { name: 'problem.required' } })
    expect(checkServiceDraft({ ...draft, takesDays: '2.5' })).toMatchObject({ ok: false, problems: { takesDays: 'problem.badCount' } })
    expect(checkServiceDraft({ ...draft, takesDays: '' })).toMatchObject({ ok: true, value: { takesDays: null } })
  })

  it('only a 代办员 or staff take an errand; the receipt comes back once, collected by staff, after it is done', () => {
    const r = errand(1, '2026-11-02')
    const status = deriveStatus(r, [
      ev(r, 'take', 'volunteer', '2026-11-02', 1),
      ev(r, 'take', 'agent', '2026-11-02', 2),
      ev(r, 'receiptBack', 'staff', '2026-11-02', 3),
      ev(r, 'passedOn', 'agent', '2026-11-03', 1),
      ev(r, 'done', 'agent', '2026-11-05', 1, { note: '认证通过' }),
      ev(r, 'receiptBack', 'agent', '2026-11-05', 2),
      ev(r, 'receiptBack', 'staff', '2026-11-06', 1),
      ev(r, 'receiptBack', 'staff', '2026-11-06', 2),
    ], isStaff, isAgent)
    expect(status.history.map((h) => `${h.event.type}:${h.event.byId}:${h.applied}`)).toEqual([
      'take:volunteer:false', 'take:agent:true', 'receiptBack:staff:false', 'passedOn:agent:true', 'done:agent:true', 'receiptBack:agent:false', 'receiptBack:staff:true', 'receiptBack:staff:false',
    ])
    expect(status).toMatchObject({ state: 'done', taker: { id: 'agent' } })
    expect(status.receiptBackAt).toBe(at('2026-11-06', 1, 'staff'))
    // A help request of another kind is taken by anyone who helps, as before.
    const errandless = errand(2, '2026-11-02', { category: 'errand', number: undefined })
    expect(deriveStatus(errandless, [ev(errandless, 'take', 'volunteer', '2026-11-02', 1)], isStaff, isAgent).state).toBe('taken')
  })

  it('the ledger lists the month’s numbered errands with every date, by 代办员 if asked', () => {
    const a = errand(1, '2026-11-02')
    const b = errand(2, '2026-11-10')
    const c = errand(3, '2026-10-30')
    const plain = errand(4, '2026-11-11', { category: 'errand', number: undefined })
    const items = [
      { request: a, events: [ev(a, 'take', 'agent', '2026-11-02', 1), ev(a, 'passedOn', 'agent', '2026-11-03', 1), ev(a, 'done', 'agent', '2026-11-05', 1, { note: '认证通过' }), ev(a, 'receiptBack', 'staff', '2026-11-06', 1)] },
      { request: b, events: [ev(b, 'take', 'staff', '2026-11-10', 1)] },
      { request: c, events: [] },
      { request: plain, events: [] },
    ].map(({ request, events }) => ({ request, status: deriveStatus(request, events, isStaff, isAgent) }))
    const names = (id: string | undefined) => (id === 'pension' ? '养老金资格认证' : '')
    expect(ledger(items, names, '2026-11')).toEqual([
      { number: 'DB1', received: '2026-11-02', applicant: '老人1', service: '养老金资格认证', agent: '李代办', agentId: 'agent', passedOn: '2026-11-03', finished: '2026-11-05', result: '认证通过', receiptBack: '2026-11-06', state: 'done' },
      { number: 'DB2', received: '2026-11-10', applicant: '老人2', service: '养老金资格认证', agent: 'staff', agentId: 'staff', passedOn: '', finished: '', result: '', receiptBack: '', state: 'taken' },
    ])
    expect(ledger(items, names, '2026-11', 'agent').map((row) => row.number)).toEqual(['DB1'])
  })
})
