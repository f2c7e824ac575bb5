import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { HybridClock } from '../../src/domain/hlc'
import { privateErrandStatus, privateLedger, type PrivateErrandDraft, type Service } from '../../src/domain/errands'
import { SpaceDocs, STANDING } from '../../src/store/space-docs'
import { publicSpace, staffSpace } from '../../src/store/layout'
import { errandCommands, putPrivateStep, readPrivateErrand, readPrivateSteps, registerPrivateErrand } from '../../src/store/errands'
import type { Actor } from '../../src/domain/actor'
import { readShareData } from '../../src/store/shares'
import { postRequest } from '../../src/store/aid'
import { openErrandReply, openShare, sendErrandStep, settleShares, shareErrand } from '../../src/trust/shares'
import { dibao, draft as sharedDraft, errandSpaces, phonesOf, staffPerson } from '../private-errand-world'

// An errand that touches eligibility or health (低保): kept in the staff space, sealed to
// the 代办员 staff dispatch it to, whose steps come back sealed and are written into
// the errand's steps by a staff device. Nothing of it is readable in the public space.

const TODAY = '2026-12-07'
const idCard: Service = { ...dibao, id: 'svc-id', name: '身份证换领', serviceClass: 'identity', sensitive: false }
const draft: PrivateErrandDraft = { ...sharedDraft, due: '2026-12-27' }
const agent = { id: 'agent1', name: '陈阿姨' }

async function setup() {
  const { pub, staff, clock } = errandSpaces('2026-12-07T09:00:00Z', [dibao, idCard])
  const { keys, verdict } = await phonesOf([agent, { id: 'resident9' }])
  return { pub, staff, staffClock: clock('staffdev01'), agentClock: clock('agentdev01'), agentPhone: keys[0]!, neighbour: keys[1]!, verdict }
}

describe('a private errand', () => {
  it('is registered under a service on the list, numbered apart, and kept in the staff space', async () => {
    const { pub, staff, staffClock } = await setup()
    expect(registerPrivateErrand(pub, staff, staffClock, { ...draft, serviceId: 'svc-nothing' }, TODAY)).toMatchObject({ ok: false, problems: { serviceId: 'problem.required' } })
    expect(registerPrivateErrand(pub, staff, staffClock, { ...draft, phone: 'call me' }, TODAY)).toMatchObject({ ok: false, problems: { phone: 'problem.badPhone' } })
    expect(registerPrivateErrand(pub, staff, staffClock, { ...draft, applicant: ' ' }, TODAY)).toMatchObject({ ok: false, problems: { applicant: 'problem.required' } })
    const first = registerPrivateErrand(pub, staff, staffClock, draft, TODAY)
    const second = registerPrivateErrand(pub, staff, staffClock, draft, TODAY)
    if (!first.ok || !second.ok) throw new Error('not registered')
    expect([first.value.number, second.value.number]).toEqual(['DB261207-STAFFD-P1', 'DB261207-STAFFD-P2'])
    expect(first.value).toMatchObject({ service: '低保申请', applicant: '周秀英', received: TODAY })
    // Any other service too, when the applicant's phone must go to the 代办员.
    expect(registerPrivateErrand(pub, staff, staffClock, { ...draft, serviceId: idCard.id }, TODAY)).toMatchObject({ ok: true, value: { service: '身份证换领', number: 'DB261207-STAFFD-P3' } })
    // Nothing of it is in the public space.
    expect(JSON.stringify(Y.encodeStateAsUpdate(pub.get(STANDING)!))).not.toContain('周秀英')
    expect(readPrivateErrand(staff, first.value.id)?.phone).toBe('13712345678')
    // Nor can a resident post one as a public help request.
    const asHelp = { kind: 'need' as const, category: 'paperwork' as const, title: '低保', details: '', when: '', where: '', urgency: 'normal' as const, forName: '', materials: [], due: '' }
    expect(postRequest(pub, staffClock, { id: 'resident1', name: '居民' }, { ...asHelp, serviceId: dibao.id }, TODAY)).toEqual({ ok: false, problems: { serviceId: 'problem.notAllowed' } })
    expect(postRequest(pub, staffClock, { id: 'resident1', name: '居民' }, { ...asHelp, serviceId: idCard.id }, TODAY).ok).toBe(true)
  })

  it('is sealed to the 代办员 it is dispatched to: they read the applicant\'s phone; a neighbour reads nothing', async () => {
    const { pub, staff, staffClock, agentClock, agentPhone, neighbour, verdict } = await setup()
    const errand = registerPrivateErrand(pub, staff, staffClock, draft, TODAY)
    if (!errand.ok) throw new Error('not registered')
    const shared = await shareErrand(pub, staff, staffClock, errand.value.id, agent, staffPerson, verdict, TODAY)
    if (!shared.ok) throw new Error('not sealed')
    expect(privateErrandStatus(readPrivateSteps(staff, errand.value.id))).toMatchObject({ state: 'dispatched', agentId: agent.id, agentName: '陈阿姨' })
    // What travels in the public space: ciphertext only.
    const publicBytes = [...pub.opened.values()].map((doc) => new TextDecoder().decode(Y.encodeStateAsUpdate(doc))).join()
    for (const secret of ['周秀英', '13712345678', '5号楼', '腿脚不便']) expect(publicBytes).not.toContain(secret)
    expect(await openShare(neighbour, shared.value)).toBeNull()
    const opened = await openShare(agentPhone, shared.value)
    if (opened?.kind !== 'errand') throw new Error('not opened')
    expect(opened.errand).toMatchObject({ applicant: '周秀英', phone: '13712345678', address: '5号楼2单元301', service: '低保申请', due: '2026-12-27' })
    // Steps come back sealed: "finished" needs what came of it.
    expect(await sendErrandStep(pub, agentClock, opened, { type: 'finished', result: ' ', day: TODAY, name: agent.name }, agent)).toEqual({ ok: false, problems: { result: 'problem.required' } })
    const passed = await sendErrandStep(pub, agentClock, opened, { type: 'passedOn', result: '', day: '2026-12-08', name: agent.name }, agent)
    const done = await sendErrandStep(pub, agentClock, opened, { type: 'finished', result: '已受理，等待审批结果', day: '2026-12-20', name: agent.name }, agent)
    if (!passed.ok || !done.ok) throw new Error('not sent')
    expect(JSON.stringify(readShareData(pub).replies)).not.toContain('审批')
    expect(await openErrandReply(opened.key, done.value)).toMatchObject({ type: 'finished', result: '已受理，等待审批结果' })
    // A staff device brings them in once, in the order they were sent.
    expect((await settleShares(pub, staff, staffClock, '2026-12-20')).imported).toBe(2)
    expect((await settleShares(pub, staff, staffClock, '2026-12-20')).imported).toBe(0)
    const status = privateErrandStatus(readPrivateSteps(staff, errand.value.id))
    expect(status).toMatchObject({ state: 'finished', passedOn: '2026-12-08', finished: '2026-12-20', result: '已受理，等待审批结果', receiptBack: '' })
    // The receipt comes back to the point once.
    expect(putPrivateStep(staff, staffClock, { errandId: errand.value.id, type: 'receiptBack', day: '2026-12-21', byId: staffPerson.id, byName: staffPerson.name }).ok).toBe(true)
    expect(putPrivateStep(staff, staffClock, { errandId: errand.value.id, type: 'receiptBack', day: '2026-12-22', byId: staffPerson.id, byName: staffPerson.name })).toEqual({ ok: false, problems: { errand: 'problem.notAllowed' } })
    const row = privateLedger([{ errand: errand.value, status: privateErrandStatus(readPrivateSteps(staff, errand.value.id)) }], '2026-12')
    expect(row).toEqual([{ number: 'DB261207-STAFFD-P1', received: TODAY, applicant: '周秀英', service: '低保申请', agent: '陈阿姨', agentId: agent.id, passedOn: '2026-12-08', finished: '2026-12-20', result: '已受理，等待审批结果', receiptBack: '2026-12-21', state: 'finished', private: true }])
  })

  it('withdrawn, it leaves the 代办员\'s phone: the share is ended, with nothing sealed left in it', async () => {
    const { pub, staff, staffClock, agentPhone, verdict } = await setup()
    const errand = registerPrivateErrand(pub, staff, staffClock, draft, TODAY)
    if (!errand.ok) throw new Error('not registered')
    const shared = await shareErrand(pub, staff, staffClock, errand.value.id, agent, staffPerson, verdict, TODAY)
    if (!shared.ok) throw new Error('not sealed')
    expect(readShareData(pub).shares.map((s) => s.personId)).toEqual([agent.id])
    const actor = (): Actor => ({ ...staffPerson, staff: true })
    const commands = errandCommands({ docs: pub, clock: staffClock, actor }, { docs: staff, clock: staffClock, actor })
    expect(commands.privateStep(errand.value.id, 'withdrawn').ok).toBe(true)
    expect(readShareData(pub).shares).toEqual([])
    expect(await openShare(agentPhone, publicSpace(pub).shares.get(shared.value.id) as never)).toBeNull()
    // Withdrawn, it is dispatched to nobody again.
    expect(await shareErrand(pub, staff, staffClock, errand.value.id, agent, staffPerson, verdict, TODAY)).toEqual({ ok: false, problems: { errand: 'problem.notAllowed' } })
  })

  it('takes the 代办员\'s steps only from the 代办员 it was dispatched to', async () => {
    const { pub, staff, staffClock } = await setup()
    const errand = registerPrivateErrand(pub, staff, staffClock, draft, TODAY)
    if (!errand.ok) throw new Error('not registered')
    const id = errand.value.id
    // Before dispatch nobody finishes it; after, only the 代办员 does.
    expect(putPrivateStep(staff, staffClock, { errandId: id, type: 'finished', result: 'x', day: TODAY, byId: agent.id, byName: agent.name }).ok).toBe(false)
    putPrivateStep(staff, staffClock, { errandId: id, type: 'dispatched', agentId: agent.id, agentName: agent.name, day: TODAY, byId: staffPerson.id, byName: staffPerson.name })
    expect(putPrivateStep(staff, staffClock, { errandId: id, type: 'finished', result: 'x', day: TODAY, byId: 'someone', byName: '某人' }).ok).toBe(false)
    expect(putPrivateStep(staff, staffClock, { errandId: id, type: 'receiptBack', day: TODAY, byId: staffPerson.id, byName: staffPerson.name }).ok).toBe(false)
    expect(putPrivateStep(staff, staffClock, { errandId: id, type: 'finished', result: '办好了', day: TODAY, byId: agent.id, byName: agent.name }).ok).toBe(true)
    expect(putPrivateStep(staff, staffClock, { errandId: id, type: 'withdrawn', day: TODAY, byId: staffPerson.id, byName: staffPerson.name }).ok).toBe(false)
  })

  it('two staff phones acting apart converge: a withdrawal and a dispatch merge to the same status everywhere', async () => {
    const { pub, staff, staffClock } = await setup()
    const errand = registerPrivateErrand(pub, staff, staffClock, draft, TODAY)
    if (!errand.ok) throw new Error('not registered')
    const [a, b] = [new SpaceDocs(), new SpaceDocs()]
    const copy = (from: SpaceDocs, to: SpaceDocs) => Y.applyUpdate(to.open(STANDING), Y.encodeStateAsUpdate(from.get(STANDING)!))
    copy(staff, a)
    copy(staff, b)
    const clockA = new HybridClock('phoneA', () => Date.parse('2026-12-07T10:00:00Z'))
    const clockB = new HybridClock('phoneB', () => Date.parse('2026-12-07T10:00:05Z'))
    expect(putPrivateStep(a, clockA, { errandId: errand.value.id, type: 'withdrawn', day: TODAY, byId: 'staff1', byName: '王' })).toMatchObject({ ok: true })
    expect(putPrivateStep(b, clockB, { errandId: errand.value.id, type: 'dispatched', agentId: agent.id, agentName: agent.name, day: TODAY, byId: 'staff2', byName: '李' })).toMatchObject({ ok: true })
    copy(a, b)
    copy(b, a)
    const [sa, sb] = [a, b].map((docs) => privateErrandStatus(readPrivateSteps(docs, errand.value.id)))
    expect(sa).toEqual(sb)
    // The withdrawal came first: the later dispatch does not revive it.
    expect(sa!.state).toBe('withdrawn')
    expect(staffSpace(a).privateErrandSteps.size).toBe(2)
  })
})
