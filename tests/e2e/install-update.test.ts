import { execFileSync } from 'node:child_process'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { launchDevice, startServers, withCleanup } from './harness'
import { createCommunity, serviceWorkerActivated } from './journeys'

const cleanup = withCleanup()
afterEach(() => cleanup.run())

const folder = (name: string) => cleanup.add(mkdtempSync(join(tmpdir(), `neighbours-${name}-`)), async (dir) => rmSync(dir, { recursive: true, force: true }))

describe('install and update', () => {
  it('a new build is offered after a reload, and accepting it keeps a half-filled notice', async () => {
    // Two real builds: the one npm test made, and one made now with another build label.
    const first = folder('build-1')
    cpSync('dist', first, { recursive: true })
    const second = folder('build-2')
    execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--outDir', second, '--emptyOutDir', '--logLevel', 'warn'], {
      env: { ...process.env, NEIGHBOURS_BUILD: 'update-test-2' },
      stdio: 'pipe',
    })
    const servers = cleanup.add(await startServers({ outDir: first }), (s) => s.stop())
    const a = cleanup.add(await launchDevice('a'), (d) => d.dispose())
    await createCommunity(a.page, servers, '王主任', '幸福里社区')
    expect(await serviceWorkerActivated(a.page)).toBe('activated')
    await a.page.click('[data-testid=nav-me]')
    expect(await a.page.textContent('[data-testid=app-version]')).not.toContain('update-test-2')
    expect(await a.page.locator('[data-testid=update-prompt]').count()).toBe(0)

    // The office computer is given the new build; the phone reloads as it would any day.
    await servers.stopApp()
    await servers.restartApp(second)
    await a.page.reload()
    await a.page.waitForSelector('[data-testid=update-prompt]', { timeout: 30_000 })

    // Half-way through a notice, the person accepts the update.
    await a.page.click('[data-testid=nav-today]')
    await a.page.click('[data-testid=compose-notice]')
    await a.page.fill('[data-testid=notice-form] input[name=title]', '周五停水')
    await a.page.fill('[data-testid=notice-form] textarea[name=body]', '上午九点到')
    await a.page.evaluate(() => ((window as unknown as { oldPage: boolean }).oldPage = true))
    await a.page.click('[data-testid=update-now]')

    // The page reloads into the new build with the notice form open and its text back.
    await a.page.waitForFunction(
      () => !(window as unknown as { oldPage?: boolean }).oldPage && (document.querySelector('[data-testid=notice-form] input[name=title]') as HTMLInputElement | null)?.value === '周五停水',
      null,
      { timeout: 30_000 },
    )
    expect(await a.page.inputValue('[data-testid=notice-form] textarea[name=body]')).toBe('上午九点到')
    expect(await a.page.locator('[data-testid=update-prompt]').count()).toBe(0)
    // The restored text is in the form's state, not only on screen: publishing it works.
    await a.page.click('[data-testid=notice-form] button[type=submit]')
    await a.page.waitForSelector('[data-testid=notice] h3:text-is("周五停水")')
    await a.page.click('[data-testid=nav-me]')
    expect(await a.page.textContent('[data-testid=app-version]')).toContain('update-test-2')
  })

  it('Me offers "add to home screen" when the browser does, and says how otherwise', async () => {
    const servers = cleanup.add(await startServers(), (s) => s.stop())
    const a = cleanup.add(await launchDevice('a'), (d) => d.dispose())
    await createCommunity(a.page, servers, '王主任', '幸福里社区')
    await a.page.click('[data-testid=nav-me]')
    // No offer yet (headless Chromium makes none): the browser-menu way is explained.
    await a.page.waitForSelector('text=在浏览器菜单里选“添加到主屏幕”或“安装应用”。')
    expect(await a.page.locator('[data-testid=install-app]').count()).toBe(0)

    // The browser's offer, as Chrome on a phone sends it once the app qualifies.
    await a.page.evaluate(() => {
      const offer = Object.assign(new Event('beforeinstallprompt', { cancelable: true }), {
        prompt: async () => void ((window as unknown as { prompted: boolean }).prompted = true),
        userChoice: Promise.resolve({ outcome: 'accepted' }),
      })
      dispatchEvent(offer)
    })
    await a.page.click('[data-testid=install-app]')
    await a.page.waitForSelector('[data-testid=installed]')
    expect(await a.page.evaluate(() => (window as unknown as { prompted?: boolean }).prompted)).toBe(true)
  })
})
