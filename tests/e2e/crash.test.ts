import { afterEach, describe, expect, it } from 'vitest'
import { launchDevice, startServers, withCleanup, type Device } from './harness'
import { activityCard, inviteLink, joinByLink, localDay, openShiftsWeekOf, postNotice, publishActivity, publishShift, shiftCard, useSignaling, waitForNotice } from './journeys'

const cleanup = withCleanup()
afterEach(() => cleanup.run())

// What the screen said was saved is there after the browser is killed (SIGKILL, no
// time to flush), as a phone's system kills a browser in the background.
describe('a killed browser', () => {
  it('keeps a community just created, a notice, a sign-up, an RSVP, and a community just joined', async () => {
    const servers = cleanup.add(await startServers(), (s) => s.stop())
    let a: Device = await launchDevice('a')
    cleanup.add(a.profileDir, async () => a.dispose())
    const killAndRestart = async () => {
      await a.kill()
      a = await a.restart()
      await a.page.goto(servers.appUrl)
      // The live app's (#root), not Today's glance, which comes from localStorage, not IndexedDB.
      await a.page.waitForSelector('#root [data-testid=community-name]')
    }

    await a.page.goto(servers.appUrl)
    await a.page.fill('input[name=displayName]', '王主任')
    await a.page.fill('input[name=communityName]', '幸福里社区')
    await a.page.click('[data-testid=create-community]')
    await a.page.waitForSelector('[data-testid=community-name]')
    await killAndRestart()
    expect(await a.page.textContent('#root [data-testid=community-name]')).toBe('幸福里社区')

    await postNotice(a.page, '刚发的公告')
    await killAndRestart()
    await waitForNotice(a.page, '刚发的公告')

    const today = localDay()
    await publishShift(a.page, { title: '食堂帮厨', places: 2, date: today })
    await openShiftsWeekOf(a.page, today)
    await a.page.click(`[data-testid=day-filter] [data-value="${today}"]`)
    await shiftCard(a.page, '食堂帮厨').locator('[data-testid=sign-up]').click()
    await shiftCard(a.page, '食堂帮厨').locator('text=您已报名').waitFor()
    await killAndRestart()
    await openShiftsWeekOf(a.page, today)
    await a.page.click(`[data-testid=day-filter] [data-value="${today}"]`)
    await shiftCard(a.page, '食堂帮厨').locator('text=您已报名').waitFor()

    // Each screen says "you are in" only once the entry is signed and on disk ("Saving…" before).
    await publishActivity(a.page, { title: '太极拳', category: 'dance', date: today, start: '23:57', end: '23:59' })
    await activityCard(a.page, '太极拳').locator('[data-testid=rsvp]').click()
    await activityCard(a.page, '太极拳').locator('text=您已报名参加').waitFor()
    await killAndRestart()
    await a.page.click('[data-testid=nav-activities]')
    await activityCard(a.page, '太极拳').locator('text=您已报名参加').waitFor()

    // A second device joins by invite and is killed the moment it shows the community.
    await useSignaling(a.page, servers.signalingUrl)
    const link = await inviteLink(a.page, 'resident')
    let b = await launchDevice('b')
    cleanup.add(b.profileDir, async () => b.dispose())
    await joinByLink(b.page, link, '李阿姨')
    await b.kill()
    b = await b.restart()
    await b.page.goto(servers.appUrl)
    await b.page.waitForSelector('#root [data-testid=community-name]')
    expect(await b.page.textContent('#root [data-testid=community-name]')).toBe('幸福里社区')
  })
})
