import { afterEach, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { launchDevice, startServers, withCleanup } from './harness'
import { createCommunity, dataChannelBytes, inviteLink, joinByLink, storedText, waitForPeers } from './journeys'

const cleanup = withCleanup()
afterEach(() => cleanup.run())

const concernCard = (page: Page, text: string) => page.locator('[data-testid=concern-card]', { hasText: text })

async function openConcerns(page: Page) {
  await page.click('[data-testid=nav-aid]')
  await page.click('[data-testid=aid-section] [data-value=concerns]')
  await page.locator('[data-testid=concerns]').waitFor()
}

/** One step on a concern card: open its form, fill what it asks, save, and wait until it is kept. */
async function takeStep(page: Page, text: string, step: string, fill: (form: ReturnType<Page['locator']>) => Promise<void>) {
  const card = concernCard(page, text)
  await card.locator(`[data-testid=concern-${step}]`).click()
  const form = card.locator('[data-testid=concern-step-form]')
  await fill(form)
  await form.locator('[data-testid=concern-step-save]').click()
  await card.locator('[data-testid=concern-done]', { hasText: /\S/ }).waitFor()
  await expect.poll(() => card.locator('[data-testid=concern-done]').innerText()).not.toBe('正在保存…')
}

describe('residents’ concerns', () => {
  it('a broken light reported offline is taken up and passed up by staff, seen step by step, rated and counted', async () => {
    const servers = cleanup.add(await startServers(), (s) => s.stop())
    const staff = cleanup.add(await launchDevice('staff'), (d) => d.dispose())
    let resident = cleanup.add(await launchDevice('resident'), (d) => d.dispose())
    await createCommunity(staff.page, servers, '王主任', '幸福里社区')
    await joinByLink(resident.page, await inviteLink(staff.page, 'resident'), '李阿姨')
    await waitForPeers(resident.page, 1)

    // No connection: the resident reports it all the same.
    await servers.stopSignaling()
    resident = cleanup.add(await resident.restart(), (d) => d.dispose())
    await resident.page.goto(servers.appUrl)
    await openConcerns(resident.page)
    await resident.page.click('[data-testid=report-concern]')
    const form = resident.page.locator('[data-testid=concern-form]')
    await form.locator('[data-testid=concern-category] [data-value=repairs]').click()
    await form.locator('textarea[name=what]').fill('3号楼二楼楼道灯坏了，晚上看不见')
    // A door number is refused in plain words, and nothing is written.
    await form.locator('input[name=where]').fill('3号楼2单元201')
    await form.locator('button[type=submit]').click()
    await form.locator('text=这里只写网格或楼号').waitFor()
    expect(await resident.page.locator('[data-testid=concern-card]').count()).toBe(0)
    await form.locator('input[name=where]').fill('3号楼')
    // A photo from the phone's camera, far larger than one may be: shrunk on the phone.
    const png = await resident.page.evaluate(() => {
      const canvas = document.createElement('canvas')
      canvas.width = 3000
      canvas.height = 2000
      const g = canvas.getContext('2d')!
      for (let i = 0; i < 3000; i += 10) {
        g.fillStyle = `hsl(${i % 360} 70% ${30 + (i % 40)}%)`
        g.fillRect(i, 0, 10, 2000)
      }
      return canvas.toDataURL('image/png').split(',')[1]!
    })
    await form.locator('[data-testid=concern-photo-input]').setInputFiles({ name: 'light.png', mimeType: 'image/png', buffer: Buffer.from(png, 'base64') })
    await form.locator('[data-testid=concern-photo-preview]').waitFor()
    await form.locator('button[type=submit]').click()
    const card = concernCard(resident.page, '楼道灯坏了')
    await card.waitFor()
    expect(await card.getAttribute('data-state')).toBe('new')

    // Met again, staff take it up and pass it up to the street office.
    await servers.restartSignaling()
    await waitForPeers(resident.page, 1, 60_000)
    await openConcerns(staff.page)
    await concernCard(staff.page, '楼道灯坏了').waitFor({ timeout: 30_000 })
    // The photo came with it, at most 1280 pixels wide and 300 KB.
    const photo = concernCard(staff.page, '楼道灯坏了').locator('[data-testid=concern-photo]')
    await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: 30_000 }).toBe(1280)
    const bytes = await photo.evaluate((img: HTMLImageElement) => (img.src.length - 'data:image/jpeg;base64,'.length) * 0.75)
    expect(bytes).toBeLessThanOrEqual(300 * 1024)
    const before = await dataChannelBytes(staff.page)
    expect(before.received).toBeGreaterThan(0)
    await takeStep(staff.page, '楼道灯坏了', 'accept', async (f) => {
      await f.locator('input[name=assignee]').fill('王主任')
    })
    await takeStep(staff.page, '楼道灯坏了', 'passUp', async (f) => {
      await f.locator('input[name=to]').fill('街道城管科')
      await f.locator('textarea[name=step-note]').fill('位置和情况说明')
    })
    // The hand-off sheet prints what was sent, where and when.
    await concernCard(staff.page, '楼道灯坏了').locator('[data-testid=print-handoff]').click()
    await staff.page.locator('[data-testid=concerns-print-handoff]', { hasText: '街道城管科' }).waitFor()
    await staff.page.goBack()
    await openConcerns(staff.page)
    await takeStep(staff.page, '楼道灯坏了', 'resolve', async (f) => {
      await f.locator('textarea[name=step-note]').fill('街道已派电工换了灯')
    })

    // The resident sees every step on their own phone, confirms and rates.
    await expect.poll(() => card.getAttribute('data-state'), { timeout: 30_000 }).toBe('resolved')
    expect(await card.locator('[data-testid=concern-history] li').allInnerTexts()).toEqual([
      expect.stringContaining('王主任 受理'),
      expect.stringContaining('转办到 街道城管科'),
      expect.stringContaining('处理完毕：街道已派电工换了灯'),
    ])
    await takeStep(resident.page, '楼道灯坏了', 'rate', async (f) => {
      await f.locator('[data-testid=concern-solved] [data-value=yes]').click()
      await f.locator('[data-testid=concern-satisfaction] [data-value=satisfied]').click()
    })
    expect(await card.getAttribute('data-state')).toBe('closed')

    // The month's figures on the staff phone count it: received, responded, passed up, finished.
    // Finished, it leaves staff's to-do list and shows under All.
    await concernCard(staff.page, '楼道灯坏了').waitFor({ state: 'detached', timeout: 30_000 })
    await staff.page.click('[data-testid=concerns-view] [data-value=all]')
    expect(await concernCard(staff.page, '楼道灯坏了').getAttribute('data-state')).toBe('closed')
    await staff.page.click('[data-testid=concerns-view] [data-value=report]')
    const total = staff.page.locator('[data-testid=concerns-table] tr[data-row=合计] td')
    expect(await total.allInnerTexts()).toEqual(['合计', '1', '1', '1', '1', '1', '1', '1', '100%', '100%', '100%', '100%'])

    // And the community's month (Me, staff) counts it among everything else.
    await staff.page.click('[data-testid=nav-me]')
    await staff.page.click('[data-testid=open-month]')
    const row = (key: string) => staff.page.locator(`[data-testid=month-table] tr[data-row="${key}"] td`).last().innerText()
    expect([await row('month.concernsReceived'), await row('month.concernsFinished'), await row('month.concernsFinish'), await row('month.concernsPassedUp')]).toEqual(['1', '1', '100%', '1'])
    expect(await row('month.aidReceived')).toBe('0')
    expect(await row('month.aidFinishRate')).toBe('—')
  })

  it('a private concern is read by staff and its reporter only: another resident’s phone holds none of it', async () => {
    const servers = cleanup.add(await startServers(), (x) => x.stop())
    const staff = cleanup.add(await launchDevice('staff'), (d) => d.dispose())
    const reporter = cleanup.add(await launchDevice('reporter'), (d) => d.dispose())
    const neighbour = cleanup.add(await launchDevice('neighbour'), (d) => d.dispose())
    await createCommunity(staff.page, servers, '王主任', '幸福里社区')
    const link = await inviteLink(staff.page, 'resident')
    await joinByLink(reporter.page, link, '刘阿姨')
    await joinByLink(neighbour.page, link, '赵大爷')
    await waitForPeers(reporter.page, 2)

    await openConcerns(reporter.page)
    await reporter.page.click('[data-testid=report-concern]')
    const form = reporter.page.locator('[data-testid=concern-form]')
    await form.locator('[data-testid=concern-category] [data-value=dispute]').click()
    await form.locator('textarea[name=what]').fill('楼上邻居喝醉了常打骂家里老人')
    await form.locator('input[name=where]').fill('7号楼')
    await form.locator('[data-testid=concern-private]').check()
    // Sealed to staff's drop box, which reaches this phone once the staff phone has published it.
    await expect.poll(() => reporter.page.evaluate(() => (window as any).neighbours.session.canteen.settings.byId.dropbox !== undefined), { timeout: 60_000 }).toBe(true)
    await form.locator('button[type=submit]').click()
    await reporter.page.locator('[data-testid=concern-card][data-state=new]').waitFor()
    const mine = reporter.page.locator('[data-testid=concern-card]').first()
    await mine.locator('[data-testid=concern-what]', { hasText: '打骂家里老人' }).waitFor()

    // Staff read it and answer; the answer is sealed too.
    await openConcerns(staff.page)
    const onStaff = staff.page.locator('[data-testid=concern-card]').first()
    await onStaff.locator('[data-testid=concern-what]', { hasText: '打骂家里老人' }).waitFor({ timeout: 60_000 })
    await onStaff.locator('[data-testid=concern-answer]').click()
    await onStaff.locator('textarea[name=step-note]').fill('已请派出所民警和网格员一起上门')
    await onStaff.locator('[data-testid=concern-step-save]').click()
    await mine.locator('[data-testid=concern-outcome]', { hasText: '派出所民警' }).waitFor({ timeout: 60_000 })

    // The neighbour's phone holds the concern (it is in the public space) and none of its words.
    await expect.poll(() => neighbour.page.evaluate(() => (window as any).neighbours.session.publicSpace.docs.getMap('concernEvents').size), { timeout: 60_000 }).toBe(1)
    const stored = await storedText(neighbour.page)
    for (const text of ['打骂家里老人', '7号楼', '派出所民警']) expect(stored).not.toContain(text)
  })
  it('staff keep the list of categories: one of their own added, one taken off; the resident chooses from it and the report counts it', async () => {
    const servers = cleanup.add(await startServers(), (x) => x.stop())
    const staff = cleanup.add(await launchDevice('staff'), (d) => d.dispose())
    const resident = cleanup.add(await launchDevice('resident'), (d) => d.dispose())
    await createCommunity(staff.page, servers, '王主任', '幸福里社区')
    await joinByLink(resident.page, await inviteLink(staff.page, 'resident'), '李阿姨')
    await waitForPeers(resident.page, 1)

    await openConcerns(staff.page)
    await staff.page.click('[data-testid=concerns-view] [data-value=categories]')
    await staff.page.fill('input[name=category-name]', '电梯加装')
    await staff.page.click('[data-testid=add-category]')
    await staff.page.locator('[data-testid=concern-category-row][data-name=电梯加装][data-on=yes]').waitFor()
    await staff.page.locator('[data-testid=concern-category-row][data-name=治安] button').click()
    await staff.page.locator('[data-testid=concern-category-row][data-name=治安][data-on=no]').waitFor()

    await openConcerns(resident.page)
    await resident.page.click('[data-testid=report-concern]')
    const chips = resident.page.locator('[data-testid=concern-form] [data-testid=concern-category]')
    await chips.locator('button', { hasText: '电梯加装' }).click({ timeout: 30_000 })
    expect(await chips.locator('button', { hasText: '治安' }).count()).toBe(0)
    await resident.page.fill('[data-testid=concern-form] textarea[name=what]', '5号楼想加装电梯，请社区组织协商')
    await resident.page.fill('[data-testid=concern-form] input[name=where]', '5号楼')
    await resident.page.click('[data-testid=concern-form] button[type=submit]')
    await concernCard(resident.page, '加装电梯').locator('text=电梯加装').waitFor()

    await staff.page.click('[data-testid=concerns-view] [data-value=report]')
    const row = staff.page.locator('[data-testid=concerns-table] tr[data-row=电梯加装] td')
    await expect.poll(() => row.nth(1).innerText(), { timeout: 30_000 }).toBe('1')
  })
})
