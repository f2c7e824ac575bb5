import { afterEach, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { launchDevice, startServers, withCleanup, type Device } from './harness'
import { readFileSync } from 'node:fs'
import { aidCard, postAidRequest, chooseRole, createCommunity, inviteLink, joinByLink, localDay, storedText, waitForPeers } from './journeys'

const cleanup = withCleanup()
afterEach(() => cleanup.run())

/** Staff add a service to the 代办 point's list (on its errands section). */
async function addService(page: Page, name: string, serviceClass: string, materials: string, takesDays: string, { sensitive = false } = {}) {
  await page.click('[data-testid=add-service]')
  await page.fill('[data-testid=service-form] input[name=service-name]', name)
  await page.click(`[data-testid=service-form] [data-testid=service-class] [data-value=${serviceClass}]`)
  await page.fill('[data-testid=service-form] textarea[name=service-materials]', materials)
  await page.fill('[data-testid=service-form] input[name=service-takes]', takesDays)
  if (sensitive) await page.check('[data-testid=service-form] input[name=service-sensitive]')
  await page.click('[data-testid=service-form] button[type=submit]')
  await page.locator(`[data-testid=service][data-name="${name}"]`).waitFor()
}

/** Staff appoint a member as 代办员, once their phone has been heard from. */
async function appointAgent(page: Page, name: string, phone: string) {
  await expect.poll(() => page.locator('[data-testid=agent-form] select[name=agent-person] option').allTextContents(), { timeout: 30_000 }).toContain(name)
  await page.locator('[data-testid=agent-form] select[name=agent-person]').selectOption({ label: name })
  await page.fill('[data-testid=agent-form] input[name=agent-phone]', phone)
  await page.click('[data-testid=appoint-agent]')
  await page.locator(`[data-testid=agent][data-name="${name}"]`).waitFor()
}

describe('mutual aid: order, take, done, rated', () => {
  it('a need posted offline, taken by two volunteers apart, ends with one taker, done, rated and counted', async () => {
    const servers = cleanup.add(await startServers(), (s) => s.stop())
    const staff = cleanup.add(await launchDevice('staff'), (d) => d.dispose())
    const devices: Record<'resident' | 'v1' | 'v2', Device> = {
      resident: await launchDevice('resident'),
      v1: await launchDevice('v1'),
      v2: await launchDevice('v2'),
    }
    cleanup.add(devices, (all) => Promise.all(Object.values(all).map((d) => d.dispose())))
    const restart = async (name: keyof typeof devices) => {
      devices[name] = await devices[name].restart()
      await devices[name].page.goto(servers.appUrl)
      return devices[name].page
    }

    await createCommunity(staff.page, servers, '王主任', '幸福里社区')
    const link = await inviteLink(staff.page, 'resident')
    await joinByLink(devices.resident.page, link, '张大爷')
    await joinByLink(devices.v1.page, link, '小刘')
    await joinByLink(devices.v2.page, link, '小陈')
    await chooseRole(devices.v1.page, 'volunteer')
    await chooseRole(devices.v2.page, 'volunteer')

    // The resident posts a need with no connection.
    await servers.stopSignaling()
    const resident = await restart('resident')
    await postAidRequest(resident, '需要一口新炒锅', '3号楼')
    await aidCard(resident, '需要一口新炒锅').locator('[data-testid=not-shared]').waitFor()
    // While nobody has taken it, the requester may still change it.
    await aidCard(resident, '需要一口新炒锅').locator('[data-testid=edit-aid]').click()
    await aidCard(resident, '需要一口新炒锅').locator('[data-testid=aid-form] textarea[name=details]').fill('旧锅漏了，要能炒菜的')
    await aidCard(resident, '需要一口新炒锅').locator('[data-testid=aid-form] button[type=submit]').click()
    await aidCard(resident, '需要一口新炒锅').locator('text=旧锅漏了，要能炒菜的').waitFor()
    await servers.restartSignaling()
    for (const name of ['v1', 'v2'] as const) {
      await devices[name].page.click('[data-testid=nav-aid]')
      await aidCard(devices[name].page, '需要一口新炒锅').locator('text=旧锅漏了，要能炒菜的').waitFor({ timeout: 60_000 })
    }

    // Both volunteers take it while apart from each other.
    await servers.stopSignaling()
    for (const name of ['v1', 'v2'] as const) {
      const page = await restart(name)
      await page.click('[data-testid=nav-aid]')
      await aidCard(page, '需要一口新炒锅').locator('[data-testid=take]').click()
      await page.click('[data-testid=aid-section] [data-value=mine]')
      await aidCard(page, '需要一口新炒锅').locator('text=您接了这一单').waitFor()
    }
    await servers.restartSignaling()
    await waitForPeers(devices.v1.page, 3, 60_000)
    await waitForPeers(devices.v2.page, 3, 60_000)

    const takerOn = (name: 'v1' | 'v2') => aidCard(devices[name].page, '需要一口新炒锅').locator('[data-testid=aid-taker]').textContent()
    await expect.poll(async () => [await takerOn('v1'), await takerOn('v2')], { timeout: 30_000 }).toEqual(['接单人：小刘', '接单人：小刘'])
    await aidCard(devices.v2.page, '需要一口新炒锅').locator('[data-testid=lost-take]').waitFor()

    // The taker reports it done; the resident confirms and rates it.
    const v1 = devices.v1.page
    await aidCard(v1, '需要一口新炒锅').locator('[data-testid=mark-done]').click()
    await v1.fill('[data-testid=aid-note-form] textarea[name=note]', '新锅已送到家')
    await v1.click('[data-testid=aid-note-form] button[type=submit]')
    await resident.click('[data-testid=aid-section] [data-value=mine]')
    const card = aidCard(resident, '需要一口新炒锅')
    await card.locator('[data-testid=confirm-done]').click({ timeout: 30_000 })
    await card.locator('[data-testid=aid-stars] [data-value="5"]').click()
    await card.locator('input[name=comment]').fill('谢谢小刘')
    await card.locator('[data-testid=aid-confirm-form] button[type=submit]').click()
    await card.locator('[data-testid=aid-state]', { hasText: '已办结' }).waitFor()

    // Staff see it counted.
    await staff.page.click('[data-testid=nav-aid]')
    await staff.page.click('[data-testid=aid-section] [data-value=overview]')
    await staff.page.locator('[data-testid=aid-completion]', { hasText: '100%' }).waitFor({ timeout: 30_000 })
    expect(await staff.page.textContent('[data-testid=aid-total]')).toContain('1')
    expect(await staff.page.textContent('[data-testid=aid-satisfaction]')).toContain('100%')
  })

  it('a family member posts for an elder; staff dispatch it; it waits on the volunteer’s Today until accepted, then is done and confirmed', async () => {
    const servers = cleanup.add(await startServers(), (x) => x.stop())
    const staff = cleanup.add(await launchDevice('staff'), (d) => d.dispose())
    const family = cleanup.add(await launchDevice('family'), (d) => d.dispose())
    const volunteer = cleanup.add(await launchDevice('volunteer'), (d) => d.dispose())
    await createCommunity(staff.page, servers, '王主任', '幸福里社区')
    const link = await inviteLink(staff.page, 'resident')
    await joinByLink(family.page, link, '张小明')
    await joinByLink(volunteer.page, link, '小刘')
    await chooseRole(volunteer.page, 'volunteer')

    // A resident (not a volunteer) posts on behalf of his mother.
    await family.page.click('[data-testid=nav-aid]')
    await family.page.click('[data-testid=post-aid]')
    await family.page.fill('[data-testid=aid-form] input[name=title]', '帮我妈买降压药')
    await family.page.fill('[data-testid=aid-form] input[name=where]', '5号楼')
    await family.page.fill('[data-testid=aid-form] input[name=forName]', '张奶奶')
    await family.page.click('[data-testid=aid-form] button[type=submit]')
    await aidCard(family.page, '帮我妈买降压药').waitFor()

    // Staff offer it to the volunteer: offered, not taken.
    await staff.page.click('[data-testid=nav-aid]')
    const staffCard = aidCard(staff.page, '帮我妈买降压药')
    await staffCard.locator('[data-testid=dispatch]').click({ timeout: 30_000 })
    await expect.poll(() => staffCard.locator('select[name=volunteer] option').allTextContents(), { timeout: 30_000 }).toContain('小刘')
    await staffCard.locator('select[name=volunteer]').selectOption({ label: '小刘' })
    await staffCard.locator('button:has-text("派单")').last().click()
    // Offered, it leaves the open list and is among what staff acted on.
    await staffCard.waitFor({ state: 'detached' })
    await staff.page.click('[data-testid=aid-section] [data-value=mine]')
    expect(await staffCard.getAttribute('data-state')).toBe('offered')
    expect(await staffCard.locator('[data-testid=aid-offered]').textContent()).toBe('已派给 小刘，等待对方接单')

    // It shows on the volunteer's Today; accepted there, it is theirs.
    await volunteer.page.click('[data-testid=nav-today]')
    const onToday = volunteer.page.locator('[data-testid=aid-for-me]').locator('[data-testid=aid-card]', { hasText: '帮我妈买降压药' })
    await onToday.locator('[data-testid=aid-offered]', { hasText: '派给了您' }).waitFor({ timeout: 30_000 })
    await onToday.locator('[data-testid=accept-dispatch]').click()
    await expect.poll(() => onToday.getAttribute('data-state')).toBe('taken')
    await onToday.locator('[data-testid=mark-done]').click()
    await onToday.locator('[data-testid=aid-note-form] textarea[name=note]').fill('药已送到')
    await onToday.locator('[data-testid=aid-note-form] button[type=submit]').click()

    // The family member sees it done, waiting for his confirmation, and confirms.
    await family.page.click('[data-testid=aid-section] [data-value=mine]')
    const familyCard = aidCard(family.page, '帮我妈买降压药')
    await expect.poll(() => familyCard.getAttribute('data-state'), { timeout: 30_000 }).toBe('done')
    expect(await familyCard.locator('[data-testid=aid-taker]').textContent()).toBe('派给：小刘')
    await familyCard.locator('[data-testid=confirm-done]').click()
    await familyCard.locator('[data-testid=aid-stars] [data-value="5"]').click()
    await familyCard.locator('[data-testid=aid-confirm-form] button[type=submit]').click()
    await expect.poll(() => staffCard.getAttribute('data-state'), { timeout: 30_000 }).toBe('closed')
  })

  it('the 代办 point: a service from its list, an errand dispatched to the 代办员 staff appointed, passed on, done, its receipt back, the ledger row whole', async () => {
    const servers = cleanup.add(await startServers(), (x) => x.stop())
    const staff = cleanup.add(await launchDevice('staff'), (d) => d.dispose())
    const agent = cleanup.add(await launchDevice('agent'), (d) => d.dispose())
    await createCommunity(staff.page, servers, '王主任', '幸福里社区')
    await joinByLink(agent.page, await inviteLink(staff.page, 'resident'), '李代办')
    await chooseRole(agent.page, 'volunteer')
    const page = staff.page

    // The list of services, and the agent staff appoint.
    await page.click('[data-testid=nav-aid]')
    await page.click('[data-testid=aid-section] [data-value=errands]')
    await addService(page, '养老金资格认证', 'socialSecurity', '身份证\n户口本', '5')
    await appointAgent(page, '李代办', '13900001111')

    // A walk-in: choosing the service fills the materials and the due date.
    await page.click('[data-testid=post-aid]')
    await page.click('[data-testid=aid-form] [data-testid=aid-category] [data-value=paperwork]')
    await page.locator('[data-testid=aid-form] select[name=service]').selectOption({ label: '养老金资格认证' })
    expect(await page.inputValue('[data-testid=aid-form] textarea[name=materials]')).toBe('身份证\n户口本')
    expect(await page.inputValue('[data-testid=aid-form] input[name=title]')).toBe('养老金资格认证')
    expect(await page.inputValue('[data-testid=aid-form] input[name=due]')).toBe(localDay(5))
    await page.fill('[data-testid=aid-form] input[name=where]', '5号楼')
    await page.fill('[data-testid=aid-form] input[name=forName]', '赵奶奶')
    await page.click('[data-testid=aid-form] button[type=submit]')
    await page.click('[data-testid=aid-section] [data-value=browse]')
    const card = aidCard(page, '养老金资格认证')
    const number = (await card.locator('[data-testid=aid-number]').textContent())!.replace(/^编号：/, '')

    // Dispatched to the agent, accepted on the agent's Today, passed on and done there.
    await card.locator('[data-testid=dispatch]').click()
    expect(await card.locator('select[name=volunteer] option').allTextContents()).toEqual(['—', '王主任', '李代办'])
    await card.locator('select[name=volunteer]').selectOption({ label: '李代办' })
    await card.locator('button:has-text("派单")').last().click()
    const onToday = agent.page.locator('[data-testid=aid-for-me] [data-testid=aid-card]', { hasText: '养老金资格认证' })
    await agent.page.click('[data-testid=nav-today]')
    await onToday.locator('[data-testid=accept-dispatch]').click({ timeout: 30_000 })
    await onToday.locator('[data-testid=passed-on]').click()
    await onToday.locator('[data-testid=aid-passed-on]').waitFor()
    await onToday.locator('[data-testid=mark-done]').click()
    await onToday.locator('[data-testid=aid-note-form] textarea[name=note]').fill('认证通过')
    await onToday.locator('[data-testid=aid-note-form] button[type=submit]').click()

    // The slip names the agent and their phone; staff collect the receipt back.
    await page.click('[data-testid=aid-section] [data-value=mine]')
    await expect.poll(() => card.getAttribute('data-state'), { timeout: 30_000 }).toBe('done')
    await card.locator('a[href^="#/slip"]').click()
    expect(await page.locator('[data-testid=slip-agent]').first().textContent()).toContain('13900001111')
    expect(await page.locator('[data-testid=slip-part]').last().textContent()).toContain('存根（代办点留存）')
    await page.goBack()
    await page.click('[data-testid=aid-section] [data-value=mine]')
    await card.locator('[data-testid=receipt-back]').click()
    await card.locator('[data-testid=aid-receipt]', { hasText: '回执已收回' }).waitFor()

    // The ledger shows the whole row, and its CSV holds it.
    await page.click('[data-testid=aid-section] [data-value=errands]')
    const row = page.locator(`[data-testid=ledger-table] tr[data-number="${number}"] td`)
    expect(await row.allInnerTexts()).toEqual([number, localDay(), '赵奶奶', '养老金资格认证', '李代办', localDay(), localDay(), '认证通过', localDay()])
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=ledger-csv]')])
    const csv = readFileSync((await download.path())!, 'utf8')
    expect(csv).toContain([number, localDay(), '赵奶奶', '养老金资格认证', '李代办', localDay(), localDay(), '认证通过', localDay()].join(','))
  })

  it('a private 低保 errand: staff and the 代办员 read it, another resident holds none of it; its receipt back, the ledger row whole', async () => {
    const servers = cleanup.add(await startServers(), (x) => x.stop())
    const staff = cleanup.add(await launchDevice('staff'), (d) => d.dispose())
    const agent = cleanup.add(await launchDevice('agent'), (d) => d.dispose())
    const neighbour = cleanup.add(await launchDevice('neighbour'), (d) => d.dispose())
    await createCommunity(staff.page, servers, '王主任', '幸福里社区')
    const link = await inviteLink(staff.page, 'resident')
    await joinByLink(agent.page, link, '李代办')
    await joinByLink(neighbour.page, link, '赵大爷')
    await waitForPeers(neighbour.page, 2)
    const page = staff.page

    // A service marked private, and the agent staff appoint.
    await page.click('[data-testid=nav-aid]')
    await page.click('[data-testid=aid-section] [data-value=errands]')
    await page.locator('[data-testid=private-no-service]').waitFor()
    await addService(page, '低保申请', 'welfare', '户口本\n收入证明', '20', { sensitive: true })
    await appointAgent(page, '李代办', '13900001111')

    // Registered at the point: the service fills in the materials and the due date.
    const form = page.locator('[data-testid=private-errand-form]')
    await form.locator('select[name=private-service]').selectOption({ label: '低保申请（隐私）' })
    expect(await form.locator('textarea[name=private-materials]').inputValue()).toBe('户口本\n收入证明')
    expect(await form.locator('input[name=private-due]').inputValue()).toBe(localDay(20))
    await form.locator('input[name=private-phone]').fill('call me')
    await form.locator('input[name=private-applicant]').fill('周秀英')
    await form.locator('[data-testid=register-private]').click()
    await form.locator('[role=alert]', { hasText: '电话' }).waitFor()
    await form.locator('input[name=private-phone]').fill('13712345678')
    await form.locator('input[name=private-address]').fill('5号楼2单元301')
    await form.locator('textarea[name=private-note]').fill('腿脚不便，请上门取材料')
    await form.locator('[data-testid=register-private]').click()
    const said = (await form.locator('[role=status]', { hasText: '已登记' }).textContent())!
    const number = /DB\S+/.exec(said)![0]
    const row = page.locator(`[data-testid=private-errand][data-number="${number}"]`)
    await row.locator('select[name=private-agent]').selectOption({ label: '李代办' })
    await row.locator('[data-testid=dispatch-private]').click()
    await row.locator('[role=status]', { hasText: '已加密发给 李代办' }).waitFor({ timeout: 30_000 })
    expect(await row.getAttribute('data-state')).toBe('dispatched')

    // The agent's Today: the applicant's phone to call, passed on, finished.
    await agent.page.click('[data-testid=nav-today]')
    const onToday = agent.page.locator(`[data-testid=my-private-errand][data-number="${number}"]`)
    await onToday.waitFor({ timeout: 60_000 })
    expect(await onToday.locator('[data-testid=applicant-phone]').getAttribute('href')).toBe('tel:13712345678')
    expect(await onToday.textContent()).toContain('5号楼2单元301')
    await onToday.locator('[data-testid=private-passed-on]').click()
    await onToday.locator('text=已送办').waitFor()
    await onToday.locator('input[name=private-result]').fill('已受理，等待审批')
    await onToday.locator('[data-testid=private-finished]').click()
    await onToday.locator('text=已办结：已受理，等待审批').waitFor()

    // Staff collect the receipt back; the ledger shows the whole row, and its CSV holds it.
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 60_000 }).toBe('finished')
    await row.locator('[data-testid=private-receipt-back]').click()
    await row.locator('[role=status]', { hasText: '已记录回执收回' }).waitFor()
    const whole = [number, localDay(), '周秀英', '低保申请（隐私）', '李代办', localDay(), localDay(), '已受理，等待审批', localDay()]
    await expect.poll(() => page.locator(`[data-testid=ledger-table] tr[data-number="${number}"] td`).allInnerTexts()).toEqual(whole)
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=ledger-csv]')])
    expect(readFileSync((await download.path())!, 'utf8')).toContain(whole.join(','))

    // The neighbour's phone holds the sealed share and the agent's sealed replies (they crossed to it), and none of the errand.
    await expect.poll(() => neighbour.page.evaluate(() => (window as any).neighbours.session.publicSpace.docs.getMap('shareReplies').size), { timeout: 60_000 }).toBe(2)
    const stored = await storedText(neighbour.page)
    for (const text of ['周秀英', '13712345678', '5号楼2单元301', '腿脚不便', '等待审批']) expect(stored).not.toContain(text)
    await neighbour.page.click('[data-testid=nav-today]')
    expect(await neighbour.page.locator('[data-testid=my-private-errand]').count()).toBe(0)
  })

  it('staff register an errand (代办) and print its slip: a receipt and a stub with the same number', async () => {
    const servers = cleanup.add(await startServers(), (x) => x.stop())
    const staff = cleanup.add(await launchDevice('staff'), (d) => d.dispose())
    const page = staff.page
    await createCommunity(page, servers, '王主任', '幸福里社区')
    await postAidRequest(page, '代办养老金认证', '5号楼', 'paperwork')
    const number = await aidCard(page, '代办养老金认证').locator('[data-testid=aid-number]').textContent()
    await aidCard(page, '代办养老金认证').locator('a[href^="#/slip"]').click()
    await page.locator('[data-testid=slip-part]').first().waitFor()
    expect(await page.locator('[data-testid=slip-part]').count()).toBe(2)
    expect(await page.locator('[data-testid=slip-number]').allTextContents()).toEqual([number, number])
    await page.click('[data-testid=slip] button:has-text("返回")')
    await aidCard(page, '代办养老金认证').waitFor()
  })
})

