import { afterEach, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { launchDevice, startServers, withCleanup } from './harness'
import { createCommunity, inviteLink, joinByLink } from './journeys'

const cleanup = withCleanup()
afterEach(() => cleanup.run())

/** What Me says this device is, by the community's signed records. */
async function confirmedRole(page: Page, role: string, timeout = 30_000) {
  await page.click('[data-testid=nav-me]')
  await page.waitForSelector(`[data-testid=trust-role][data-role=${role}]`, { timeout })
}

describe('roles from signed grants, checked on every device', () => {
  it('the founder invites a resident and one staff phone; a second phone with the used staff link is not confirmed', async () => {
    const servers = cleanup.add(await startServers(), (s) => s.stop())
    const founder = cleanup.add(await launchDevice('founder'), (d) => d.dispose())
    const resident = cleanup.add(await launchDevice('resident'), (d) => d.dispose())
    const staff = cleanup.add(await launchDevice('staff'), (d) => d.dispose())
    const late = cleanup.add(await launchDevice('late'), (d) => d.dispose())

    await createCommunity(founder.page, servers, '王主任', '幸福里社区')
    await confirmedRole(founder.page, 'founder')
    // The community id is bound to the founder's key.
    const membership = await founder.page.evaluate(() => (window as any).neighbours.session.membership)
    expect(membership.founder).toMatch(/^[A-Za-z0-9_-]{43}$/)

    const residentLink = await inviteLink(founder.page, 'resident')
    await joinByLink(resident.page, residentLink, '李阿姨')
    await confirmedRole(resident.page, 'resident')

    const staffLink = await inviteLink(founder.page, 'staff')
    await joinByLink(staff.page, staffLink, '张社工')
    await confirmedRole(staff.page, 'staff')

    // The same one-time link, used again: the app opens the community, but no device
    // counts this phone as staff.
    await joinByLink(late.page, staffLink, '陌生人')
    // Each device has every record, and each refuses the second use the same way.
    const refusedSecondUse = () => {
      const state = (window as any).neighbours?.session?.trust.state()
      return state?.checked === true && state.verdict.roles.size === 3 && state.verdict.refused.some((r: any) => r.why === 'invitationUsed')
    }
    for (const device of [late, founder, staff]) await device.page.waitForFunction(refusedSecondUse, undefined, { timeout: 30_000 })
    await confirmedRole(late.page, 'none')
    const roles = (page: Page) => page.evaluate(() => [...(window as any).neighbours.session.trust.state().verdict.roles.values()].sort())
    expect(await roles(founder.page)).toEqual(['founder', 'resident', 'staff'])
    expect(await roles(late.page)).toEqual(await roles(founder.page))
  })
})
