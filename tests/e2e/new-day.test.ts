import { afterEach, describe, expect, it } from 'vitest'
import { launchDevice, startServers, withCleanup } from './harness'
import { createCommunity } from './journeys'
import { testNow } from '../dates'

// A phone left open overnight: the next time the app comes into view, it shows the new
// day, and a half-written notice is still there.

const cleanup = withCleanup()
afterEach(() => cleanup.run())

const dayOf = (date: Date) => `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`

describe('a phone left open past midnight', () => {
  it('starts afresh on the new day when it comes back into view, keeping what was being typed', async () => {
    const servers = cleanup.add(await startServers(), (s) => s.stop())
    const phone = cleanup.add(await launchDevice('overnight'), (d) => d.dispose())
    const page = phone.page
    // Late evening, with time enough to set up before midnight.
    const evening = testNow()
    evening.setHours(23, 50, 0, 0)
    const nextDay = new Date(evening)
    nextDay.setDate(nextDay.getDate() + 1)
    await page.clock.install({ time: evening })
    await createCommunity(page, servers, '王主任', '幸福里社区')

    await page.click('[data-testid=nav-shifts]')
    const firstDay = page.locator('[data-testid=day-filter] button').nth(1)
    expect(await firstDay.getAttribute('data-value')).toBe(dayOf(evening))
    await page.click('[data-testid=nav-today]')
    await page.click('[data-testid=compose-notice]')
    await page.fill('[data-testid=notice-form] input[name=title]', '周五停水')
    let loads = 0
    page.on('load', () => loads++)

    // Back in view on the same day: nothing happens.
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')))
    // Past midnight while in view: nothing moves under the person's thumb either.
    await page.clock.fastForward('15:00')
    await page.waitForTimeout(500)
    expect(loads).toBe(0)
    expect(await page.inputValue('[data-testid=notice-form] input[name=title]')).toBe('周五停水')
    // The phone comes back to the app (a headless page is always "visible", so the event
    // alone is the switch back): it starts afresh, and the draft comes back in its form.
    const reloaded = page.waitForEvent('load')
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')))
    await reloaded
    await expect.poll(() => page.inputValue('[data-testid=notice-form] input[name=title]'), { timeout: 30_000 }).toBe('周五停水')
    await page.click('[data-testid=nav-shifts]')
    await expect.poll(() => firstDay.getAttribute('data-value'), { timeout: 30_000 }).toBe(dayOf(nextDay))
  })
})
