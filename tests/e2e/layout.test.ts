import { readFileSync, mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { launchDevice, startServers, withCleanup } from './harness'
import { createCommunity, localDay, postAidRequest, postNotice, publishActivity, publishShift, publishTodaysLunch } from './journeys'

// Every tab on a 360 px phone, in Chinese, in English and in large text: nothing wider
// than the screen, no label or button cut, and axe-core finds nothing serious. A
// screenshot of each screen is kept for a person to look at.

const cleanup = withCleanup()
afterEach(() => cleanup.run())

/** Each tab, and something only that tab shows once its code has loaded and drawn. */
const TABS = { today: 'today-menu', canteen: 'canteen-section', shifts: 'day-filter', activities: 'activities-section', aid: 'post-aid', me: 'invite-resident' } as const
const TODAY_LABEL = { 'zh-CN': '今日', en: 'Today' } as const
const MODES = [
  { name: 'zh', language: 'zh-CN', largeText: false },
  { name: 'en', language: 'en', largeText: false },
  { name: 'zh-large', language: 'zh-CN', largeText: true },
  { name: 'en-large', language: 'en', largeText: true },
] as const
const SCREENS = 'test-results/screens'
const require = createRequire(import.meta.url)
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')

/**
 * Phones have a Chinese font; the test browser has none and would draw every Chinese
 * character as an empty box, in the screenshots and in the widths measured. Noto Sans
 * SC (a devDependency) is served to the page as a web font, as a phone's own would be.
 */
async function serveChineseFont(page: Page) {
  const dir = dirname(require.resolve('@fontsource-variable/noto-sans-sc'))
  await page.route('**/__test-fonts/**', (route) => route.fulfill({ path: join(dir, new URL(route.request().url()).pathname.replace('/__test-fonts/', '')) }))
}

/** After each page load: the font's faces and the page's font list with it. */
async function useChineseFont(page: Page) {
  await page.addStyleTag({ url: '/__test-fonts/index.css' })
  await page.addStyleTag({ content: "html { font-family: system-ui, 'Noto Sans SC Variable', sans-serif }" })
  await page.evaluate(() => document.fonts.ready)
}

/** What is wider than its box or than the screen: the page itself, labels, buttons, links and headings. */
async function clipped(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = []
    const width = window.innerWidth
    if (document.documentElement.scrollWidth > width) found.push(`page is ${document.documentElement.scrollWidth}px wide`)
    // Inside a row meant to scroll sideways (the day strip), items may lie off screen.
    const inScroller = (el: Element) => {
      for (let p = el.parentElement; p; p = p.parentElement) if (['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) return true
      return false
    }
    for (const el of document.querySelectorAll<HTMLElement>('button, a, label, legend, h1, h2, h3, [data-testid=nav-label], select')) {
      const box = el.getBoundingClientRect()
      if (box.width === 0 || el.closest('[hidden]')) continue
      const text = (el.textContent ?? '').trim().slice(0, 40) || el.getAttribute('aria-label') || el.tagName
      // A long community name is cut on purpose, with the whole name on tap.
      const cutOnPurpose = el.title !== '' && el.title === el.textContent?.trim()
      if (!cutOnPurpose && el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'auto') found.push(`"${text}" is cut (${el.scrollWidth} > ${el.clientWidth})`)
      if (!inScroller(el) && (box.right > width + 1 || box.left < -1)) found.push(`"${text}" runs off the screen (${Math.round(box.left)}–${Math.round(box.right)})`)
    }
    return found
  })
}

async function seriousAxe(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource })
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ passes: unknown[]; violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe
    const result = await axe.run(document, { resultTypes: ['violations'] })
    if (result.passes.length === 0) throw new Error('axe checked nothing')
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }))
  })
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.targets.join(', ')}`)
}

describe('every screen fits a 360 px phone', () => {
  it('in Chinese, English and large text: no overflow, nothing cut, no serious axe finding', async () => {
    const servers = cleanup.add(await startServers(), (s) => s.stop())
    // No service worker: it would answer the font's address instead of the test's route.
    const staff = cleanup.add(await launchDevice('staff', undefined, { blockServiceWorkers: true }), (d) => d.dispose())
    const page = staff.page
    mkdirSync(SCREENS, { recursive: true })

    const problems: string[] = []
    const look = async (name: string) => {
      await page.evaluate(() => window.scrollTo(0, 0))
      await page.screenshot({ path: `${SCREENS}/${name}.png`, fullPage: true })
      for (const p of await clipped(page)) problems.push(`${name}: ${p}`)
      for (const p of await seriousAxe(page)) problems.push(`${name}: axe ${p}`)
    }

    // The first screen a new person sees.
    await serveChineseFont(page)
    await page.goto(servers.appUrl)
    await page.waitForSelector('[data-testid=create-community]')
    await useChineseFont(page)
    expect(await page.evaluate(() => [...document.fonts].some((f) => f.family.includes('Noto Sans SC') && f.status === 'loaded'))).toBe(true)
    await look('zh-onboarding')

    // Some of everything, with long words where people write long words.
    await createCommunity(page, servers, '王主任', '幸福里社区第三网格居民互助与志愿服务站')
    await postNotice(page, '本周六上午十点在社区广场举行消防演练，请各位居民准时参加', '请带好身份证。')
    await publishTodaysLunch(page, ['红烧狮子头', '清炒时蔬', '紫菜蛋花汤'])
    await publishShift(page, { title: '长者食堂午餐送餐（3号楼至7号楼）', places: 3, date: localDay() })
    await publishActivity(page, { title: '太极拳晨练与健康讲座', category: 'health', date: localDay(1), start: '08:00', end: '09:30', capacity: 20 })
    await postAidRequest(page, '帮忙去社区医院取药并送到家', '5号楼')

    await useChineseFont(page)
    for (const mode of MODES) {
      await page.click('[data-testid=nav-me]')
      await page.click(`[data-testid=language-${mode.language}]`)
      const largeText = page.locator('[data-testid=large-text]')
      if ((await largeText.isChecked()) !== mode.largeText) await largeText.click()
      await page.waitForFunction((large) => document.documentElement.classList.contains('large-text') === large, mode.largeText)
      await page.locator('[data-testid=nav-today] [data-testid=nav-label]', { hasText: TODAY_LABEL[mode.language] }).waitFor()
      for (const [tab, shown] of Object.entries(TABS)) {
        await page.click(`[data-testid=nav-${tab}]`)
        await page.waitForSelector(`[data-testid=nav-${tab}][aria-current=page]`)
        await page.waitForSelector(`[data-testid=${shown}]`)
        // Panels drawn only once opened: a shift's staff tools and the hours report.
        if (tab === 'shifts') for (const panel of ['[data-testid=shift-card] details', '[data-testid=hours-report]']) await page.locator(panel).first().evaluate((d) => ((d as HTMLDetailsElement).open = true))
        await page.waitForTimeout(300)
        await page.evaluate(() => document.fonts.ready)
        await look(`${mode.name}-${tab}`)
      }
      // The header is one line: the name, cut, and the sync mark beside it (three lines took 150 px).
      const header = (await page.locator('header').boundingBox())!
      if (header.height > 64) problems.push(`${mode.name}: the header is ${Math.round(header.height)}px tall`)
    }
    // A confirm dialog (cancelling a shift), drawn above everything; Escape cancels it.
    await page.click('[data-testid=nav-shifts]')
    await page.locator('[data-testid=shift-card] details').first().evaluate((d) => ((d as HTMLDetailsElement).open = true))
    await page.click('[data-testid=cancel-shift]')
    await page.waitForSelector('[role=dialog]')
    await look('en-large-confirm')
    await page.keyboard.press('Escape')
    await page.waitForSelector('[role=dialog]', { state: 'detached' })
    expect(problems).toEqual([])
  })
})
