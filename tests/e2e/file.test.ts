import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterEach, describe, expect, it } from 'vitest'
import { launchDevice, startServers, withCleanup, type Device } from './harness'
import { createCommunity, dataChannelBytes, inviteLink, joinByLink, localDay, noticeTitles, openShiftsWeekOf, postNotice, publishShift, shiftCard, waitForNotice } from './journeys'

const cleanup = withCleanup()
afterEach(() => cleanup.run())

/** Me → Save to a file; the file as the browser downloads it. */
async function saveFile(device: Device): Promise<string> {
  await device.page.click('[data-testid=nav-me]')
  const [download] = await Promise.all([device.page.waitForEvent('download'), device.page.click('[data-testid=file-save]')])
  const path = join(device.profileDir, download.suggestedFilename())
  await download.saveAs(path)
  return path
}

/** Me → Load a file; what the screen says then. */
async function loadFile(page: Page, path: string): Promise<string> {
  await page.click('[data-testid=nav-me]')
  await page.setInputFiles('[data-testid=file-load]', path) // the last message goes as loading starts
  return (await page.waitForSelector('[data-testid=file-said]')).innerText()
}

describe('file exchange', () => {
  it('a far week opened while a file brings its month shows what the file held, at any moment of the load', async () => {
    const servers = cleanup.add(await startServers(), (s) => s.stop())
    const a = cleanup.add(await launchDevice('a'), (d) => d.dispose())
    const b = cleanup.add(await launchDevice('b'), (d) => d.dispose())
    await createCommunity(a.page, servers, '王主任', '幸福里社区')
    const link = await inviteLink(a.page, 'resident')
    await servers.stopSignaling()
    await joinByLink(b.page, link, '李阿姨')
    const late: string[] = []
    for (const [i, delay] of [0, 50, 200].entries()) {
      // A month of its own each round (one to three months ahead), which B has not opened.
      const farDay = localDay(35 + 31 * i)
      await publishShift(a.page, { title: `文件里的岗${i}`, places: 2, date: farDay })
      const bytes = [...readFileSync(await saveFile(a))]
      // The file goes in without the Me screen (as if from a share sheet) while the week is opened.
      const loading = b.page.evaluate((file) => (window as any).neighbours.session.loadFile(new Uint8Array(file)), bytes)
      await new Promise((resolve) => setTimeout(resolve, delay))
      await openShiftsWeekOf(b.page, farDay)
      await loading
      await b.page.click(`[data-testid=day-filter] [data-value="${farDay}"]`)
      const shown = await shiftCard(b.page, `文件里的岗${i}`).waitFor({ timeout: 5_000 }).then(() => true, () => false)
      if (!shown) late.push(`${delay} ms`)
    }
    expect(late).toEqual([])
  })

  it('moves a notice and a shift two months ahead between browsers that never connect; wrong and damaged files change nothing', async () => {
    const servers = cleanup.add(await startServers(), (s) => s.stop())
    const a = cleanup.add(await launchDevice('a'), (d) => d.dispose())
    const b = cleanup.add(await launchDevice('b'), (d) => d.dispose())
    await createCommunity(a.page, servers, '王主任', '幸福里社区')
    const link = await inviteLink(a.page, 'resident')
    await servers.stopSignaling() // from here on A and B cannot find each other
    await joinByLink(b.page, link, '李阿姨')

    const farDay = localDay(65) // always in a month B has not opened (B opens this one and the next)
    await postNotice(a.page, '文件带来的公告')
    await publishShift(a.page, { title: '远月的助餐岗', places: 2, date: farDay })
    const file = await saveFile(a)
    expect(readFileSync(file).includes(Buffer.from('文件带来的公告'))).toBe(false) // sealed, not plain

    const farMonth = farDay.slice(0, 7)
    expect(await b.page.evaluate((m) => (window as any).neighbours.session.publicSpace.docs.get(m) === undefined, farMonth)).toBe(true)
    expect(await loadFile(b.page, file)).toMatch(/^已载入，\d+ 部分有新内容。$/)
    await waitForNotice(b.page, '文件带来的公告')
    // The far month was stored, not opened; the week that shows it opens it from storage.
    expect(await b.page.evaluate((m) => (window as any).neighbours.session.publicSpace.docs.get(m) === undefined, farMonth)).toBe(true)
    await openShiftsWeekOf(b.page, farDay)
    await b.page.click(`[data-testid=day-filter] [data-value="${farDay}"]`)
    await shiftCard(b.page, '远月的助餐岗').waitFor()

    // Again: nothing new, nothing doubled.
    expect(await loadFile(b.page, file)).toBe('已载入：文件里的内容这台设备都已经有了。')
    await waitForNotice(b.page, '文件带来的公告')
    expect(await noticeTitles(b.page)).toEqual(['文件带来的公告'])

    // Another community's file, and this file cut short: refused, nothing changes.
    const c = cleanup.add(await launchDevice('c'), (d) => d.dispose())
    await createCommunity(c.page, servers, '赵书记', '和平村')
    await postNotice(c.page, '和平村的公告')
    expect(await loadFile(b.page, await saveFile(c))).toBe('这个文件属于另一个社区「和平村」，没有载入。')
    const cut = join(b.profileDir, 'cut.neighbours')
    const bytes = readFileSync(file)
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)))
    expect(await loadFile(b.page, cut)).toBe('文件已损坏或不完整，没有载入任何内容。')
    await waitForNotice(b.page, '文件带来的公告')
    expect(await noticeTitles(b.page)).toEqual(['文件带来的公告'])

    // Everything came by file: B never had a connection to carry it.
    expect(await dataChannelBytes(b.page)).toMatchObject({ received: 0 })

    // What the screen said was loaded is stored: it is all there after a restart.
    const restarted = cleanup.add(await b.restart(), (d) => d.dispose())
    await restarted.page.goto(servers.appUrl)
    await waitForNotice(restarted.page, '文件带来的公告')
    await openShiftsWeekOf(restarted.page, farDay)
    await restarted.page.click(`[data-testid=day-filter] [data-value="${farDay}"]`)
    await shiftCard(restarted.page, '远月的助餐岗').waitFor()
  })
})
