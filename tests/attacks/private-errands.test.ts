import { describe, expect, it } from 'vitest'
import { privateErrandStatus } from '../../src/domain/errands'
import { replyKey } from '../../src/domain/shares'
import { SpaceDocs } from '../../src/store/space-docs'
import { publicSpace } from '../../src/store/layout'
import { readPrivateSteps, registerPrivateErrand } from '../../src/store/errands'
import { putReply, readShareData } from '../../src/store/shares'
import { draft, errandSpaces, phonesOf, staffPerson } from '../private-errand-world'
import { openShare, sendErrandStep, settleShares, shareErrand } from '../../src/trust/shares'

// Attacks on a private errand's steps, as a modified app would make them: each reply a
// staff device opens is checked against the errand it holds, whatever the app that
// sealed it claimed. A staff device writes a step only for the errand the share was
// for, from the 代办员 it is dispatched to now, on a day that can be true.

const TODAY = '2026-12-07'
const [first, second, outsider] = [{ id: 'agent1', name: '陈阿姨' }, { id: 'agent2', name: '刘叔' }, { id: 'resident9', name: '赵大爷' }]

async function setup() {
  const { pub, staff, clock } = errandSpaces('2026-12-07T09:00:00Z')
  const { keys, verdict } = await phonesOf([first, second, outsider])
  const staffClock = clock('staffdev01')
  const a = registerPrivateErrand(pub, staff, staffClock, draft, TODAY)
  const b = registerPrivateErrand(pub, staff, staffClock, draft, TODAY)
  if (!a.ok || !b.ok) throw new Error('not registered')
  return { pub, staff, staffClock, agentClock: clock('agentdev01'), keys, verdict, errandA: a.value.id, errandB: b.value.id }
}

const statusOf = (staff: SpaceDocs, id: string) => privateErrandStatus(readPrivateSteps(staff, id))

describe('a private errand attacked through its sealed replies', () => {
  it('the 代办员 cannot finish another errand by naming it inside their own share', async () => {
    const { pub, staff, staffClock, agentClock, keys, verdict, errandA, errandB } = await setup()
    const shareA = await shareErrand(pub, staff, staffClock, errandA, first, staffPerson, verdict, TODAY)
    await shareErrand(pub, staff, staffClock, errandB, second, staffPerson, verdict, TODAY)
    if (!shareA.ok) throw new Error('not sealed')
    const opened = (await openShare(keys[0]!, shareA.value))!
    if (opened.kind !== 'errand') throw new Error('not an errand')
    // The modified app seals a step that names errand B under errand A's share.
    await sendErrandStep(pub, agentClock, { ...opened, errand: { ...opened.errand, id: errandB } }, { type: 'finished', result: '办好了', day: TODAY, name: first.name }, first)
    expect((await settleShares(pub, staff, staffClock, TODAY)).imported).toBe(0)
    expect(statusOf(staff, errandB).state).toBe('dispatched')
  })

  it('a resident without the key, or under another person, answers nothing', async () => {
    const { pub, staff, staffClock, agentClock, verdict, errandA } = await setup()
    const shareA = await shareErrand(pub, staff, staffClock, errandA, first, staffPerson, verdict, TODAY)
    if (!shareA.ok) throw new Error('not sealed')
    // Raw replies on the share: junk from an outsider, and one keyed as the agent's but written as the outsider's.
    putReply(pub, agentClock, replyKey(shareA.value.id, 'x1', outsider.id), shareA.value.id, outsider, { iv: 'AAAAAAAAAAAAAAAA', box: 'AAAA' })
    publicSpace(pub).shareReplies.put(replyKey(shareA.value.id, 'x2', first.id), { id: replyKey(shareA.value.id, 'x2', first.id), shareId: shareA.value.id, personId: outsider.id, iv: 'AAAAAAAAAAAAAAAA', box: 'AAAA', stamp: agentClock.tick() })
    expect((await settleShares(pub, staff, staffClock, TODAY)).imported).toBe(0)
    expect(statusOf(staff, errandA).state).toBe('dispatched')
  })

  it('dispatched to someone else, the first 代办员 can no longer act on it; a step dated ahead is not taken', async () => {
    const { pub, staff, staffClock, agentClock, keys, verdict, errandA } = await setup()
    const before = await shareErrand(pub, staff, staffClock, errandA, first, staffPerson, verdict, TODAY)
    if (!before.ok) throw new Error('not sealed')
    const opened = (await openShare(keys[0]!, before.value))!
    await shareErrand(pub, staff, staffClock, errandA, second, staffPerson, verdict, TODAY)
    // The share is sealed anew for the second agent, under a new key: the first agent's phone no longer opens it,
    // and what they still send with the old key is not taken.
    const resealed = readShareData(pub).shares.find((s) => s.ref === errandA)!
    expect(resealed.personId).toBe(second.id)
    expect(await openShare(keys[0]!, resealed)).toBeNull()
    await sendErrandStep(pub, agentClock, opened, { type: 'finished', result: '办好了', day: TODAY, name: first.name }, first)
    expect((await settleShares(pub, staff, staffClock, TODAY)).imported).toBe(0)
    // The second agent's step dated a week ahead is not taken; the same step dated today is.
    const after = (await openShare(keys[1]!, resealed))!
    await sendErrandStep(pub, agentClock, after, { type: 'passedOn', result: '', day: '2026-12-14', name: second.name }, second)
    expect((await settleShares(pub, staff, staffClock, TODAY)).imported).toBe(0)
    await sendErrandStep(pub, agentClock, after, { type: 'passedOn', result: '', day: TODAY, name: second.name }, second)
    expect((await settleShares(pub, staff, staffClock, TODAY)).imported).toBe(1)
    expect(statusOf(staff, errandA)).toMatchObject({ state: 'passedOn', agentId: second.id, passedOn: TODAY })
  })
})
