import { afterEach, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { launchDevice, startServers, withCleanup } from './harness'
import { createCommunity, dataChannelBytes, inviteLink, joinByLink, noticeTitles, postNotice, waitForNotice } from './journeys'

// The trust holes, tried over real WebRTC by a resident's tampered app (a test build's
// session, written to as raw Yjs): a notice under the staff phone's client id, a founder
// grant stored over his own checked trust record, and a delete of staff's notice. The
// staff phone and a newcomer who joins afterwards show nothing forged and lose nothing.

const cleanup = withCleanup()
afterEach(() => cleanup.run())

const myKey = (page: Page) => page.evaluate(() => (window as any).neighbours.session.trust.state().me as string)
/** The role a phone's verdict gives a key. */
const roleOf = (page: Page, key: string) => page.evaluate((k) => (window as any).neighbours.session.trust.state().verdict?.roles.get(k) ?? null, key)
const storedNotice = (page: Page, key: string) => page.evaluate((k) => (window as any).neighbours.session.publicSpace.docs.open('standing').getMap('notices').get(k) ?? null, key)

describe('a tampered resident app attacks the trust layer over WebRTC', () => {
  it('borrowed client ids, an overwritten trust record and a deleted notice change nothing on the staff phone or a newcomer', async () => {
    const servers = cleanup.add(await startServers(), (s) => s.stop())
    const staff = cleanup.add(await launchDevice('staff'), (d) => d.dispose())
    const tampered = cleanup.add(await launchDevice('tampered'), (d) => d.dispose())
    await createCommunity(staff.page, servers, '王主任', '幸福里社区')
    await postNotice(staff.page, '社区通知')
    const link = await inviteLink(staff.page, 'resident')
    await joinByLink(tampered.page, link, '坏人')
    await waitForNotice(tampered.page, '社区通知')
    const resident = await myKey(tampered.page)
    await expect.poll(() => roleOf(staff.page, resident), { timeout: 30_000 }).toBe('resident')

    const noticeKey = await tampered.page.evaluate(() => (window as any).neighbours.session.publicSpace.docs.open('standing').getMap('notices').keys().next().value as string)
    const founder = await myKey(staff.page)
    const forged = await tampered.page.evaluate(
      ({ noticeKey, founder, resident }) => {
        const { session } = (window as any).neighbours
        const doc = session.publicSpace.docs.open('standing')
        const stamp = () => session.clock.tick()
        // 1. An unsigned notice written under the staff phone's own client id.
        const own = doc.clientID
        doc.clientID = doc.getMap('notices')._map.get(noticeKey).id.client
        doc.getMap('notices').set('borrowed', { id: 'borrowed', title: '借号的假通知', body: '', authorId: 'x', authorName: '王主任', stamp: stamp(), editedAt: stamp() })
        doc.clientID = own
        // 2. His own checked device record's id, now holding "the founder makes him founder".
        const trust = doc.getMap('trust')
        const [id, record] = [...trust.entries()].find(([, t]: [string, any]) => t.record.type === 'device' && t.record.by === resident) as [string, any]
        trust.set(id, { id, sig: record.sig, record: { type: 'grant', community: record.record.community, by: founder, seq: 9999, stamp: stamp(), key: resident, role: 'founder' } })
        // 3. Staff's notice, deleted.
        doc.getMap('notices').delete(noticeKey)
        return id
      },
      { noticeKey, founder, resident },
    )

    // The staff phone: the borrowed notice is refused unsigned, never signed; the resident stays
    // a resident; staff's notice is there, and so is his real device record.
    await staff.page.waitForFunction(() => ((window as any).neighbours.session.refused() as { key: string; why: string }[]).some((r) => r.key === 'borrowed' && r.why === 'unsigned'), undefined, { timeout: 30_000 })
    expect((await storedNotice(staff.page, 'borrowed'))?.sig).toBeUndefined()
    expect(await roleOf(staff.page, resident)).toBe('resident')
    await expect.poll(() => storedNotice(staff.page, noticeKey).then((n) => n?.title), { timeout: 30_000 }).toBe('社区通知')
    await waitForNotice(staff.page, '社区通知')
    expect(await noticeTitles(staff.page)).toEqual(['社区通知'])
    await expect
      .poll(() => staff.page.evaluate((id) => (window as any).neighbours.session.publicSpace.docs.open('standing').getMap('trust').get(id)?.record.type, forged), { timeout: 30_000 })
      .toBe('device')

    // Staff write on, signed (Yjs may have given the staff doc a new client id meanwhile).
    await postNotice(staff.page, '周五义诊')

    // A newcomer joins afterwards, with the tampered phone still online.
    const newcomer = cleanup.add(await launchDevice('newcomer'), (d) => d.dispose())
    await joinByLink(newcomer.page, link, '李阿姨')
    await waitForNotice(newcomer.page, '周五义诊')
    await waitForNotice(newcomer.page, '社区通知')
    expect((await noticeTitles(newcomer.page)).sort()).toEqual(['周五义诊', '社区通知'].sort())
    await expect.poll(() => roleOf(newcomer.page, resident), { timeout: 30_000 }).toBe('resident')
    expect(await roleOf(newcomer.page, founder)).toBe('founder')
    // What it shows came over a data channel.
    expect((await dataChannelBytes(newcomer.page)).received).toBeGreaterThan(0)
  })
})
