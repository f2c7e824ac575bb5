import { describe, expect, it } from 'vitest'
import { formatStamp, HybridClock } from '../../src/domain/hlc'
import { privateErrandStatus, type Service } from '../../src/domain/errands'
import type { Actor } from '../../src/domain/actor'
import type { Verdict } from '../../src/domain/trust'
import { SpaceDocs } from '../../src/store/space-docs'
import { publicSpace } from '../../src/store/layout'
import { errandCommands, readPrivateSteps, registerPrivateErrand } from '../../src/store/errands'
import { makeKeys, type DeviceKeys } from '../../src/trust/keys'
import { openShare, sendErrandStep, settleShares, shareErrand, type OpenedShare } from '../../src/trust/shares'

// Red team: a 代办员 (a resident dispatched one private errand) against the ledger.
//
// A step dated before the errand was dispatched (or "finished" before "passed on") was
// written into the ledger by a staff device in its own name: the 代办员 chose any day up
// to tomorrow. A step of theirs now dates no earlier than the dispatch it answers.

const TODAY = '2026-12-07'
const STAMP = formatStamp(Date.parse('2026-11-01T08:00:00Z'), 0, 'staffdev')
const dibao: Service = { id: 'svc-dibao', name: '低保申请', serviceClass: 'welfare', materials: [], where: '', fee: '', days: '', takesDays: null, sensitive: true, stamp: STAMP }
const draft = { serviceId: dibao.id, applicant: '周秀英', phone: '13712345678', address: '5号楼2单元301', materials: [], due: '', note: '' }
const staffPerson = { id: 'staff1', name: '王主任' }
const [first, second] = [{ id: 'agent1', name: '陈阿姨' }, { id: 'agent2', name: '刘叔' }]

async function setup(received = TODAY) {
  let wall = Date.parse('2026-11-20T09:00:00Z')
  const clock = (device: string) => new HybridClock(device, () => (wall += 1000))
  const keys = await Promise.all([makeKeys(), makeKeys()])
  const people = [first, second]
  const device = (k: DeviceKeys, person: string) => [k.publicKey, { sealKey: k.agreementKey, label: person, person }] as const
  const verdict = {
    devices: new Map(keys.map((k, i) => device(k, people[i]!.id))),
    roles: new Map(keys.map((k) => [k.publicKey, 'resident'])),
    revoked: new Map(),
    authority: { people: new Map(keys.map((k, i) => [k.publicKey, people[i]!.id])) },
  } as unknown as Verdict
  const pub = new SpaceDocs()
  pub.transact(() => publicSpace(pub).errandServices.put(dibao.id, dibao))
  const staff = new SpaceDocs()
  const staffClock = clock('staffdev01')
  const errand = registerPrivateErrand(pub, staff, staffClock, draft, received)
  if (!errand.ok) throw new Error('not registered')
  const actor = (): Actor => ({ ...staffPerson, staff: true }) as Actor
  const commands = (staffDocs: SpaceDocs, c: HybridClock) => errandCommands({ docs: pub, clock: c, actor }, { docs: staffDocs, clock: c, actor })
  return { pub, staff, staffClock, clock, agentClock: clock('agentdev01'), keys, verdict, errand: errand.value.id, commands }
}

const statusOf = (staff: SpaceDocs, id: string) => privateErrandStatus(readPrivateSteps(staff, id))
async function opened(keys: DeviceKeys, share: Parameters<typeof openShare>[1]): Promise<OpenedShare> {
  const o = await openShare(keys, share)
  if (!o || o.kind !== 'errand') throw new Error('not opened')
  return o
}

describe('red team: a 代办员 dates a step before the errand was dispatched', () => {
  it('a step dated before the dispatch, or finished before passed on, is not written', async () => {
    const { pub, staff, staffClock, agentClock, keys, verdict, errand } = await setup()
    const shared = await shareErrand(pub, staff, staffClock, errand, first, staffPerson, verdict, TODAY)
    if (!shared.ok) throw new Error('not sealed')
    const o = await opened(keys[0]!, shared.value)
    await sendErrandStep(pub, agentClock, o, { type: 'passedOn', result: '', day: '2026-01-02', name: first.name }, first)
    expect((await settleShares(pub, staff, staffClock, TODAY)).imported).toBe(0)
    expect(statusOf(staff, errand).state).toBe('dispatched')
    await sendErrandStep(pub, agentClock, o, { type: 'passedOn', result: '', day: '2026-12-08', name: first.name }, first)
    expect((await settleShares(pub, staff, staffClock, TODAY)).imported).toBe(1)
    // Finished the day before it was passed on: not taken either.
    await sendErrandStep(pub, agentClock, o, { type: 'finished', result: '已批准', day: TODAY, name: first.name }, first)
    expect((await settleShares(pub, staff, staffClock, TODAY)).imported).toBe(0)
    expect(statusOf(staff, errand)).toMatchObject({ state: 'passedOn', passedOn: '2026-12-08', finished: '' })
  })
})
