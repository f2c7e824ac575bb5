import { afterEach, describe, expect, it } from 'vitest'
import { launchDevice, startServers, withCleanup } from './harness'
import { createCommunity, storedText } from './journeys'
import { makeKeys, newCommunityId } from '../../src/trust/keys'
import { inviteLink } from '../../src/sync/invite'

const cleanup = withCleanup()
afterEach(() => cleanup.run())

// Issue 31: a crafted invite link pulled another community's stored data off a phone.
// A space's data is stored by its room, so a link for "community B" whose public room
// was community A's staff room opened A's elder roster as B's public space, and synced
// it to whoever made the link. Such a link is now refused with a message.

describe('a crafted invite link', () => {
  it('naming a room of another community on this phone is refused, and nothing of that community is opened', async () => {
    const servers = cleanup.add(await startServers(), (s) => s.stop())
    const staff = cleanup.add(await launchDevice('staff'), (d) => d.dispose())
    await createCommunity(staff.page, servers, '王主任', '幸福里社区')
    const held = await staff.page.evaluate(() => (window as any).neighbours.session.membership)

    // The attacker's own community, rooted in his key, whose public room is the victim's staff room.
    const attacker = await makeKeys()
    const id = await newCommunityId(attacker.publicKey)
    const link = inviteLink(servers.appUrl, { v: 1, id, name: '邻里互助', public: { room: held.staff.room, secret: 'attackers-secret-0123456789' }, signaling: [servers.signalingUrl], founder: attacker.publicKey })
    // (Opened as a link is, from outside the app: a new page load, not a change of its address.)
    await staff.page.goto('about:blank')
    await staff.page.goto(link)
    await staff.page.click('[data-testid=accept-invite]')
    await staff.page.getByText('这个邀请链接指向本机上另一个社区的资料').waitFor()
    const communities = await staff.page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve) => {
        const request = indexedDB.open('neighbours', 1)
        request.onsuccess = () => resolve(request.result)
      })
      const settings = await new Promise<any>((resolve) => {
        const request = db.transaction('settings').objectStore('settings').get('neighbours.device')
        request.onsuccess = () => resolve(request.result)
      })
      return settings.communities.map((c: { id: string }) => c.id)
    })
    expect(communities).toEqual([held.id])
    expect(await storedText(staff.page)).not.toContain('attackers-secret')
  })

  it('naming signaling servers that are not ws:// or wss:// addresses is refused with a message, and the phone keeps its own', async () => {
    const servers = cleanup.add(await startServers(), (s) => s.stop())
    const phone = cleanup.add(await launchDevice('phone'), (d) => d.dispose())
    await createCommunity(phone.page, servers, '王主任', '幸福里社区')
    const before = await phone.page.evaluate(() => (window as any).neighbours.session.membership.id)
    const other = await makeKeys()
    const id = await newCommunityId(other.publicKey)
    const link = inviteLink(servers.appUrl, { v: 1, id, name: '邻里互助', public: { room: 'room-of-another-place', secret: 'another-secret-0123456789' }, signaling: ['javascript:alert(1)', 'not a url'], founder: other.publicKey })
    await phone.page.goto('about:blank')
    await phone.page.goto(link)
    await phone.page.click('[data-testid=accept-invite]')
    await phone.page.getByText('这个邀请链接里的信令服务器地址不是').waitFor()
    // Nothing joined, and the community it holds still syncs through the server it chose.
    await phone.page.goto(servers.appUrl)
    await phone.page.waitForSelector('[data-testid=community-name]')
    expect(await phone.page.evaluate(() => (window as any).neighbours.session.membership.id)).toBe(before)
    expect(await phone.page.evaluate(() => (window as any).neighbours.session.publicSpace.key.room)).not.toBe('room-of-another-place')
  })
})
