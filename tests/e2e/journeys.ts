import type { Page } from 'playwright-core'
import type { Servers } from './harness'

// What a person does, step by step, as the tests need it again and again.

export async function createCommunity(page: Page, servers: Servers, person: string, community: string) {
  await page.goto(servers.appUrl)
  await page.fill('input[name=displayName]', person)
  await page.fill('input[name=communityName]', community)
  await page.click('[data-testid=create-community]')
  await page.waitForSelector('[data-testid=community-name]')
  await useSignaling(page, servers.signalingUrl)
}

/** Me → Settings → signaling servers: point the device at the test's server. */
export async function useSignaling(page: Page, url: string) {
  await page.click('[data-testid=nav-me]')
  await page.fill('textarea[name=signaling]', url)
  await page.locator('textarea[name=signaling]').locator('xpath=ancestor::form').locator('button[type=submit]').click()
  await page.click('[data-testid=nav-today]')
}

export async function inviteLink(page: Page, kind: 'resident' | 'staff'): Promise<string> {
  await page.click('[data-testid=nav-me]')
  await page.click(`[data-testid=invite-${kind}]`)
  await page.waitForSelector('[data-testid=invite-qr] svg')
  const link = await page.inputValue('[data-testid=invite-link]')
  await page.click('[data-testid=nav-today]')
  return link
}

export async function joinByLink(page: Page, link: string, person: string) {
  await page.goto(link)
  await page.fill('input[name=displayName]', person)
  await page.click('[data-testid=accept-invite]')
  await page.waitForSelector('[data-testid=community-name]')
}

export async function postNotice(page: Page, title: string, body = '') {
  await page.click('[data-testid=nav-today]')
  await page.click('[data-testid=compose-notice]')
  await page.fill('[data-testid=notice-form] input[name=title]', title)
  await page.fill('[data-testid=notice-form] textarea[name=body]', body)
  await page.click('[data-testid=notice-form] button[type=submit]')
  await page.waitForSelector(`[data-testid=notice] h3:text-is("${title}")`)
}

export async function waitForNotice(page: Page, title: string, timeout = 30_000) {
  await page.click('[data-testid=nav-today]')
  await page.waitForSelector(`[data-testid=notice] h3:text-is("${title}")`, { timeout })
}

export async function noticeTitles(page: Page): Promise<string[]> {
  return page.locator('[data-testid=notice] h3').allTextContents()
}

/** Bytes that crossed this page's WebRTC data channels, read from getStats(). */
export async function dataChannelBytes(page: Page): Promise<{ received: number; sent: number; connections: number }> {
  return page.evaluate(async () => {
    const session = (window as any).neighbours?.session
    const connections: Set<RTCPeerConnection> = session?.publicSpace.sync?.connections ?? new Set()
    let received = 0
    let sent = 0
    for (const pc of connections) {
      const stats = await pc.getStats()
      stats.forEach((report: any) => {
        if (report.type === 'data-channel') {
          received += report.bytesReceived ?? 0
          sent += report.bytesSent ?? 0
        }
      })
    }
    return { received, sent, connections: connections.size }
  })
}

export async function peerCount(page: Page): Promise<number> {
  return Number(await page.getAttribute('[data-testid=sync-badge]', 'data-peers'))
}

export async function waitForPeers(page: Page, count: number, timeout = 30_000) {
  await page.waitForSelector(`[data-testid=sync-badge][data-peers="${count}"]`, { timeout })
}
