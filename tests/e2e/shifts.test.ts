import { readFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { afterEach, describe, expect, it } from 'vitest'
import { launchDevice, startServers, withCleanup, type Servers } from './harness'
import { carriedBytes, createCommunity, inviteLink, joinByLink, openShiftsWeekOf, peerCount, publishShift, shiftCard, waitForPeers, localDay } from './journeys'

const cleanup = withCleanup()
afterEach(() => cleanup.run())

/**
 * Staff publish one-place shifts for `day`; 李阿姨 (b) and 赵大爷 (c) join with a resident
 * invite, and 李阿姨 signs up for the first. Both phones end on that day's week.
 */
async function volunteersOnShifts(servers: Servers, staff: Page, b: Page, c: Page, titles: string[], day: string) {
  await createCommunity(staff, servers, '王主任', '幸福里社区')
  for (const title of titles) await publishShift(staff, { title, places: 1, date: day })
  const link = await inviteLink(staff, 'resident')
  await joinByLink(b, link, '李阿姨')
  await joinByLink(c, link, '赵大爷')
  await openShiftsWeekOf(b, day)
  await shiftCard(b, titles[0]!).locator('[data-testid=sign-up]').click()
  await openShiftsWeekOf(c, day)
}

/** A staff phone's card: who is coming now, and the place's change of hands in its history. */
async function staffSee(page: Page, title: string, coming: string, change: string) {
  const card = shiftCard(page, title)
  await card.locator('[data-testid=coming]', { hasText: coming }).waitFor({ timeout: 30_000 })
  await card.locator('[data-testid=shift-history] summary').click()
  await card.locator('[data-testid=transfer]', { hasText: change }).waitFor()
  return card
}

const isoWeekday = (day: string) => ((new Date(`${day}T12:00:00`).getDay() + 6) % 7) + 1

describe('volunteer shifts', () => {
  it('two volunteers take the last place while offline; after they meet both show the same winner, and the other is told', async () => {
    const servers = cleanup.add(await startServers(), (s) => s.stop())
    const staff = cleanup.add(await launchDevice('staff'), (d) => d.dispose())
    let b = await launchDevice('b')
    let c = await launchDevice('c')
    cleanup.add(b, (d) => d.dispose())
    cleanup.add(c, (d) => d.dispose())

    const tomorrow = localDay(1)
    await createCommunity(staff.page, servers, '王主任', '幸福里社区')
    await publishShift(staff.page, { title: '送餐上门', places: 1, date: tomorrow })
    const link = await inviteLink(staff.page, 'resident')
    await joinByLink(b.page, link, '李阿姨')
    await joinByLink(c.page, link, '赵大爷')
    for (const device of [b, c]) {
      await openShiftsWeekOf(device.page, tomorrow)
      await shiftCard(device.page, '送餐上门').waitFor()
    }

    // Both phones go offline: the signaling server is down and both restart.
    await servers.stopSignaling()
    b = await b.restart()
    c = await c.restart()
    cleanup.add(b, (d) => d.dispose())
    cleanup.add(c, (d) => d.dispose())
    for (const device of [b, c]) {
      await device.page.goto(servers.appUrl)
      await openShiftsWeekOf(device.page, tomorrow)
      const card = shiftCard(device.page, '送餐上门')
      await card.locator('[data-testid=sign-up]').click()
      // Each phone alone believes it got the last place, and says it is not shared yet.
      await card.locator('text=您已报名').waitFor()
      await card.locator('[data-testid=not-shared]').waitFor()
    }

    await servers.restartSignaling()
    await waitForPeers(b.page, 2, 60_000)
    await waitForPeers(c.page, 2, 60_000)
    const statusOn = (page: typeof b.page) => shiftCard(page, '送餐上门').getAttribute('data-status')
    await expect.poll(async () => [await statusOn(b.page), await statusOn(c.page)].sort(), { timeout: 30_000 }).toEqual(['bumped', 'confirmed'])
    // Each sign-up is now held by the other phones, and they said so (their state
    // vectors cover it): "saved on this phone only" clears.
    for (const device of [b, c]) await shiftCard(device.page, '送餐上门').locator('[data-testid=not-shared]').waitFor({ state: 'detached', timeout: 30_000 })
    const coming = await Promise.all([b, c, staff].map(async (d) => {
      await openShiftsWeekOf(d.page, tomorrow)
      return shiftCard(d.page, '送餐上门').locator('[data-testid=coming]').textContent()
    }))
    expect(new Set(coming).size).toBe(1)
    // B signed up first (earlier HLC stamp), so B keeps the place.
    expect(coming[0]).toContain('李阿姨')
    expect(await statusOn(c.page)).toBe('bumped')
    await shiftCard(c.page, '送餐上门').locator('[data-testid=bumped-notice]').waitFor()
    await c.page.click('[data-testid=nav-today]')
    await c.page.locator('[data-testid=bumped-today]').waitFor()
  })

  it('a volunteer offers their place while offline; after meeting another takes it, and staff see who gave to whom', async () => {
    const servers = cleanup.add(await startServers(), (s) => s.stop())
    const staff = cleanup.add(await launchDevice('staff'), (d) => d.dispose())
    let b = await launchDevice('b')
    cleanup.add(b, (d) => d.dispose())
    const c = cleanup.add(await launchDevice('c'), (d) => d.dispose())

    const tomorrow = localDay(1)
    await volunteersOnShifts(servers, staff.page, b.page, c.page, ['送餐上门'], tomorrow)
    await shiftCard(c.page, '送餐上门').locator('[data-testid=coming]', { hasText: '李阿姨' }).waitFor({ timeout: 30_000 })

    // B is offline (the signaling server is down and B's browser restarts) and offers the place to anyone.
    await servers.stopSignaling()
    b = await b.restart()
    cleanup.add(b, (d) => d.dispose())
    await b.page.goto(servers.appUrl)
    await openShiftsWeekOf(b.page, tomorrow)
    const mine = shiftCard(b.page, '送餐上门')
    await mine.locator('[data-testid=offer-place]').click()
    await mine.locator('[data-testid=offer-anyone]').click()
    await mine.locator('[data-testid=my-offer]', { hasText: '有人接下之前，名额仍是您的' }).waitFor()
    expect(await peerCount(b.page)).toBe(0)
    const offeredOverChannel = await carriedBytes(c.page)

    await servers.restartSignaling()
    await waitForPeers(b.page, 2, 60_000)
    // C sees the offer arrive over a data channel and takes the place.
    const card = shiftCard(c.page, '送餐上门')
    await card.locator('[data-testid=place-on-offer]', { hasText: '李阿姨 让出一个名额' }).waitFor({ timeout: 30_000 })
    expect(await carriedBytes(c.page)).toBeGreaterThan(offeredOverChannel)
    await card.locator('[data-testid=take-place]').click()
    await card.locator('[data-testid=given-to-me]', { hasText: '李阿姨 把名额让给了您' }).waitFor()
    expect(await card.getAttribute('data-status')).toBe('confirmed')

    // B's place is C's now, on every device; staff see the history.
    await expect.poll(() => mine.getAttribute('data-status'), { timeout: 30_000 }).toBe('none')
    await mine.locator('[data-testid=my-offer]').waitFor({ state: 'detached' })
    await openShiftsWeekOf(staff.page, tomorrow)
    const staffCard = await staffSee(staff.page, '送餐上门', '赵大爷', '李阿姨 让给了 赵大爷')
    expect(await staffCard.locator('[data-testid=coming]').textContent()).not.toContain('李阿姨')
  })

  it('two volunteers swap places on two shifts: one proposes, the other agrees, and both cards and the history say so', async () => {
    const servers = cleanup.add(await startServers(), (s) => s.stop())
    const staff = cleanup.add(await launchDevice('staff'), (d) => d.dispose())
    const b = cleanup.add(await launchDevice('b'), (d) => d.dispose())
    const c = cleanup.add(await launchDevice('c'), (d) => d.dispose())
    const tomorrow = localDay(1)
    await volunteersOnShifts(servers, staff.page, b.page, c.page, ['送餐上门', '食堂帮厨'], tomorrow)
    await shiftCard(c.page, '食堂帮厨').locator('[data-testid=sign-up]').click()

    // B proposes: B's place on 送餐上门 for C's on 食堂帮厨.
    const bCard = shiftCard(b.page, '送餐上门')
    await shiftCard(b.page, '食堂帮厨').locator('[data-testid=coming]', { hasText: '赵大爷' }).waitFor({ timeout: 30_000 })
    await bCard.locator('[data-testid=offer-place]').click()
    const shiftChoice = bCard.locator('select[name=swap-shift]')
    await shiftChoice.selectOption({ label: (await shiftChoice.locator('option', { hasText: '食堂帮厨' }).textContent())! })
    await bCard.locator('select[name=swap-person]').selectOption({ label: '赵大爷' })
    await bCard.locator('[data-testid=propose-swap]').click()
    await bCard.locator('[data-testid=my-offer]', { hasText: '您提议与 赵大爷 换班' }).waitFor()

    // C sees the proposal on their own shift's card and agrees.
    const cCard = shiftCard(c.page, '食堂帮厨')
    await cCard.locator('[data-testid=swap-proposed]', { hasText: '李阿姨 想换班' }).waitFor({ timeout: 30_000 })
    await cCard.locator('[data-testid=accept-swap]').click()
    await expect.poll(() => cCard.getAttribute('data-status'), { timeout: 10_000 }).toBe('none')
    await shiftCard(c.page, '送餐上门').locator('[data-testid=given-to-me]', { hasText: '您与 李阿姨 换了班' }).waitFor()

    // B's phone hears of it: B is on 食堂帮厨 now, and no longer on 送餐上门.
    await shiftCard(b.page, '食堂帮厨').locator('[data-testid=given-to-me]', { hasText: '您与 赵大爷 换了班' }).waitFor({ timeout: 30_000 })
    expect(await bCard.getAttribute('data-status')).toBe('none')
    await openShiftsWeekOf(staff.page, tomorrow)
    for (const [title, coming] of [['送餐上门', '赵大爷'], ['食堂帮厨', '李阿姨']] as const) await staffSee(staff.page, title, coming, '换了班')
  })

  it('staff publish a weekly series, see a sign-up arrive from another browser, mark attendance and download the hours CSV', async () => {
    const servers = cleanup.add(await startServers(), (s) => s.stop())
    const staff = cleanup.add(await launchDevice('staff'), (d) => d.dispose())
    const volunteer = cleanup.add(await launchDevice('volunteer'), (d) => d.dispose())

    const today = localDay(0)
    const inTwoWeeks = localDay(14)
    await createCommunity(staff.page, servers, '王主任', '幸福里社区')
    await publishShift(staff.page, { title: '食堂帮厨', places: 3, weekly: { weekdays: [isoWeekday(today), (isoWeekday(today) % 7) + 1], until: inTwoWeeks } })
    await staff.page.locator('[role=status]', { hasText: '已发布' }).waitFor()

    const link = await inviteLink(staff.page, 'resident')
    await joinByLink(volunteer.page, link, '小刘')
    await volunteer.page.click('[data-testid=nav-shifts]')
    await volunteer.page.click(`[data-testid=day-filter] [data-value="${today}"]`)
    await shiftCard(volunteer.page, '食堂帮厨').locator('[data-testid=sign-up]').click()
    await shiftCard(volunteer.page, '食堂帮厨').locator('text=您已报名').waitFor()

    await staff.page.click('[data-testid=nav-shifts]')
    await staff.page.click(`[data-testid=day-filter] [data-value="${today}"]`)
    const card = shiftCard(staff.page, '食堂帮厨')
    await card.locator('[data-testid=coming]', { hasText: '小刘' }).waitFor({ timeout: 30_000 })
    await card.locator('summary').click()
    await card.locator('[data-testid=attendance-row][data-volunteer="小刘"] button', { hasText: '到岗' }).click()

    await staff.page.click('[data-testid=hours-report] summary')
    await staff.page.locator('[data-testid=hours-table]', { hasText: '小刘' }).waitFor()
    const [download] = await Promise.all([staff.page.waitForEvent('download'), staff.page.click('[data-testid=export-hours]')])
    const csv = readFileSync((await download.path())!, 'utf8')
    expect(csv.charCodeAt(0)).toBe(0xfeff)
    const lines = csv.slice(1).trim().split('\r\n')
    expect(lines[0]).toBe('志愿者,到岗次数,服务时长（小时）')
    expect(lines[1]).toBe('小刘,1,2.5')

    // The volunteer's own hours reach their phone too.
    await volunteer.page.click('[data-testid=nav-me]')
    await volunteer.page.locator('[data-testid=hours-month]', { hasText: '2.5' }).waitFor({ timeout: 30_000 })
    await volunteer.page.click('[data-testid=count-year]')
    await volunteer.page.locator('[data-testid=hours-year]', { hasText: '2.5' }).waitFor()

    // Staff cancel tomorrow's occurrence; the volunteer signed up for it hears on Today.
    const tomorrow = localDay(1)
    await openShiftsWeekOf(volunteer.page, tomorrow)
    await volunteer.page.click(`[data-testid=day-filter] [data-value="${tomorrow}"]`)
    await shiftCard(volunteer.page, '食堂帮厨').locator('[data-testid=sign-up]').click()
    await openShiftsWeekOf(staff.page, tomorrow)
    await staff.page.click(`[data-testid=day-filter] [data-value="${tomorrow}"]`)
    const tomorrowCard = shiftCard(staff.page, '食堂帮厨')
    await tomorrowCard.locator('[data-testid=coming]', { hasText: '小刘' }).waitFor({ timeout: 30_000 })
    await tomorrowCard.locator('summary').click()
    await tomorrowCard.locator('[data-testid=cancel-shift]').click()
    await staff.page.fill('[role=dialog] input[name=reason]', '食堂检修')
    await staff.page.click('[role=dialog] button:has-text("取消岗位")')
    await tomorrowCard.locator('[data-testid=shift-cancelled]', { hasText: '食堂检修' }).waitFor()
    await volunteer.page.click('[data-testid=nav-today]')
    await volunteer.page.locator('[data-testid=my-shift][data-status=cancelled]', { hasText: '食堂帮厨' }).waitFor({ timeout: 30_000 })
  })
})
