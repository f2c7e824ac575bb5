import { it } from 'vitest'
import { launchDevice, startServers } from './harness'
import { createCommunity, inviteLink, joinByLink, waitForPeers } from './journeys'
it('shots', async () => {
  const servers = await startServers()
  const a = await launchDevice('a')
  const b = await launchDevice('b')
  try {
    await createCommunity(a.page, servers, '王主任', '幸福里社区')
    const link = await inviteLink(a.page, 'resident')
    await joinByLink(b.page, link, '李阿姨')
    await waitForPeers(b.page, 1)
    await a.page.click('[data-testid=nav-shifts]')
    await a.page.click('[data-testid=publish-shift]')
    await a.page.fill('[data-testid=shift-form] input[name=title]', '食堂帮厨')
    await a.page.click('[data-testid=shift-form] [data-testid=shift-repeat] [data-value=weekly]')
    await a.page.click('[data-testid=shift-form] button[type=submit]')
    await a.page.screenshot({ path: '.tmp/a-form-errors.png', fullPage: true })
    await a.page.click('[data-testid=shift-weekdays] [data-value="1"]')
    await a.page.click('[data-testid=shift-weekdays] [data-value="3"]')
    await a.page.click('[data-testid=shift-weekdays] [data-value="5"]')
    await a.page.fill('[data-testid=shift-form] input[name=until]', '2026-12-31')
    await a.page.fill('[data-testid=shift-form] input[name=places]', '1')
    await a.page.click('[data-testid=shift-form] button[type=submit]')
    await a.page.screenshot({ path: '.tmp/a-shifts.png', fullPage: true })
    await b.page.click('[data-testid=nav-shifts]')
    await b.page.waitForSelector('[data-testid=shift-card]')
    await b.page.click('[data-testid=shift-card] >> nth=0 >> [data-testid=sign-up]')
    await b.page.screenshot({ path: '.tmp/b-shifts.png' })
    await b.page.click('[data-testid=nav-today]')
    await b.page.screenshot({ path: '.tmp/b-today.png' })
  } finally { await a.dispose(); await b.dispose(); await servers.stop() }
})
