import { afterEach, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { launchDevice, startServers, withCleanup } from './harness'
import { createCommunity, localDay, openShiftsWeekOf, postNotice, publishShift, shiftCard, waitForNotice } from './journeys'

// Two tabs of one phone (the installed app and a browser tab) stay in step with no
// network: each tells the others what this device wrote, once it is signed and on disk
// (sync/tabs.ts, a BroadcastChannel), never a whole doc.

const cleanup = withCleanup()
afterEach(() => cleanup.run())

const peers = (page: Page) => page.evaluate(() => (window as any).neighbours.session.publicSpace.status().peers as number)

describe('two tabs of one device', () => {
  it('offline, a sign-up in one shows in the other within a second, and a notice the other way', async () => {
    const servers = cleanup.add(await startServers(), (s) => s.stop())
    const phone = cleanup.add(await launchDevice('tabs'), (d) => d.dispose())
    const one = phone.page
    await createCommunity(one, servers, '王主任', '幸福里社区')
    const today = localDay()
    await publishShift(one, { title: '食堂帮厨', places: 3, date: today })

    // No signaling server, so the tabs can never meet over WebRTC; then no network at all.
    await servers.stopSignaling()
    const two = await phone.context.newPage()
    await two.goto(servers.appUrl)
    await two.waitForSelector('#root [data-testid=community-name]')
    await phone.context.setOffline(true)
    for (const page of [one, two]) {
      await openShiftsWeekOf(page, today)
      await page.click(`[data-testid=day-filter] [data-value="${today}"]`)
      await shiftCard(page, '食堂帮厨').waitFor()
    }
    expect(await peers(one)).toBe(0)
    expect(await peers(two)).toBe(0)

    await shiftCard(one, '食堂帮厨').locator('[data-testid=sign-up]').click()
    await shiftCard(one, '食堂帮厨').locator('text=您已报名').waitFor()
    const shown = Date.now()
    await shiftCard(two, '食堂帮厨').locator('text=您已报名').waitFor({ timeout: 5_000 })
    expect(Date.now() - shown).toBeLessThan(1_000)

    await postNotice(two, '两个标签页的公告')
    await waitForNotice(one, '两个标签页的公告', 5_000)
    expect(await peers(one)).toBe(0)
  })
})
