import { afterEach, describe, expect, it } from 'vitest'
import { launchDevice, startServers, withCleanup } from './harness'
import { testNow } from '../dates'
import { activityCard, createCommunity, inviteLink, joinByLink, publishActivity, waitForPeers, localDay } from './journeys'

const cleanup = withCleanup()
afterEach(() => cleanup.run())


describe('the weekly activity preview on a 360 px phone', () => {
  it('a resident browses this week, filters to dance, RSVPs offline and the organiser sees it; the poster prints on one A4 page', async () => {
    const servers = cleanup.add(await startServers(), (s) => s.stop())
    const organiser = cleanup.add(await launchDevice('organiser'), (d) => d.dispose())
    let resident = await launchDevice('resident')
    cleanup.add(resident, (d) => d.dispose())

    // A day later this week that has not begun: tomorrow, or late tonight on a Sunday.
    const isSunday = testNow().getDay() === 0
    const day = isSunday ? localDay(0) : localDay(1)
    await createCommunity(organiser.page, servers, '王主任', '幸福里社区')
    await publishActivity(organiser.page, { title: '腰鼓队排练', category: 'dance', date: day, start: '23:57', end: '23:59', capacity: 20 })
    await publishActivity(organiser.page, { title: '健康讲座：防跌倒', category: 'health', date: day, start: '23:56', end: '23:59' })
    const link = await inviteLink(organiser.page, 'resident')
    await joinByLink(resident.page, link, '李阿姨')
    await resident.page.click('[data-testid=nav-activities]')
    await activityCard(resident.page, '健康讲座：防跌倒').waitFor({ timeout: 30_000 })
    await activityCard(resident.page, '腰鼓队排练').waitFor()
    expect(await resident.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)

    // Offline: the signaling server is gone and the phone restarts.
    await servers.stopSignaling()
    resident = await resident.restart()
    cleanup.add(resident, (d) => d.dispose())
    await resident.page.goto(servers.appUrl)
    await resident.page.click('[data-testid=nav-activities]')
    await resident.page.click('[data-testid=activity-filter] [data-value=dance]')
    await activityCard(resident.page, '腰鼓队排练').waitFor()
    expect(await resident.page.locator('[data-testid=activity-card]').count()).toBe(1)
    await activityCard(resident.page, '腰鼓队排练').locator('[data-testid=rsvp]').click()
    await activityCard(resident.page, '腰鼓队排练').locator('[data-testid=not-shared]').waitFor()

    await servers.restartSignaling()
    await waitForPeers(resident.page, 1, 60_000)
    await organiser.page.click('[data-testid=nav-activities]')
    const card = activityCard(organiser.page, '腰鼓队排练')
    await card.locator('[data-testid=going]', { hasText: '1 人参加' }).waitFor({ timeout: 30_000 })
    await card.locator('summary').click()
    await card.locator('text=李阿姨').waitFor()
    await activityCard(resident.page, '腰鼓队排练').locator('[data-testid=not-shared]').waitFor({ state: 'detached', timeout: 30_000 })

    // The notice-board poster: this week's activities on one A4 page.
    await organiser.page.click('[data-testid=poster-link]')
    await organiser.page.waitForSelector('[data-testid=poster]')
    const items = await organiser.page.locator('[data-testid=poster-item]').allTextContents()
    expect(items.some((i) => i.includes('腰鼓队排练'))).toBe(true)
    expect(items.some((i) => i.includes('健康讲座：防跌倒'))).toBe(true)
    const pdf = (await organiser.page.pdf({ format: 'A4', printBackground: true })).toString('latin1')
    expect(pdf.match(/\/Type\s*\/Page[^s]/g)?.length).toBe(1)
  })
})
