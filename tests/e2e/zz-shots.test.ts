import { it } from 'vitest'
import { launchDevice, startServers } from './harness'
import { createCommunity, inviteLink, joinByLink, postNotice, waitForPeers } from './journeys'
it('shots', async () => {
  const servers = await startServers()
  const a = await launchDevice('a')
  const b = await launchDevice('b')
  try {
    await a.page.goto(servers.appUrl)
    await a.page.click('[data-testid=create-community]')
    await a.page.screenshot({ path: '.tmp/onboard-error.png', fullPage: true })
    await createCommunity(a.page, servers, '王主任', '幸福里社区')
    await postNotice(a.page, '周三上午义诊', '地点：社区活动室。请带好医保卡。')
    const link = await inviteLink(a.page, 'resident')
    await joinByLink(b.page, link, '李阿姨')
    await waitForPeers(b.page, 1)
    await b.page.screenshot({ path: '.tmp/b-today.png' })
    await a.page.click('[data-testid=nav-me]')
    await a.page.click('[data-testid=invite-staff]')
    await a.page.screenshot({ path: '.tmp/a-me.png', fullPage: true })
    await b.page.click('[data-testid=nav-me]')
    await b.page.click('[data-testid=language-en]')
    await b.page.click('[data-testid=nav-shifts]')
    await b.page.screenshot({ path: '.tmp/b-shifts-en.png' })
  } finally { await a.dispose(); await b.dispose(); await servers.stop() }
})
