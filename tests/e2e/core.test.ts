import { afterEach, describe, expect, it } from 'vitest'
import { launchDevice, startServers, withCleanup } from './harness'
import { createCommunity, dataChannelBytes, inviteLink, joinByLink, noticeTitles, postNotice, waitForNotice, waitForPeers } from './journeys'

const cleanup = withCleanup()
afterEach(() => cleanup.run())

describe('two devices, one community, no central server', () => {
  it('a notice written in A appears in B, carried over an RTCDataChannel', async () => {
    const servers = cleanup.add(await startServers(), (s) => s.stop())
    const a = cleanup.add(await launchDevice('a'), (d) => d.dispose())
    const b = cleanup.add(await launchDevice('b'), (d) => d.dispose())

    await createCommunity(a.page, servers, '王主任', '幸福里社区')
    const link = await inviteLink(a.page, 'resident')
    expect(link).toContain('#join=')
    await joinByLink(b.page, link, '李阿姨')
    await waitForPeers(a.page, 1)
    await waitForPeers(b.page, 1)

    await postNotice(a.page, '周三义诊', '上午九点，社区活动室')
    await waitForNotice(b.page, '周三义诊')

    const traffic = await dataChannelBytes(b.page)
    expect(traffic.connections).toBeGreaterThan(0)
    expect(traffic.received).toBeGreaterThan(0)
    // The resident never received the staff space: it was given no key for it.
    const staffSpace = await b.page.evaluate(() => (window as any).neighbours.session.staffSpace)
    expect(staffSpace).toBeNull()

    // A broken record from a peer is skipped and counted; the screen carries on.
    await a.page.evaluate(() => (window as any).neighbours.session.publicSpace.docs.getMap('notices').set('broken', { title: 42 }))
    await postNotice(a.page, '后面的公告照常显示')
    await waitForNotice(b.page, '后面的公告照常显示')
    expect(await noticeTitles(b.page)).toEqual(['后面的公告照常显示', '周三义诊'])
    await b.page.click('[data-testid=nav-me]')
    await b.page.waitForSelector('[data-testid=skipped-count][data-count="1"]')
  })

  it('one device in two communities switches between them, each with its own data', async () => {
    const servers = cleanup.add(await startServers(), (s) => s.stop())
    const a = cleanup.add(await launchDevice('a'), (d) => d.dispose())
    await createCommunity(a.page, servers, '王主任', '幸福里社区')
    await postNotice(a.page, '幸福里的公告')
    await a.page.click('[data-testid=nav-me]')
    await a.page.click('text=加入另一个社区 / 新建另一个社区')
    await a.page.fill('input[name=communityName]', '和平村')
    await a.page.click('[data-testid=create-community]')
    await a.page.locator('[data-testid=community-name]', { hasText: '和平村' }).waitFor()
    await postNotice(a.page, '和平村的公告')
    expect(await noticeTitles(a.page)).toEqual(['和平村的公告'])
    await a.page.click('[data-testid=nav-me]')
    await a.page.locator('[data-testid=community-row]', { hasText: '幸福里社区' }).locator('button', { hasText: '切换到这里' }).click()
    await a.page.locator('[data-testid=community-name]', { hasText: '幸福里社区' }).waitFor()
    await waitForNotice(a.page, '幸福里的公告')
    expect(await noticeTitles(a.page)).toEqual(['幸福里的公告'])
  })

  it('leaving a community asks first, then deletes its data from this device only', async () => {
    const servers = cleanup.add(await startServers(), (s) => s.stop())
    const a = cleanup.add(await launchDevice('a'), (d) => d.dispose())
    await createCommunity(a.page, servers, '王主任', '幸福里社区')
    await postNotice(a.page, '要被删除的本机数据')
    const databases = () => a.page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name).filter((n) => n?.startsWith('neighbours-')).sort())
    // Each space keeps a standing database and one per month it has opened, named by
    // community, space and room (sync/persistence.ts storeOf).
    const stored = await databases()
    expect(stored.filter((name) => !/\.\d{4}-\d{2}$/.test(name!))).toHaveLength(2)
    expect(stored.every((name) => /\.(public|staff)\./.test(name!))).toBe(true)
    expect(stored.length).toBeGreaterThan(2)

    // The meal card number this person reserves with is remembered with the community.
    await a.page.click('[data-testid=nav-canteen]')
    await a.page.click('[data-testid=canteen-section] [data-value=reserve]')
    await a.page.fill('[data-testid=reserve-form] input[name=card]', 'AB12CD')
    await a.page.click('[data-testid=reserve-submit]')
    const kept = () =>
      a.page.evaluate(async () => {
        const db = await new Promise<IDBDatabase>((resolve) => (indexedDB.open('neighbours').onsuccess = (e) => resolve((e.target as IDBOpenDBRequest).result)))
        const all = await new Promise<unknown[]>((resolve) => (db.transaction('settings').objectStore('settings').getAll().onsuccess = (e) => resolve((e.target as IDBRequest).result)))
        db.close()
        return JSON.stringify(all) + JSON.stringify({ ...localStorage })
      })
    await expect.poll(kept).toContain('AB12CD')

    await a.page.click('[data-testid=nav-me]')
    await a.page.click('[data-testid=leave-community]')
    await a.page.click('[role=dialog] >> text=取消')
    expect(await databases()).toEqual(stored)
    await a.page.click('[data-testid=leave-community]')
    await a.page.click('[role=dialog] button:has-text("退出社区")')
    await a.page.waitForSelector('input[name=communityName]')
    await expect.poll(databases).toEqual([])
    expect(await kept()).not.toContain('AB12CD')
  })
})

describe('local first', () => {
  it('keeps data through a reload and a browser restart with the same profile', async () => {
    const servers = cleanup.add(await startServers(), (s) => s.stop())
    let a = await launchDevice('a')
    cleanup.add(a, (d) => d.dispose())

    await createCommunity(a.page, servers, '王主任', '幸福里社区')
    await postNotice(a.page, '停水通知', '周五 9:00–12:00 停水')
    await a.page.reload()
    await waitForNotice(a.page, '停水通知')

    a = await a.restart()
    cleanup.add(a, (d) => d.dispose())
    await a.page.goto(servers.appUrl)
    await waitForNotice(a.page, '停水通知')
    expect(await a.page.textContent('[data-testid=community-name]')).toBe('幸福里社区')
  })

  it('opens and saves with the web server stopped, after the first visit', async () => {
    const servers = cleanup.add(await startServers(), (s) => s.stop())
    const a = cleanup.add(await launchDevice('a'), (d) => d.dispose())

    await createCommunity(a.page, servers, '王主任', '幸福里社区')
    // The service worker has installed its precache once it is active.
    await a.page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined))
    await servers.stopApp()
    const offlineCheck = await a.page.evaluate((url) => fetch(url + 'index.html?probe=' + Date.now()).then(() => 'reached', () => 'unreachable'), servers.appUrl)
    expect(offlineCheck).toBe('unreachable')

    await a.page.reload()
    await a.page.waitForSelector('#root [data-testid=community-name]')
    await postNotice(a.page, '离线也能发布')
    await a.page.reload()
    await waitForNotice(a.page, '离线也能发布')
  })
})

describe('privacy and merging', () => {
  it('a browser with the right room but a wrong secret receives no data', async () => {
    const servers = cleanup.add(await startServers(), (s) => s.stop())
    const a = cleanup.add(await launchDevice('a'), (d) => d.dispose())
    const b = cleanup.add(await launchDevice('b'), (d) => d.dispose())
    const c = cleanup.add(await launchDevice('c'), (d) => d.dispose())

    await createCommunity(a.page, servers, '王主任', '幸福里社区')
    const link = await inviteLink(a.page, 'resident')
    const forged = forgeSecret(link)
    await joinByLink(b.page, forged, '陌生人')
    // An honest member joins too, to show the room is live while the forger is shut out.
    await joinByLink(c.page, link, '李阿姨')
    await postNotice(a.page, '只给邻居看的公告')
    await waitForNotice(c.page, '只给邻居看的公告')
    await b.page.waitForTimeout(3000)

    expect(await noticeTitles(b.page)).toEqual([])
    const traffic = await dataChannelBytes(b.page)
    expect(traffic.received).toBe(0)
    const size = await b.page.evaluate(() => (window as any).neighbours.session.publicSpace.docs.getMap('notices').size)
    expect(size).toBe(0)
  })

  it('two browsers write while apart, meet again and converge', async () => {
    const servers = cleanup.add(await startServers(), (s) => s.stop())
    const a = cleanup.add(await launchDevice('a'), (d) => d.dispose())
    let b = await launchDevice('b')
    cleanup.add(b, (d) => d.dispose())

    await createCommunity(a.page, servers, '王主任', '幸福里社区')
    const link = await inviteLink(a.page, 'staff')
    await joinByLink(b.page, link, '张社工')
    await waitForPeers(a.page, 1)
    // A staff link makes B staff once A's phone confirms it (a grant, and the staff space sealed to it).
    await b.page.waitForFunction(() => (window as any).neighbours?.session?.staffSpace != null, undefined, { timeout: 30_000 })

    // Apart: B's phone is switched off and the signaling server is down.
    await servers.stopSignaling()
    b = await b.restart()
    cleanup.add(b, (d) => d.dispose())
    await b.page.goto(servers.appUrl)
    // A notices B is gone when ICE gives up on the dead connection (Chromium: up to ~30 s).
    await waitForPeers(a.page, 0, 90_000)
    await postNotice(a.page, 'A 离线时写的')
    await postNotice(b.page, 'B 离线时写的')
    expect(await b.page.getAttribute('[data-testid=sync-badge]', 'data-unshared')).toBe('yes')
    expect(await noticeTitles(a.page)).not.toContain('B 离线时写的')

    await servers.restartSignaling()
    await waitForNotice(a.page, 'B 离线时写的', 60_000)
    await waitForNotice(b.page, 'A 离线时写的', 60_000)
    expect((await noticeTitles(a.page)).sort()).toEqual((await noticeTitles(b.page)).sort())
    await b.page.waitForSelector('[data-testid=sync-badge][data-unshared=no]')
  })
})

describe('large documents', () => {
  it('a third browser joining late receives a document of more than 5 MB', async () => {
    const servers = cleanup.add(await startServers(), (s) => s.stop())
    const a = cleanup.add(await launchDevice('a'), (d) => d.dispose())
    const b = cleanup.add(await launchDevice('b'), (d) => d.dispose())

    await createCommunity(a.page, servers, '王主任', '幸福里社区')
    const link = await inviteLink(a.page, 'resident')
    await joinByLink(b.page, link, '李阿姨')
    await waitForPeers(b.page, 1)

    // 5,400 notices of 1,000 random characters each, through the real store command.
    const docBytes = await a.page.evaluate(() => {
      const api = (window as any).neighbours
      const alphabet = '邻里食堂志愿活动互助公告社区长者送餐报名abcdefghijklmnopqrstuvwxyz0123456789'
      const text = () => Array.from({ length: 1000 }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join('')
      const drafts = Array.from({ length: 5400 }, (_, i) => ({ title: `批量公告 ${i}`, body: text() }))
      api.postNotices(drafts)
      return api.publicDocBytes() as number
    })
    expect(docBytes).toBeGreaterThan(5 * 1024 * 1024)

    const c = cleanup.add(await launchDevice('c'), (d) => d.dispose())
    await joinByLink(c.page, link, '赵大爷')
    await c.page.waitForFunction(() => (window as any).neighbours?.session?.notices.notices.ids().length === 5400, null, { timeout: 120_000 })
    const traffic = await dataChannelBytes(c.page)
    expect(traffic.received).toBeGreaterThan(5 * 1024 * 1024)
    // Today lays out the newest notices a page at a time, not all 5,400.
    await expect.poll(() => c.page.locator('[data-testid=notice]').count()).toBe(10)
    await c.page.click('[data-testid=more-notices]')
    await expect.poll(() => c.page.locator('[data-testid=notice]').count()).toBe(20)
  })
})

/** The same invite with another secret: the room is right, the key is wrong. */
function forgeSecret(link: string): string {
  const [base, payload] = link.split('#join=') as [string, string]
  const invite = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
  invite.public.secret = 'x'.repeat(43)
  return `${base}#join=${Buffer.from(JSON.stringify(invite)).toString('base64url')}`
}
