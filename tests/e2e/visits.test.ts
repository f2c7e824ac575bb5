import { afterEach, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { launchDevice, startServers, withCleanup } from './harness'
import { carriedBytes, chooseRole, createCommunity, inviteLink, joinByLink, peerCount, storedText, waitForPeers } from './journeys'

const cleanup = withCleanup()
afterEach(() => cleanup.run())

/** Staff link a household to a visitor (once the visitor's member entry has arrived). */
async function linkHousehold(page: Page, household: { grid: string; label: string; room: string; phone?: string; visitor: string }) {
  await page.click('[data-testid=nav-aid]')
  await page.click('[data-testid=aid-section] [data-value=visits]')
  await page.click('[data-testid=link-household]')
  const form = page.locator('[data-testid=household-form]')
  for (const field of ['grid', 'label', 'room', 'phone'] as const) if (household[field]) await form.locator(`input[name=${field}]`).fill(household[field]!)
  await expect.poll(() => form.locator('select[name=visitor] option', { hasText: household.visitor }).count(), { timeout: 30_000 }).toBe(1)
  await form.locator('select[name=visitor]').selectOption({ label: household.visitor })
  await form.locator('[data-testid=save-household]').click()
}

describe('household visits', () => {
  it('a visitor logs "needs help" offline; after meeting, a help request on the household\'s behalf appears and staff see the visit in the month\'s report; an urgent visit shows on staff Today', async () => {
    const servers = cleanup.add(await startServers(), (s) => s.stop())
    const staff = cleanup.add(await launchDevice('staff'), (d) => d.dispose())
    let visitor = await launchDevice('visitor')
    cleanup.add(visitor, (d) => d.dispose())

    await createCommunity(staff.page, servers, '王主任', '幸福里社区')
    await joinByLink(visitor.page, await inviteLink(staff.page, 'staff'), '网格员小王')
    await waitForPeers(staff.page, 1)

    // Staff link a household in grid 3号楼 to the visitor.
    await linkHousehold(staff.page, { grid: '3号楼', label: '张奶奶', room: '301', visitor: '网格员小王' })
    await staff.page.locator('[data-testid=grid][data-grid="3号楼"] [data-testid=household-row][data-label="张奶奶"]').waitFor()

    // The visitor's Today lists the household, due now.
    const household = visitor.page.locator('[data-testid=my-visits] [data-testid=household][data-label="张奶奶"]')
    await household.waitFor({ timeout: 30_000 })
    expect(await household.locator('[data-testid=due-status]').getAttribute('data-status')).toBe('due')

    // Offline (the signaling server is down and the visitor's browser restarts), two taps and a note.
    await servers.stopSignaling()
    visitor = await visitor.restart()
    cleanup.add(visitor, (d) => d.dispose())
    await visitor.page.goto(servers.appUrl)
    const again = visitor.page.locator('[data-testid=my-visits] [data-testid=household][data-label="张奶奶"]')
    await again.locator('[data-testid=log-visit]').click()
    await again.locator('textarea[name=visit-note]').fill('想请人帮忙买药')
    await again.locator('[data-testid=visit-help]').click()
    await again.locator('[data-testid=visit-saved]', { hasText: '替 张奶奶 发了求助' }).waitFor()
    expect(await again.locator('[data-testid=due-status]').getAttribute('data-status')).toBe('visited')
    expect(await peerCount(visitor.page)).toBe(0)
    await staff.page.click('[data-testid=aid-section] [data-value=browse]')
    expect(await staff.page.locator('[data-testid=aid-card]', { hasText: '想请人帮忙买药' }).count()).toBe(0)
    const before = await carriedBytes(staff.page, 'staffSpace')

    // They meet: the help request reaches the public space, and the visit the staff space.
    await servers.restartSignaling()
    await waitForPeers(visitor.page, 1, 60_000)
    // The public request is neutral (its grid only); staff see the household and note beside it, from the staff space.
    const request = staff.page.locator('[data-testid=aid-card]', { hasText: '走访发现需要帮助' })
    await request.waitFor({ timeout: 30_000 })
    await request.locator('[data-testid=visit-behind]', { hasText: '想请人帮忙买药' }).waitFor({ timeout: 30_000 })
    expect(await request.locator('[data-testid=visit-behind]').textContent()).toContain('张奶奶')
    expect(await request.textContent()).toContain('3号楼')
    expect(await request.textContent()).not.toContain('301')
    await staff.page.click('[data-testid=aid-section] [data-value=visits]')
    const row = staff.page.locator('[data-testid=visit-report] tr[data-grid="3号楼"]')
    await expect.poll(async () => (await row.locator('td').allTextContents()).join(','), { timeout: 30_000 }).toBe('3号楼,1,1,1,1,0,0')
    expect(await carriedBytes(staff.page, 'staffSpace')).toBeGreaterThan(before)

    // An urgent visit shows on the staff phone's Today at once, until someone deals with it.
    await again.locator('[data-testid=log-visit]').click()
    await again.locator('[data-testid=visit-urgent]').click()
    // Urgent without a word of what is wrong is refused, in plain words, and nothing is written.
    await again.locator('[data-testid=visit-form] [role=alert]').waitFor()
    await again.locator('textarea[name=visit-note]').fill('摔倒了，已叫120')
    await again.locator('[data-testid=visit-urgent]').click()
    await again.locator('[data-testid=visit-saved]').waitFor()
    await staff.page.click('[data-testid=nav-today]')
    const urgent = staff.page.locator('[data-testid=urgent-visit]', { hasText: '摔倒了，已叫120' })
    await urgent.waitFor({ timeout: 30_000 })
    expect(await urgent.textContent()).toContain('张奶奶')
    await urgent.locator('[data-testid=follow-up]').click()
    await urgent.waitFor({ state: 'detached' })
  })
})

describe('household visits sealed to a volunteer', () => {
  it('a visitor with a resident invite gets their households sealed to their phone, logs a visit offline, and staff see it; no staff-space data on the phone', async () => {
    const servers = cleanup.add(await startServers(), (s) => s.stop())
    const staff = cleanup.add(await launchDevice('staff'), (d) => d.dispose())
    let visitor = await launchDevice('visitor')
    cleanup.add({ get: () => visitor }, (v) => v.get().dispose())
    await createCommunity(staff.page, servers, '王主任', '幸福里社区')
    await joinByLink(visitor.page, await inviteLink(staff.page, 'resident'), '志愿者小李')
    // A volunteer (not a resident) is offered as a visitor.
    await chooseRole(visitor.page, 'volunteer')
    await waitForPeers(staff.page, 1)

    await linkHousehold(staff.page, { grid: '西院', label: '刘爷爷', room: '102', phone: '13655556666', visitor: '志愿者小李' })
    const send = staff.page.locator('[data-testid=visitor-send][data-visitor="志愿者小李"]')
    await expect.poll(async () => {
      await send.locator('[data-testid=send-visits]').click()
      return send.locator('[data-testid=visits-sent]').count()
    }, { timeout: 30_000 }).toBe(1)

    // The visitor's Today lists the household from the sealed share.
    await visitor.page.click('[data-testid=nav-today]')
    const row = visitor.page.locator('[data-testid=my-visits][data-sealed=true] [data-testid=household][data-label="刘爷爷"]')
    await row.waitFor({ timeout: 30_000 })
    await visitor.page.evaluate(() => (window as any).neighbours.session.flushed())

    // Offline, a visit needing help.
    await servers.stopSignaling()
    visitor = await visitor.restart()
    await visitor.page.goto(servers.appUrl)
    const again = visitor.page.locator('[data-testid=my-visits][data-sealed=true] [data-testid=household][data-label="刘爷爷"]')
    await again.locator('[data-testid=log-visit]').click()
    await again.locator('textarea[name=visit-note]').fill('灯泡坏了，需要人来换')
    await again.locator('[data-testid=visit-help]').click()
    await again.locator('[data-testid=visit-saved]').waitFor()
    await expect.poll(() => again.locator('[data-testid=due-status]').getAttribute('data-status')).toBe('visited')

    await servers.restartSignaling()
    await waitForPeers(visitor.page, 1, 60_000)
    await staff.page.click('[data-testid=aid-section] [data-value=browse]')
    await staff.page.locator('[data-testid=aid-card]', { hasText: '走访发现需要帮助' }).locator('[data-testid=visit-behind]', { hasText: '灯泡坏了' }).waitFor({ timeout: 30_000 })
    await staff.page.click('[data-testid=aid-section] [data-value=visits]')
    const report = staff.page.locator('[data-testid=visit-report] tr[data-grid="西院"]')
    await expect.poll(async () => (await report.locator('td').allTextContents()).join(','), { timeout: 30_000 }).toBe('西院,1,1,1,1,0,0')

    expect(await visitor.page.evaluate(() => (window as any).neighbours.session.staffSpace)).toBeNull()
    // The household's details stay sealed; the public help request names neither the household nor the note.
    expect(await storedText(visitor.page)).not.toContain('13655556666')
  })
})
