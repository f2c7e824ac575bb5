import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { launchDevice, startHubProcess, startServers, withCleanup, type Device } from './harness'
import { aidCard, postAidRequest, createCommunity, dataChannelBytes, inviteLink, joinByLink, localDay, openShiftsWeekOf, peerCount, publishShift, shiftCard, waitForPeers } from './journeys'
import { communityFolder } from '../../src/hub/text'

// Reach: a change gets to every device that needs it, not only to phones that happen
// to show the same month at the same moment.

const cleanup = withCleanup()
afterEach(() => cleanup.run())

/** The months this page's device has stored for the public space (its databases), read from the browser. */
async function storedMonths(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const store: string = (window as any).neighbours.session.publicSpace.store
    const prefix = `neighbours-${store}.`
    return (await indexedDB.databases()).flatMap((db) => (db.name?.startsWith(prefix) ? [db.name.slice(prefix.length)] : [])).sort()
  })
}

const monthOf = (day: string) => day.slice(0, 7)

/** A joins while only the hub is online, posts a help request, sees the hub confirm holding it ("on this phone only" clears), and goes off. */
async function writeWithOnlyTheHub(link: string) {
  const a = cleanup.add(await launchDevice('a'), (d) => d.dispose())
  await joinByLink(a.page, link, '李阿姨')
  await waitForPeers(a.page, 1)
  await postAidRequest(a.page, '需要一口新炒锅', '3号楼')
  await aidCard(a.page, '需要一口新炒锅').locator('[data-testid=not-shared]').waitFor({ state: 'detached', timeout: 30_000 })
  await a.close()
}

/** B comes online for the first time, when A is long gone, and sees A's request: the hub passed it on. */
async function newcomerSeesIt(link: string) {
  const b = cleanup.add(await launchDevice('b'), (d) => d.dispose())
  await joinByLink(b.page, link, '赵大爷')
  await b.page.click('[data-testid=nav-aid]')
  await aidCard(b.page, '需要一口新炒锅').waitFor({ timeout: 30_000 })
}

describe('reach', () => {
  it('a shift published two months ahead while a volunteer’s phone is off reaches it after the publisher restarts, before the week is opened', async () => {
    const servers = cleanup.add(await startServers(), (s) => s.stop())
    let staff = await launchDevice('staff')
    cleanup.add(staff, (d) => d.dispose())
    let volunteer = await launchDevice('volunteer')
    cleanup.add(volunteer, (d) => d.dispose())
    await createCommunity(staff.page, servers, '王主任', '幸福里社区')
    await joinByLink(volunteer.page, await inviteLink(staff.page, 'resident'), '小刘')
    await waitForPeers(volunteer.page, 1)

    await volunteer.close()
    const farDay = localDay(62)
    await publishShift(staff.page, { title: '重阳节助老', places: 4, date: farDay })
    // Later (not in the same instant) the publisher restarts: what it wrote is on disk by then.
    await staff.page.evaluate(() => (window as any).neighbours.session.flushed())
    // The publisher restarts: that month is now only stored on it, shown on no screen.
    staff = await staff.restart()
    cleanup.add(staff, (d) => d.dispose())
    await staff.page.goto(servers.appUrl)
    await staff.page.waitForSelector('[data-testid=community-name]')

    volunteer = await launchDevice('volunteer', volunteer.profileDir)
    cleanup.add(volunteer, (d) => d.dispose())
    await volunteer.page.goto(servers.appUrl)
    await waitForPeers(volunteer.page, 1)
    // Replicated in the background: the month is stored before any screen asks for it.
    await expect.poll(() => storedMonths(volunteer.page), { timeout: 30_000 }).toContain(monthOf(farDay)).catch(async (error) => {
      // What each side held, to tell a lost write from a lost message.
      const held = (page: Page) => page.evaluate(() => ({ held: (window as any).neighbours.session.publicSpace.sync?.held(), peers: (window as any).neighbours.session.publicSpace.sync?.replicator.connected() }))
      console.error('far month not replicated', JSON.stringify({ staffStored: await storedMonths(staff.page), staff: await held(staff.page), volunteer: await held(volunteer.page) }))
      throw error
    })
    expect(await volunteer.page.evaluate(() => [...(window as any).neighbours.session.publicSpace.docs.opened.keys()])).not.toContain(monthOf(farDay))
    await openShiftsWeekOf(volunteer.page, farDay)
    await shiftCard(volunteer.page, '重阳节助老').waitFor({ timeout: 30_000 })
  })

  it('a far week opened 0, 0.2, 0.5, 1 or 2 s after the phones meet shows the shift published there while the volunteer was off', async () => {
    const servers = cleanup.add(await startServers(), (s) => s.stop())
    let staff = cleanup.add(await launchDevice('staff'), (d) => d.dispose())
    let volunteer = cleanup.add(await launchDevice('volunteer'), (d) => d.dispose())
    await createCommunity(staff.page, servers, '王主任', '幸福里社区')
    await joinByLink(volunteer.page, await inviteLink(staff.page, 'resident'), '小刘')
    await waitForPeers(volunteer.page, 1)
    const late: string[] = []
    for (const [i, delay] of [0, 200, 500, 1_000, 2_000].entries()) {
      await volunteer.close()
      // A month of its own each time (one to five months ahead), so no earlier round opened it.
      const farDay = localDay(35 + 31 * i)
      const title = `助老${i}`
      await publishShift(staff.page, { title, places: 4, date: farDay })
      await staff.page.evaluate(() => (window as any).neighbours.session.flushed())
      staff = cleanup.add(await staff.restart(), (d) => d.dispose())
      await staff.page.goto(servers.appUrl)
      await staff.page.waitForSelector('[data-testid=community-name]')
      volunteer = cleanup.add(await launchDevice('volunteer', volunteer.profileDir), (d) => d.dispose())
      await volunteer.page.goto(servers.appUrl)
      await waitForPeers(volunteer.page, 1)
      await new Promise((resolve) => setTimeout(resolve, delay))
      await openShiftsWeekOf(volunteer.page, farDay)
      const shown = await shiftCard(volunteer.page, title).waitFor({ timeout: 5_000 }).then(() => true, () => false)
      if (!shown) late.push(`${delay} ms`)
    }
    expect(late).toEqual([])
  })

  it('a far week opened the moment a phone meets only the hub process shows the shift the hub holds', async () => {
    const servers = cleanup.add(await startServers(), (s) => s.stop())
    const staff = cleanup.add(await launchDevice('staff'), (d) => d.dispose())
    let volunteer = cleanup.add(await launchDevice('volunteer'), (d) => d.dispose())
    await createCommunity(staff.page, servers, '王主任', '幸福里社区')
    await joinByLink(volunteer.page, await inviteLink(staff.page, 'resident'), '小刘')
    await waitForPeers(volunteer.page, 1)
    await volunteer.close()
    const dataDir = cleanup.add(mkdtempSync(join(tmpdir(), 'neighbours-hub-')), async (dir) => rmSync(dir, { recursive: true, force: true }))
    const hub = await startHubProcess(dataDir, await inviteLink(staff.page, 'staff'))
    cleanup.add(null, () => hub.stop())
    const farDay = localDay(62)
    await publishShift(staff.page, { title: '重阳节助老', places: 4, date: farDay })
    await staff.page.locator('[data-testid=sync-badge][data-unshared=no]').waitFor({ timeout: 30_000 })
    await staff.close()

    volunteer = cleanup.add(await launchDevice('volunteer', volunteer.profileDir), (d) => d.dispose())
    await volunteer.page.goto(servers.appUrl)
    await waitForPeers(volunteer.page, 1)
    await openShiftsWeekOf(volunteer.page, farDay)
    await shiftCard(volunteer.page, '重阳节助老').waitFor({ timeout: 5_000 })
  })

  it('six phones with three months open each hold one connection per other phone for the public space', async () => {
    const servers = cleanup.add(await startServers(), (s) => s.stop())
    const devices: Device[] = []
    for (let i = 0; i < 6; i++) devices.push(cleanup.add(await launchDevice(`p${i}`), (d) => d.dispose()))
    const [first, ...others] = devices as [Device, ...Device[]]
    await createCommunity(first.page, servers, '王主任', '幸福里社区')
    const link = await inviteLink(first.page, 'resident')
    for (const [i, device] of others.entries()) await joinByLink(device.page, link, `居民${i + 1}`)
    const farDay = localDay(62)
    for (const device of devices) {
      await openShiftsWeekOf(device.page, farDay)
      expect((await device.page.evaluate(() => (window as any).neighbours.session.publicSpace.docs.opened.size)) as number).toBeGreaterThanOrEqual(3)
    }
    for (const device of devices) await waitForPeers(device.page, 5, 60_000)
    // Let any second handshake that would be made show itself, then count what is open.
    await new Promise((resolve) => setTimeout(resolve, 3_000))
    for (const device of devices) {
      const { connections } = await dataChannelBytes(device.page)
      expect({ phone: device.name, connections, peers: await peerCount(device.page) }).toEqual({ phone: device.name, connections: 5, peers: 5 })
    }
  })

  it('two phones never online together exchange a help request through the in-app hub', async () => {
    const servers = cleanup.add(await startServers(), (s) => s.stop())
    const staff = cleanup.add(await launchDevice('staff'), (d) => d.dispose())
    const hub = cleanup.add(await launchDevice('hub'), (d) => d.dispose())
    await createCommunity(staff.page, servers, '王主任', '幸福里社区')
    const staffLink = await inviteLink(staff.page, 'staff')
    const residentLink = await inviteLink(staff.page, 'resident')
    await joinByLink(hub.page, staffLink, '办公室平板')
    await hub.page.click('[data-testid=nav-me]')
    await hub.page.click('[data-testid=hub-on]')
    await hub.page.locator('[data-testid=hub-is-on]').waitFor()
    await staff.close()

    await writeWithOnlyTheHub(residentLink)
    await newcomerSeesIt(residentLink)
    await hub.page.locator('[data-testid=hub-peers] li', { hasText: '赵大爷' }).waitFor({ timeout: 30_000 })
    await hub.page.locator('[data-testid=hub-peers] li', { hasText: '李阿姨' }).waitFor()
  })

  it('two phones never online together exchange a help request through the hub process, which keeps it across its own restart', async () => {
    const servers = cleanup.add(await startServers(), (s) => s.stop())
    const staff = cleanup.add(await launchDevice('staff'), (d) => d.dispose())
    await createCommunity(staff.page, servers, '王主任', '幸福里社区')
    const staffLink = await inviteLink(staff.page, 'staff')
    const residentLink = await inviteLink(staff.page, 'resident')
    await staff.close()
    const dataDir = cleanup.add(mkdtempSync(join(tmpdir(), 'neighbours-hub-')), async (dir) => rmSync(dir, { recursive: true, force: true }))
    let hub = await startHubProcess(dataDir, staffLink)
    cleanup.add(null, () => hub.stop())

    await writeWithOnlyTheHub(residentLink)
    expect(hub.output()).toMatch(/public (standing|\d{4}-\d{2}) ← 李阿姨/)

    // The hub restarts with no link: it resumes from what it stored.
    await hub.stop()
    hub = await startHubProcess(dataDir)
    expect(hub.output()).toMatch(/public space: holding [1-9]\d* docs/)

    await newcomerSeesIt(residentLink)
  })

  it('the hub process shows in Devices on the staff phone with its own signed record, and leaves when staff remove it', async () => {
    const servers = cleanup.add(await startServers(), (s) => s.stop())
    const staff = cleanup.add(await launchDevice('staff'), (d) => d.dispose())
    await createCommunity(staff.page, servers, '王主任', '幸福里社区')
    const staffLink = await inviteLink(staff.page, 'staff')
    const dataDir = cleanup.add(mkdtempSync(join(tmpdir(), 'neighbours-hub-')), async (dir) => rmSync(dir, { recursive: true, force: true }))
    const hub = await startHubProcess(dataDir, staffLink)
    cleanup.add(null, () => hub.stop())
    const community: string = await staff.page.evaluate(() => (window as any).neighbours.session.membership.id)
    const held = () => readdirSync(communityFolder(join(dataDir, 'hub'), community))

    await staff.page.click('[data-testid=nav-me]')
    const row = staff.page.locator('[data-testid=device-row][data-label=办公室中转站][data-role=staff]')
    await row.waitFor({ timeout: 60_000 })
    expect(hub.output()).toMatch(/accepted its invitation/)
    // (The staff space is sealed to it as staff confirm it: a staff link carries no staff key.)
    await expect.poll(held, { timeout: 30_000 }).toContain('staff')

    await row.locator('[data-testid=remove-device]').click()
    await staff.page.click('[role=dialog] button:has-text("移除这台设备")')
    await expect.poll(() => hub.output(), { timeout: 60_000 }).toMatch(/Staff removed this hub/)
    expect(held().filter((name) => name.startsWith('staff'))).toEqual([])
    // Started again with what it remembers, it serves nothing until given a new link.
    await expect(startHubProcess(dataDir)).rejects.toThrow(/Staff removed this hub/)
  })
})
