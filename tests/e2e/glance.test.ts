import { afterEach, describe, expect, it } from 'vitest'
import type { Page, Route } from 'playwright-core'
import { launchDevice, startServers, withCleanup } from './harness'
import { createCommunity, localDay, postNotice, publishTodaysLunch } from './journeys'
import { testNow } from '../dates'

// A cold start draws Today from its glance (what Today showed last, for the coming week)
// before the live app has loaded, and hands over to it once the community has loaded
// (ui/today/glance.tsx). The live app's script is held back here, so each step is seen.

const cleanup = withCleanup()
afterEach(() => cleanup.run())

/** Lets the test hold back the live app's script: `hold()` returns the release. */
async function liveAppGate(page: Page): Promise<() => () => void> {
  let gate = Promise.resolve()
  await page.route(/\/assets\/live-[^/]+\.js$/, async (route: Route) => {
    await gate
    await route.continue()
  })
  return () => {
    let release!: () => void
    gate = new Promise<void>((resolve) => (release = resolve))
    return release
  }
}

const menuIn = (page: Page, where: '#glance' | '#root') => page.locator(`${where} [data-testid=today-menu]`)

describe('Today at a glance', () => {
  it('shows Today from its glance at once, holds a tap until it is live; the next day it shows that day’s menu', async () => {
    const servers = cleanup.add(await startServers(), (s) => s.stop())
    // No service worker: the test must see the page fetch the live app's script.
    const phone = cleanup.add(await launchDevice('glance', undefined, { blockServiceWorkers: true }), (d) => d.dispose())
    const page = phone.page
    await createCommunity(page, servers, '王主任', '幸福里社区')
    await publishTodaysLunch(page, ['红烧肉', '青菜'])
    await publishTodaysLunch(page, ['饺子'], localDay(1))
    await postNotice(page, '周五停水')
    const hold = await liveAppGate(page)

    // The page is left (its glance kept then), and opened again with the live app held back.
    let release = hold()
    await page.goto(servers.appUrl)
    await menuIn(page, '#glance').getByText('红烧肉、青菜').waitFor()
    await page.locator('#glance [data-testid=notice] h3:text-is("周五停水")').waitFor()
    await page.locator('#glance').getByText('王主任').first().waitFor()
    expect(await page.locator('#root').isHidden()).toBe(true)
    await page.screenshot({ path: 'test-results/screens/glance-today.png' })
    // A button tapped on the glance does nothing yet, and says the app is starting.
    await page.locator('#glance [data-testid=compose-notice]').click()
    await page.locator('#glance [data-testid=glance-waiting]').waitFor()
    expect(await page.locator('#glance [data-testid=notice-form]').count()).toBe(0)
    // A tab tapped on the glance is remembered, not lost: nothing happens yet...
    const tab = await page.locator('#glance [data-testid=nav-shifts]').boundingBox()
    await page.mouse.click(tab!.x + tab!.width / 2, tab!.y + tab!.height / 2)
    expect(await page.evaluate(() => location.hash)).toBe('')
    expect(await page.locator('#glance [data-testid=nav-shifts]').getAttribute('aria-busy')).toBe('true')

    release()
    await page.locator('#glance').waitFor({ state: 'detached', timeout: 10_000 })
    // Handed over by the live app, well before the glance would give up by itself (15 s).
    expect(await page.evaluate(() => performance.now())).toBeLessThan(14_000)
    // ...and once the live app has taken over, that tab opens.
    await page.waitForSelector('#root [data-testid=day-filter]')
    expect(await page.evaluate(() => location.hash)).toBe('#/shifts')
    await page.click('[data-testid=nav-today]')
    await menuIn(page, '#root').getByText('红烧肉、青菜').waitFor()
    expect(await page.locator('#root').isVisible()).toBe(true)
    await page.screenshot({ path: 'test-results/screens/live-today.png' })

    // Tomorrow morning, before anything has loaded: tomorrow's menu, from the same glance.
    await page.goto('about:blank')
    const tomorrow = testNow()
    tomorrow.setDate(tomorrow.getDate() + 1)
    tomorrow.setHours(9, 0, 0, 0)
    await page.clock.install({ time: tomorrow })
    release = hold()
    await page.goto(`${servers.appUrl}#/today`)
    await menuIn(page, '#glance').getByText('饺子').waitFor()
    expect(await menuIn(page, '#glance').textContent()).not.toContain('红烧肉')
    release()
    await page.locator('#glance').waitFor({ state: 'detached', timeout: 10_000 })
    await menuIn(page, '#root').getByText('饺子').waitFor()

    // Opened on another screen, there is no glance: that screen comes live.
    await page.goto('about:blank')
    release = hold()
    await page.goto(`${servers.appUrl}#/shifts`)
    await page.waitForTimeout(500)
    expect(await page.locator('#glance').count()).toBe(0)
    release()
    await page.waitForSelector('[data-testid=day-filter]')
  })
})
