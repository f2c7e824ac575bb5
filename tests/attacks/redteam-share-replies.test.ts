import { describe, expect, it } from 'vitest'
import { formatStamp, HybridClock } from '../../src/domain/hlc'
import type { Elder, Round } from '../../src/domain/canteen'
import type { Household } from '../../src/domain/visits'
import type { Verdict } from '../../src/domain/trust'
import { SpaceDocs } from '../../src/store/space-docs'
import { staffSpace } from '../../src/store/layout'
import { readCanteen } from '../../src/store/canteen'
import { readVisitData } from '../../src/store/visits'
import { makeKeys } from '../../src/trust/keys'
import { logSharedVisit, markSharedDoor, openShare, settleShares, shareRound, shareVisits } from '../../src/trust/shares'

/** A stamp from before the round was shared (what staff wrote the round and households with). */
const STAMP = formatStamp(Date.parse('2026-11-20T08:00:00Z'), 0, 'staffdev')

// Red team: a resident volunteer gets a staff device to write staff-space records of his
// choosing. The checks that a door mark is for a stop of his round, and a visit for a
// household he was given, run only in the volunteer's own app (markSharedDoor,
// logSharedVisit check the opened share, which his modified app hands them as it
// likes). A staff device opening the replies (settleShares → importMark, importVisit)
// checks neither, and writes them into the staff space as its own, signed records: a
// "delivered" for an elder on nobody's round, a "visited, all well" for a household
// someone else visits (staff then see it as not due, and nobody goes). Now a staff
// device checks each reply against the round and the households it holds.

const DAY = '2026-11-27'
const elder = (id: string, name: string): Elder => ({ id, name, building: '3', unit: '1', phone: '', emergencyName: '', emergencyPhone: '', diets: [], allergies: '', tier: 'standard', service: 'delivery', deliveryNote: '', stamp: STAMP })
const elders = new Map([['AB12CD', elder('AB12CD', '李奶奶')], ['EF34GH', elder('EF34GH', '王爷爷')], ['JK56LM', elder('JK56LM', '赵奶奶')]])
const round: Round = { id: '2026-11_round1', day: DAY, meal: 'lunch', name: '午餐', stops: ['AB12CD', 'EF34GH'], volunteerId: 'vol1', volunteerName: '小刘', stamp: STAMP }
const household = (id: string, visitorId: string): Household => ({ id, grid: '3号楼', label: `住户${id}`, elderCode: '', building: '3', unit: '1', room: '301', phone: '', reason: 'alone', every: 'week', visitorId, visitorName: visitorId, since: '2026-11-01', ended: false, stamp: STAMP })

async function setup() {
  let wall = 1_800_000_000_000
  const clock = (device: string) => new HybridClock(device, () => (wall += 1000))
  const phone = await makeKeys()
  const verdict = {
    devices: new Map([[phone.publicKey, { sealKey: phone.agreementKey, label: 'vol1', person: 'vol1' }]]),
    roles: new Map([[phone.publicKey, 'resident' as const]]),
    revoked: new Map(),
    authority: { people: new Map([[phone.publicKey, 'vol1']]) },
  } as unknown as Verdict
  const staff = new SpaceDocs()
  staff.transact(() => {
    staffSpace(staff).rounds.put(round.id, round)
    for (const h of [household('h1', 'vol1'), household('h2', 'vol2')]) staffSpace(staff).households.put(h.id, h)
  })
  return { pub: new SpaceDocs(), staff, staffClock: clock('staffdev'), volunteerClock: clock('voldev'), phone, verdict }
}

describe('red team: a volunteer\'s modified app answers for what it was not given', () => {
  it('a door mark for an elder not on his round is not imported', async () => {
    const { pub, staff, staffClock, volunteerClock, phone, verdict } = await setup()
    const sealed = await shareRound(pub, staff, staffClock, round, elders, verdict)
    if (!sealed.ok) throw new Error('not sealed')
    const opened = (await openShare(phone, sealed.value))!
    if (opened.kind !== 'round') throw new Error('not a round')
    // His app adds a stop to what it opened, and marks it.
    const widened = { ...opened, round: { ...opened.round, stops: [...opened.round.stops, { ...opened.round.stops[0]!, code: 'JK56LM', name: '赵奶奶' }] } }
    expect((await markSharedDoor(pub, volunteerClock, widened, { code: 'JK56LM', result: 'delivered', note: '', name: '小刘' }, { id: 'vol1', name: '小刘' })).ok).toBe(true)
    // And an honest mark beside it, for a stop of his round.
    expect((await markSharedDoor(pub, volunteerClock, opened, { code: 'AB12CD', result: 'delivered', note: '', name: '小刘' }, { id: 'vol1', name: '小刘' })).ok).toBe(true)
    await settleShares(pub, staff, staffClock, DAY)
    expect(readCanteen(pub, staff).marks.map((m) => m.elderCode)).toEqual(['AB12CD'])
  })

  it('a visit to a household given to someone else is not imported', async () => {
    const { pub, staff, staffClock, volunteerClock, phone, verdict } = await setup()
    const sealed = await shareVisits(pub, staff, staffClock, 'vol1', [household('h1', 'vol1'), household('h2', 'vol2')], [], verdict, DAY)
    if (!sealed.ok) throw new Error('not sealed')
    const opened = (await openShare(phone, sealed.value))!
    if (opened.kind !== 'visits') throw new Error('not visits')
    const widened = { ...opened, visits: { ...opened.visits, households: [...opened.visits.households, { ...opened.visits.households[0]!, id: 'h2' }] } }
    expect((await logSharedVisit(pub, volunteerClock, widened, { householdId: 'h2', day: DAY, outcome: 'well', note: '', requestId: '', name: '小刘' }, { id: 'vol1', name: '小刘' })).ok).toBe(true)
    expect((await logSharedVisit(pub, volunteerClock, opened, { householdId: 'h1', day: DAY, outcome: 'well', note: '', requestId: '', name: '小刘' }, { id: 'vol1', name: '小刘' })).ok).toBe(true)
    await settleShares(pub, staff, staffClock, DAY)
    expect(readVisitData(staff).visits.map((v) => v.householdId)).toEqual(['h1'])
  })
})
