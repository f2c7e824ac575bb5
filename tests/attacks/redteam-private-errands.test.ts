import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { HybridClock } from '../../src/domain/hlc'
import { privateErrandStatus } from '../../src/domain/errands'
import type { Actor } from '../../src/domain/actor'
import { SpaceDocs } from '../../src/store/space-docs'
import { publicSpace } from '../../src/store/layout'
import { errandCommands, readPrivateSteps, registerPrivateErrand } from '../../src/store/errands'
import { readShareData } from '../../src/store/shares'
import { draft, errandSpaces, phonesOf, staffPerson } from '../private-errand-world'
import { openShare, sendErrandStep, settleShares, shareErrand, type OpenedShare } from '../../src/trust/shares'

// Red team: a 代办员 (a resident dispatched one private errand), or one who was replaced,
// against the errand's status and the applicant's details.
//
// 1. A withdrawn errand stayed sealed to the 代办员. A share ended only where one staff
//    device acted (withdrawing ended the shares *it* held; a dispatch the status then
//    refused left its share in place). Two staff phones apart (one withdraws, the other
//    dispatches), or a withdrawal while the sealing was under way, left the applicant's
//    name, phone and address on the 代办员's phone for a month past the due date. Now a
//    refused dispatch ends the share it sealed, and settling ends every share of an errand
//    withdrawn or closed, or sealed to a 代办员 it was dispatched away from.
// 2. A step dated before the errand was dispatched (or "finished" before "passed on") was
//    written into the ledger by a staff device in its own name: the 代办员 chose any day up
//    to tomorrow. A step of theirs now dates no earlier than the dispatch it answers.
// 3. A reply sent for an earlier dispatch counted for a later one: a replaced 代办员's key
//    of an earlier month stayed live, and a share sent again to the same 代办员 kept its
//    key, so a "finished" sent while the errand was someone else's, or a second "passed
//    on", landed the moment the errand came back to them. Each dispatch now has a key of
//    its own, and the keys of earlier dispatches are forgotten.

const TODAY = '2026-12-07'
const [first, second] = [{ id: 'agent1', name: '陈阿姨' }, { id: 'agent2', name: '刘叔' }]

async function setup(received = TODAY) {
  const { pub, staff, clock } = errandSpaces('2026-11-20T09:00:00Z')
  const { keys, verdict } = await phonesOf([first, second])
  const staffClock = clock('staffdev01')
  const errand = registerPrivateErrand(pub, staff, staffClock, draft, received)
  if (!errand.ok) throw new Error('not registered')
  const actor = (): Actor => ({ ...staffPerson, staff: true }) as Actor
  const commands = (staffDocs: SpaceDocs, c: HybridClock) => errandCommands({ docs: pub, clock: c, actor }, { docs: staffDocs, clock: c, actor })
  return { pub, staff, staffClock, clock, agentClock: clock('agentdev01'), keys, verdict, errand: errand.value.id, commands }
}

const statusOf = (staff: SpaceDocs, id: string) => privateErrandStatus(readPrivateSteps(staff, id))
const liveFor = (pub: SpaceDocs, errand: string) => readShareData(pub).shares.filter((s) => s.kind === 'errand' && s.ref === errand)
const copy = (from: SpaceDocs, to: SpaceDocs) => {
  for (const [name, doc] of from.opened) Y.applyUpdate(to.open(name), Y.encodeStateAsUpdate(doc))
}
async function opened(keys: Awaited<ReturnType<typeof phonesOf>>['keys'][number], share: Parameters<typeof openShare>[1]): Promise<OpenedShare> {
  const o = await openShare(keys, share)
  if (!o || o.kind !== 'errand') throw new Error('not opened')
  return o
}

describe('red team: a withdrawn private errand stays sealed to its 代办员', () => {
  it('withdrawn on one staff phone, dispatched on another: once merged, the share ends', async () => {
    const { pub, staff, clock, keys, verdict, errand, commands } = await setup()
    const b = new SpaceDocs()
    copy(staff, b)
    const [clockA, clockB] = [clock('phoneA0001'), clock('phoneB0001')]
    // Phone A withdraws it (it holds no share yet); phone B, apart, dispatches it.
    expect(commands(staff, clockA).privateStep(errand, 'withdrawn').ok).toBe(true)
    const shared = await shareErrand(pub, b, clockB, errand, first, staffPerson, verdict, TODAY)
    expect(shared.ok).toBe(true)
    copy(staff, b)
    copy(b, staff)
    // The withdrawal came first: both phones say withdrawn.
    expect(statusOf(staff, errand).state).toBe('withdrawn')
    expect(statusOf(b, errand).state).toBe('withdrawn')
    // Any staff phone settling ends the share: the applicant's details leave the 代办员's phone.
    await settleShares(pub, staff, clockA, TODAY)
    expect(liveFor(pub, errand)).toEqual([])
    if (shared.ok) expect(await openShare(keys[0]!, publicSpace(pub).shares.get(shared.value.id) as never)).toBeNull()
  })

  it('withdrawn while the sealing was under way: the refused dispatch leaves no share', async () => {
    const { pub, staff, staffClock, verdict, errand, commands } = await setup()
    const pending = shareErrand(pub, staff, staffClock, errand, first, staffPerson, verdict, TODAY)
    expect(commands(staff, staffClock).privateStep(errand, 'withdrawn').ok).toBe(true)
    expect((await pending).ok).toBe(false)
    expect(statusOf(staff, errand).state).toBe('withdrawn')
    expect(liveFor(pub, errand)).toEqual([])
  })

  it('dispatched on two staff phones apart: the 代办员 who lost keeps no share', async () => {
    const { pub, staff, clock, keys, verdict, errand } = await setup()
    const [b, pubB] = [new SpaceDocs(), new SpaceDocs()]
    copy(staff, b)
    copy(pub, pubB)
    const [clockA, clockB] = [clock('phoneA0001'), clock('phoneB0001')]
    // Each phone apart, the same day: each dispatch is a share of its own, so neither overwrites the other.
    expect((await shareErrand(pub, staff, clockA, errand, first, staffPerson, verdict, TODAY)).ok).toBe(true)
    expect((await shareErrand(pubB, b, clockB, errand, second, staffPerson, verdict, TODAY)).ok).toBe(true)
    for (const [x, y] of [[staff, b], [b, staff], [pub, pubB], [pubB, pub]] as const) copy(x, y)
    expect(statusOf(staff, errand)).toMatchObject({ state: 'dispatched', agentId: second.id })
    await settleShares(pub, staff, clockA, TODAY)
    const live = liveFor(pub, errand)
    expect(live.map((s) => s.personId)).toEqual([second.id])
    // The winner's share is whole: it opens on their phone.
    expect((await openShare(keys[1]!, live[0]!))?.kind).toBe('errand')
  })
})

describe('red team: a 代办员 dates a step before the errand was dispatched', () => {
  it('a step dated before the dispatch, or finished before passed on, is not written (a clock a day behind is forgiven)', async () => {
    const { pub, staff, staffClock, agentClock, keys, verdict, errand } = await setup()
    const shared = await shareErrand(pub, staff, staffClock, errand, first, staffPerson, verdict, TODAY)
    if (!shared.ok) throw new Error('not sealed')
    const o = await opened(keys[0]!, shared.value)
    await sendErrandStep(pub, agentClock, o, { type: 'passedOn', result: '', day: '2026-01-02', name: first.name }, first)
    expect((await settleShares(pub, staff, staffClock, TODAY)).imported).toBe(0)
    expect(statusOf(staff, errand).state).toBe('dispatched')
    // A phone whose clock is a day behind staff's is honest: its step counts as of the dispatch's day.
    await sendErrandStep(pub, agentClock, o, { type: 'passedOn', result: '', day: '2026-12-06', name: first.name }, first)
    expect((await settleShares(pub, staff, staffClock, TODAY)).imported).toBe(1)
    expect(statusOf(staff, errand)).toMatchObject({ state: 'passedOn', passedOn: TODAY })
    // Finished two days before it was passed on: not taken; a day before, as of that day.
    await sendErrandStep(pub, agentClock, o, { type: 'finished', result: '已批准', day: '2026-12-05', name: first.name }, first)
    expect((await settleShares(pub, staff, staffClock, TODAY)).imported).toBe(0)
    expect(statusOf(staff, errand)).toMatchObject({ state: 'passedOn', finished: '' })
    await sendErrandStep(pub, agentClock, o, { type: 'finished', result: '已批准', day: '2026-12-06', name: first.name }, first)
    expect((await settleShares(pub, staff, staffClock, TODAY)).imported).toBe(1)
    expect(statusOf(staff, errand)).toMatchObject({ state: 'finished', passedOn: TODAY, finished: TODAY })
  })
})

describe('red team: a reply sent for an earlier dispatch counts for a later one', () => {
  it('a replaced 代办员\'s "finished", sent while it was someone else\'s, does not land when it comes back to them', async () => {
    const { pub, staff, staffClock, agentClock, keys, verdict, errand } = await setup('2026-11-28')
    const nov = await shareErrand(pub, staff, staffClock, errand, first, staffPerson, verdict, '2026-11-28')
    if (!nov.ok) throw new Error('not sealed')
    const o = await opened(keys[0]!, nov.value)
    // December: given to the second 代办员. The first, replaced, sends "finished" with the November share's key.
    expect((await shareErrand(pub, staff, staffClock, errand, second, staffPerson, verdict, '2026-12-01')).ok).toBe(true)
    await sendErrandStep(pub, agentClock, o, { type: 'finished', result: '已批准', day: '2026-12-01', name: first.name }, first)
    expect((await settleShares(pub, staff, staffClock, '2026-12-01')).imported).toBe(0)
    // Given back to the first: nothing they sent before counts for this dispatch.
    expect((await shareErrand(pub, staff, staffClock, errand, first, staffPerson, verdict, '2026-12-01')).ok).toBe(true)
    expect((await settleShares(pub, staff, staffClock, '2026-12-01')).imported).toBe(0)
    expect(statusOf(staff, errand)).toMatchObject({ state: 'dispatched', agentId: first.id, finished: '' })
  })

  it('dispatched again to the same 代办员, a second "passed on" kept back does not land at once', async () => {
    const { pub, staff, staffClock, agentClock, keys, verdict, errand } = await setup()
    const shared = await shareErrand(pub, staff, staffClock, errand, first, staffPerson, verdict, TODAY)
    if (!shared.ok) throw new Error('not sealed')
    const o = await opened(keys[0]!, shared.value)
    await sendErrandStep(pub, agentClock, o, { type: 'passedOn', result: '', day: TODAY, name: first.name }, first)
    expect((await settleShares(pub, staff, staffClock, TODAY)).imported).toBe(1)
    // A second one, refused now (it is passed on already), waits in the public space.
    await sendErrandStep(pub, agentClock, o, { type: 'passedOn', result: '', day: TODAY, name: first.name }, first)
    expect((await settleShares(pub, staff, staffClock, TODAY)).imported).toBe(0)
    // The office sends the papers back; staff dispatch it to the same 代办员 again.
    expect((await shareErrand(pub, staff, staffClock, errand, first, staffPerson, verdict, TODAY)).ok).toBe(true)
    expect((await settleShares(pub, staff, staffClock, TODAY)).imported).toBe(0)
    expect(statusOf(staff, errand)).toMatchObject({ state: 'dispatched', passedOn: '' })
    // What they send for this dispatch counts.
    const again = await opened(keys[0]!, liveFor(pub, errand)[0]!)
    await sendErrandStep(pub, agentClock, again, { type: 'passedOn', result: '', day: TODAY, name: first.name }, first)
    expect((await settleShares(pub, staff, staffClock, TODAY)).imported).toBe(1)
  })
})
