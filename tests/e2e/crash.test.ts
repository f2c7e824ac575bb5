import { afterEach, describe, expect, it } from 'vitest'
import { launchDevice, startServers, withCleanup, type Device } from './harness'
import type { Locator } from 'playwright-core'
import { activityCard, aidCard, inviteLink, joinByLink, localDay, openShiftsWeekOf, postAidRequest, postNotice, publishActivity, publishShift, publishTodaysLunch, shiftCard, useSignaling, waitForNotice } from './journeys'

const cleanup = withCleanup()
afterEach(() => cleanup.run())

/** A staff phone that has just created a community, and a way to kill its browser and start it again. */
async function killablePhone() {
  const servers = cleanup.add(await startServers(), (s) => s.stop())
  let device: Device = await launchDevice('a')
  cleanup.add(device.profileDir, async () => device.dispose())
  await device.page.goto(servers.appUrl)
  await device.page.fill('input[name=displayName]', '王主任')
  await device.page.fill('input[name=communityName]', '幸福里社区')
  await device.page.click('[data-testid=create-community]')
  await device.page.waitForSelector('[data-testid=community-name]')
  const killAndRestart = async () => {
    await device.kill()
    device = await device.restart()
    await device.page.goto(servers.appUrl)
    // The live app's (#root), not Today's glance, which comes from localStorage, not IndexedDB.
    await device.page.waitForSelector('#root [data-testid=community-name]')
  }
  return {
    servers,
    killAndRestart,
    get page() {
      return device.page
    },
  }
}

// What the screen said was saved is there after the browser is killed (SIGKILL, no
// time to flush), as a phone's system kills a browser in the background.
describe('a killed browser', () => {
  it('keeps a community just created, a notice, a sign-up, an RSVP, and a community just joined', async () => {
    const a = await killablePhone()
    const { servers, killAndRestart } = a
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

  it('a new notice, shift, activity, menu or help request shown as posted is on disk: killed right after, none is lost', async () => {
    const a = await killablePhone()
    const { killAndRestart } = a
    /** Shown in its list as posted: there, with no "Saving…" beside it (the moment a person believes it). */
    const shownPosted = async (item: Locator) => {
      await item.waitFor()
      await item.locator('[data-testid=saving]').waitFor({ state: 'detached' })
    }
    const today = localDay()

    for (let i = 1; i <= 20; i++) {
      // postNotice returns once the notice's title shows alone: posted, no "Saving…".
      await postNotice(a.page, `第${i}条公告`)
      await killAndRestart()
      await waitForNotice(a.page, `第${i}条公告`)
    }
    for (let i = 1; i <= 5; i++) {
      await publishShift(a.page, { title: `帮厨${i}`, places: 2, date: today })
      await openShiftsWeekOf(a.page, today)
      await a.page.click(`[data-testid=day-filter] [data-value="${today}"]`)
      await shownPosted(shiftCard(a.page, `帮厨${i}`))
      await killAndRestart()
      await openShiftsWeekOf(a.page, today)
      await a.page.click(`[data-testid=day-filter] [data-value="${today}"]`)
      await shiftCard(a.page, `帮厨${i}`).waitFor()
    }
    for (let i = 1; i <= 5; i++) {
      await publishActivity(a.page, { title: `太极拳${i}`, category: 'dance', date: today, start: '23:50', end: '23:59' })
      await shownPosted(activityCard(a.page, `太极拳${i}`))
      await killAndRestart()
      await a.page.click('[data-testid=nav-activities]')
      await activityCard(a.page, `太极拳${i}`).waitFor()
    }
    for (let i = 1; i <= 5; i++) {
      await publishTodaysLunch(a.page, [`第${i}版午餐`])
      await shownPosted(a.page.locator(`#root [data-testid=meal-line][data-day="${today}"][data-meal=lunch]`, { hasText: `第${i}版午餐` }).first())
      await killAndRestart()
      await a.page.click('#root [data-testid=nav-today]')
      await a.page.locator('#root [data-testid=today-menu]').getByText(`第${i}版午餐`).waitFor()
    }
    for (let i = 1; i <= 5; i++) {
      await postAidRequest(a.page, `需要帮忙${i}`, '3号楼')
      await shownPosted(aidCard(a.page, `需要帮忙${i}`))
      await killAndRestart()
      await a.page.click('[data-testid=nav-aid]')
      await aidCard(a.page, `需要帮忙${i}`).waitFor()
    }
  }, 600_000)
})
