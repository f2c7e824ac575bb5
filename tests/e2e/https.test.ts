import { afterEach, describe, expect, it } from 'vitest'
import { launchDevice, startServers, withCleanup } from './harness'
import { createCommunity, dataChannelBytes, inviteLink, joinByLink, postNotice, serviceWorkerActivated, waitForNotice, waitForPeers } from './journeys'

const cleanup = withCleanup()
afterEach(() => cleanup.run())

// Phones on the LAN reach the app over https with a certificate from the office
// computer's own authority (scripts/certs.mjs). Each browser here trusts that
// authority's key as a phone that installed it would, and nothing else.
describe('https on the LAN', () => {
  it('serves the app over https, installs its service worker, and two browsers sync through wss', async () => {
    const servers = cleanup.add(await startServers({ https: true }), (s) => s.stop())
    expect(servers.appUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/)
    expect(servers.signalingUrl).toMatch(/^wss:\/\/127\.0\.0\.1:\d+$/)
    const a = cleanup.add(await launchDevice('a', undefined, { trustSpki: servers.spki }), (d) => d.dispose())
    const b = cleanup.add(await launchDevice('b', undefined, { trustSpki: servers.spki }), (d) => d.dispose())

    await createCommunity(a.page, servers, '王主任', '幸福里社区')
    expect(await serviceWorkerActivated(a.page)).toBe('activated')
    expect(await a.page.evaluate(() => ({ protocol: location.protocol, secure: isSecureContext }))).toEqual({ protocol: 'https:', secure: true })

    const link = await inviteLink(a.page, 'resident')
    expect(link.startsWith(servers.appUrl)).toBe(true)
    await joinByLink(b.page, link, '李阿姨')
    await waitForPeers(a.page, 1)
    await waitForPeers(b.page, 1)
    // Both found each other through the wss:// server, the only one they were given.
    for (const device of [a, b]) {
      expect(await device.page.evaluate(() => (window as any).neighbours.session.publicSpace.status().signalingConnected)).toBe(1)
    }
    await postNotice(a.page, '手机用 https 也能同步')
    await waitForNotice(b.page, '手机用 https 也能同步')
    expect((await dataChannelBytes(b.page)).received).toBeGreaterThan(0)

    // A browser that never trusted the authority is refused: the trust is what lets phones in.
    const stranger = cleanup.add(await launchDevice('stranger'), (d) => d.dispose())
    await expect(stranger.page.goto(servers.appUrl)).rejects.toThrow(/ERR_CERT_AUTHORITY_INVALID/)

    // Installed: a reload with the server gone is answered by the service worker.
    await servers.stopApp()
    await b.page.reload()
    await waitForNotice(b.page, '手机用 https 也能同步')
  })
})
