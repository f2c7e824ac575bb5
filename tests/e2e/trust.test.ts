import { afterEach, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { launchDevice, startServers, withCleanup } from './harness'
import { createCommunity, dataChannelBytes, inviteLink, joinByLink, noticeTitles, postNotice, publishShift, shiftCard, storedText, waitForNotice } from './journeys'

const cleanup = withCleanup()
afterEach(() => cleanup.run())

/** What Me says this device is, by the community's signed records. */
async function confirmedRole(page: Page, role: string, timeout = 30_000) {
  await page.click('[data-testid=nav-me]')
  await page.waitForSelector(`[data-testid=trust-role][data-role=${role}]`, { timeout })
}

const staffRoom = (page: Page): Promise<string | null> => page.evaluate(() => (window as any).neighbours.session.staffSpace?.key.room ?? null)

/** Waits until this page's staff space has moved to a new room. */
const moved = (page: Page, from: string | null) =>
  page.waitForFunction((old) => {
    const room = (window as any).neighbours?.session?.staffSpace?.key.room
    return room !== undefined && room !== old
  }, from, { timeout: 30_000 })

const publicRoom = (page: Page): Promise<string> => page.evaluate(() => (window as any).neighbours.session.publicSpace.key.room)
/** Waits until this page's public space has moved to a new room. */
const movedPublic = (page: Page, from: string) =>
  page.waitForFunction((old) => {
    const room = (window as any).neighbours?.session?.publicSpace?.key.room
    return room !== undefined && room !== old
  }, from, { timeout: 60_000 })

/** Staff remove a device from Me → Devices, after saying yes. */
async function removeDevice(page: Page, label: string, role: string) {
  await page.click('[data-testid=nav-me]')
  await page.locator(`[data-testid=device-row][data-label=${label}][data-role=${role}] [data-testid=remove-device]`).click()
  await page.click('[role=dialog] button:has-text("移除这台设备")')
  // The list no longer shows it (the community may reopen on a new staff space meanwhile).
  await page.locator(`[data-testid=device-row][data-label=${label}]`).waitFor({ state: 'detached', timeout: 30_000 })
}

describe('roles from signed grants, checked on every device', () => {
  it('the founder invites a resident and one staff phone; a second phone with the spent staff link is not confirmed, and staff remove it', async () => {
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

    // The spent link gave the stranger no staff key (a staff link carries none); staff see
    // it in the device list as not confirmed and remove it, and the spaces are made anew.
    const oldRoom = await staffRoom(founder.page)
    await removeDevice(founder.page, '陌生人', 'none')
    await moved(founder.page, oldRoom)
    await moved(staff.page, oldRoom)
    expect(await staffRoom(staff.page)).toBe(await staffRoom(founder.page))
    expect(await staffRoom(late.page)).not.toBe(await staffRoom(founder.page))
  })

  it('the founder names a second founder, then removes a lost staff phone: the staff space is made anew for the others, and the lost phone receives none of it', async () => {
    const servers = cleanup.add(await startServers(), (s) => s.stop())
    const founder = cleanup.add(await launchDevice('founder'), (d) => d.dispose())
    const colleague = cleanup.add(await launchDevice('colleague'), (d) => d.dispose())
    const lost = cleanup.add(await launchDevice('lost'), (d) => d.dispose())

    await createCommunity(founder.page, servers, '王主任', '幸福里社区')
    await joinByLink(colleague.page, await inviteLink(founder.page, 'staff'), '张社工')
    await joinByLink(lost.page, await inviteLink(founder.page, 'staff'), '丢失的手机')
    await confirmedRole(colleague.page, 'staff')
    await confirmedRole(lost.page, 'staff')
    await addElder(founder.page, '赵奶奶', '1单元101')
    await seeInRoster(colleague.page, '赵奶奶')
    await seeInRoster(lost.page, '赵奶奶')
    const oldRoom = await staffRoom(founder.page)

    // First the founder names the colleague's phone a second founder, so losing one phone loses nothing.
    await founder.page.click('[data-testid=nav-me]')
    await founder.page.locator('[data-testid=device-row][data-label=张社工] [data-testid=make-founder]').click()
    await confirmedRole(colleague.page, 'founder')

    await removeDevice(founder.page, '丢失的手机', 'staff')
    // The founder and the colleague move to a new staff space, keeping what they had.
    await moved(founder.page, oldRoom)
    const newRoom = await staffRoom(founder.page)
    await colleague.page.waitForFunction((room) => (window as any).neighbours?.session?.staffSpace?.key.room === room, newRoom, { timeout: 30_000 })
    await seeInRoster(colleague.page, '赵奶奶')
    expect(await staffRoom(lost.page)).not.toBe(newRoom)

    // What the lost phone's staff connections have carried so far, then a new elder.
    const staffBytes = async (page: Page) => (await dataChannelBytes(page, 'staffSpace')).received
    const before = await staffBytes(lost.page)
    await addElder(founder.page, '钱爷爷', '2单元202')
    await seeInRoster(colleague.page, '钱爷爷')
    expect(await staffBytes(colleague.page)).toBeGreaterThan(0)
    await lost.page.waitForTimeout(2000)
    expect(await staffBytes(lost.page)).toBe(before)
    expect(await storedText(lost.page)).not.toContain('钱爷爷')
    expect(await storedText(lost.page)).not.toContain(newRoom)
  })

  it('removing a resident ends its reading: the others move to a new public space, a phone that was away finds it, and the removed phone gets nothing new', async () => {
    const servers = cleanup.add(await startServers(), (s) => s.stop())
    const founder = cleanup.add(await launchDevice('founder'), (d) => d.dispose())
    const removed = cleanup.add(await launchDevice('removed'), (d) => d.dispose())
    const neighbour = cleanup.add(await launchDevice('neighbour'), (d) => d.dispose())
    let away = cleanup.add(await launchDevice('away'), (d) => d.dispose())

    await createCommunity(founder.page, servers, '王主任', '幸福里社区')
    const link = await inviteLink(founder.page, 'resident')
    for (const [device, name] of [[removed, '小刘'], [neighbour, '张大爷'], [away, '李阿姨']] as const) {
      await joinByLink(device.page, link, name)
      await confirmedRole(device.page, 'resident')
    }
    // Every phone holds the others' device records before one of them goes away.
    const devicesKnown = () => (window as any).neighbours?.session?.trust.state().verdict?.devices.size === 4
    for (const device of [founder, removed, neighbour, away]) await device.page.waitForFunction(devicesKnown, undefined, { timeout: 30_000 })
    const oldRoom = await publicRoom(founder.page)
    await away.close()

    await removeDevice(founder.page, '小刘', 'resident')
    await movedPublic(founder.page, oldRoom)
    const newRoom = await publicRoom(founder.page)
    await movedPublic(neighbour.page, oldRoom)
    expect(await publicRoom(neighbour.page)).toBe(newRoom)

    await postNotice(founder.page, '周五停水通知')
    await waitForNotice(neighbour.page, '周五停水通知')
    expect((await dataChannelBytes(neighbour.page)).received).toBeGreaterThan(0)

    // The phone that was away starts in the old room, where the others still offer the
    // old standing doc: it finds its sealed key there, moves, and gets the notice.
    away = await away.restart()
    cleanup.add(away, (d) => d.dispose())
    await away.page.goto(servers.appUrl)
    await movedPublic(away.page, oldRoom)
    expect(await publicRoom(away.page)).toBe(newRoom)
    await waitForNotice(away.page, '周五停水通知')

    // The removed phone: still in the old room, holding none of it.
    expect(await publicRoom(removed.page)).toBe(oldRoom)
    await removed.page.waitForTimeout(2_000)
    expect(await noticeTitles(removed.page)).not.toContain('周五停水通知')
    const stored = await storedText(removed.page)
    expect(stored).not.toContain('周五停水通知')
    expect(stored).not.toContain(newRoom)
  })

  it('a tampered resident phone posts a notice as staff, cancels a shift and withdraws someone else’s sign-up: no other phone shows any of it, and the sign-up is written back on every phone', async () => {
    const servers = cleanup.add(await startServers(), (s) => s.stop())
    const staff = cleanup.add(await launchDevice('staff'), (d) => d.dispose())
    const volunteer = cleanup.add(await launchDevice('volunteer'), (d) => d.dispose())
    const tampered = cleanup.add(await launchDevice('tampered'), (d) => d.dispose())
    await createCommunity(staff.page, servers, '王主任', '幸福里社区')
    await postNotice(staff.page, '社区通知')
    await publishShift(staff.page, { title: '食堂帮厨', places: 3 })
    const link = await inviteLink(staff.page, 'resident')
    await joinByLink(volunteer.page, link, '小刘')
    await joinByLink(tampered.page, link, '坏人')
    await volunteer.page.click('[data-testid=nav-shifts]')
    await shiftCard(volunteer.page, '食堂帮厨').locator('[data-testid=sign-up]').click()
    const signup = await volunteer.page.evaluate(() => (window as any).neighbours.session.shifts.signups.ids()[0] as string)
    // The tampered phone holds the shift and the sign-up, checked, before it tampers.
    await tampered.page.waitForFunction((key) => (window as any).neighbours.session.shifts.signups.byId[key]?.active === true, signup, { timeout: 30_000 })

    // A modified app writes straight into its docs, signed with its own device key.
    const badKey = await tampered.page.evaluate((key) => {
      const { session } = (window as any).neighbours
      const docs = session.publicSpace.docs
      const shiftId = key.split('|')[0]
      const stamp = () => session.clock.tick()
      docs.getMap('notices').set('forged-notice', { id: 'forged-notice', title: '假通知：明天停电', body: '', authorId: 'x', authorName: '王主任', postedAt: stamp(), editedAt: stamp() })
      docs.getMap('shiftCancellations').set(shiftId, { id: shiftId, byId: 'x', reason: '取消了', stamp: stamp() })
      const { sig: _, ...entry } = docs.getMap('signups').get(key)
      docs.getMap('signups').set(key, { ...entry, active: false, updatedAt: stamp() })
      return session.trust.state().me as string
    }, signup)

    // The other phones receive all three, refuse them as written by that phone, and show none.
    for (const page of [staff.page, volunteer.page]) {
      await page.waitForFunction((by) => {
        const refused = (window as any).neighbours.session.refused() as { collection: string; author: string | null }[]
        return ['notices', 'shiftCancellations', 'signups'].every((c) => refused.some((r) => r.collection === c && r.author === by))
      }, badKey, { timeout: 30_000 })
      await waitForNotice(page, '社区通知')
      expect(await noticeTitles(page)).toEqual(['社区通知'])
      await page.click('[data-testid=nav-shifts]')
      const card = shiftCard(page, '食堂帮厨')
      await card.waitFor()
      expect(await card.locator('[data-testid=shift-cancelled]').count()).toBe(0)
    }
    await shiftCard(staff.page, '食堂帮厨').locator('[data-testid=coming]', { hasText: '小刘' }).waitFor()
    // Me → Diagnostics names the device they came from.
    await staff.page.click('[data-testid=nav-me]')
    await staff.page.locator('[data-testid=refused-by]', { hasText: '坏人' }).waitFor()
    await staff.page.click('[data-testid=nav-shifts]')
    await shiftCard(volunteer.page, '食堂帮厨').locator('[data-testid=withdraw]').waitFor()

    // The honest phones write the valid sign-up back: every phone's doc holds it again, the tampered one's too.
    for (const page of [staff.page, volunteer.page, tampered.page]) {
      await page.waitForFunction((key) => {
        const stored = (window as any).neighbours.session.publicSpace.docs.open(key.slice(0, 7)).getMap('signups').get(key)
        return stored?.active === true
      }, signup, { timeout: 30_000 })
    }
    expect((await dataChannelBytes(staff.page)).received).toBeGreaterThan(0)
  })

  it('a phone whose browser lacks WebCrypto Ed25519 and X25519 makes its keys with @noble/curves: it joins, checks staff’s records, and its sign-up counts on staff’s phone', async () => {
    const servers = cleanup.add(await startServers(), (s) => s.stop())
    const staff = cleanup.add(await launchDevice('staff'), (d) => d.dispose())
    const old = cleanup.add(await launchDevice('old'), (d) => d.dispose())
    // As in a browser older than Chrome 137 / Safari 17: the two curves are unknown algorithms.
    await old.context.addInitScript(() => {
      const subtle = crypto.subtle as any
      for (const method of ['generateKey', 'importKey', 'sign', 'verify', 'deriveBits']) {
        const real = subtle[method].bind(subtle)
        subtle[method] = (...args: any[]) => {
          const algorithm = method === 'importKey' ? args[2] : args[0]
          const curve = typeof algorithm === 'string' ? algorithm : algorithm?.name
          return curve === 'Ed25519' || curve === 'X25519' ? Promise.reject(new DOMException('Unrecognized name.', 'NotSupportedError')) : real(...args)
        }
      }
    })
    await createCommunity(staff.page, servers, '王主任', '幸福里社区')
    await postNotice(staff.page, '社区通知')
    await publishShift(staff.page, { title: '食堂帮厨', places: 3 })
    await joinByLink(old.page, await inviteLink(staff.page, 'resident'), '老手机')
    expect(await old.page.evaluate(() => crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign']).then(() => 'native', (e) => e.name))).toBe('NotSupportedError')

    // Its acceptance of the invitation, signed with the link's key by @noble/curves, admits it everywhere.
    await confirmedRole(old.page, 'resident')
    const oldKey = await old.page.evaluate(() => (window as any).neighbours.session.trust.state().me as string)
    await staff.page.waitForFunction((key) => (window as any).neighbours.session.trust.state().verdict.roles.get(key) === 'resident', oldKey, { timeout: 30_000 })
    // It checks staff's signatures itself: the notice and the shift show.
    await waitForNotice(old.page, '社区通知')
    await old.page.click('[data-testid=nav-shifts]')
    await shiftCard(old.page, '食堂帮厨').locator('[data-testid=sign-up]').click()
    // Its signed sign-up counts on staff's phone, and nothing of it is refused.
    await staff.page.click('[data-testid=nav-shifts]')
    await shiftCard(staff.page, '食堂帮厨').locator('[data-testid=coming]', { hasText: '老手机' }).waitFor({ timeout: 30_000 })
    const signed = await staff.page.evaluate((key) => {
      const { session } = (window as any).neighbours
      const id = session.shifts.signups.ids()[0] as string
      return { by: session.publicSpace.docs.open(id.slice(0, 7)).getMap('signups').get(id)?.sig?.by, refused: session.refused().filter((r: any) => r.author === key).length }
    }, oldKey)
    expect(signed).toEqual({ by: oldKey, refused: 0 })
    expect((await dataChannelBytes(staff.page)).received).toBeGreaterThan(0)

    // Its keys (raw bytes in IndexedDB) come back after a reload: the same device, still a resident.
    await old.page.reload()
    await old.page.waitForFunction((key) => {
      const state = (window as any).neighbours?.session?.trust.state()
      return state?.checked === true && state.me === key && state.mine === 'resident'
    }, oldKey, { timeout: 30_000 })
  })
})

/** Waits until this page's staff roster (Canteen → roster, opened if it is not) lists the elder. */
async function seeInRoster(page: Page, name: string) {
  if (!(await page.locator('[data-testid=roster]').isVisible())) {
    await page.click('[data-testid=nav-canteen]')
    await page.click('[data-testid=canteen-section] [data-value=roster]')
  }
  await page.locator('[data-testid=roster]').locator(`text=${name}`).waitFor({ timeout: 30_000 })
}

/** Staff add an elder to the roster (the staff space), and leave the roster open. */
async function addElder(page: Page, name: string, unit: string) {
  await page.click('[data-testid=nav-canteen]')
  await page.click('[data-testid=canteen-section] [data-value=roster]')
  await page.click('[data-testid=add-elder]')
  await page.fill('[data-testid=elder-form] input[name=name]', name)
  await page.fill('[data-testid=elder-form] input[name=building]', '3号楼')
  await page.fill('[data-testid=elder-form] input[name=unit]', unit)
  await page.fill('[data-testid=elder-form] input[name=phone]', '13800000000')
  await page.fill('[data-testid=elder-form] input[name=emergencyName]', '家属')
  await page.fill('[data-testid=elder-form] input[name=emergencyPhone]', '13900000000')
  await page.click('[data-testid=elder-form] button[type=submit]')
  await page.locator('[data-testid=roster]').locator(`text=${name}`).waitFor()
}
