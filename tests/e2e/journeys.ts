import type { Page } from 'playwright-core'
import type { Servers } from './harness'
import { testNow } from '../dates'

// What a person does, step by step, as the tests need it again and again.

/** A local calendar day as YYYY-MM-DD, `offsetDays` from today (the pages' clocks run from the same now: tests/dates.ts). */
export function localDay(offsetDays = 0): string {
  const d = testNow()
  d.setDate(d.getDate() + offsetDays)
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

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

/** Waits until the page's service worker has installed its precache and taken over; its state. */
export async function serviceWorkerActivated(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const worker = (await navigator.serviceWorker.ready).active!
    while (worker.state === 'activating') await new Promise((resolve) => worker.addEventListener('statechange', resolve, { once: true }))
    return worker.state
  })
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

// Read from the live app (#root), never from Today's glance, which comes from localStorage.
export async function waitForNotice(page: Page, title: string, timeout = 30_000) {
  await page.click('#root [data-testid=nav-today]')
  await page.waitForSelector(`#root [data-testid=notice] h3:text-is("${title}")`, { timeout })
}

export async function noticeTitles(page: Page): Promise<string[]> {
  return page.locator('#root [data-testid=notice] h3').allTextContents()
}

/** Bytes that crossed this page's WebRTC data channels (the public space's one room), read from getStats(). */
/** What this page's connections for one space (the public space unless said) carried over data channels. */
export async function dataChannelBytes(page: Page, space: 'publicSpace' | 'staffSpace' = 'publicSpace'): Promise<{ received: number; sent: number; connections: number }> {
  return page.evaluate(async (space) => {
    const session = (window as any).neighbours?.session
    const connections: RTCPeerConnection[] = [...(session?.[space]?.sync?.connections ?? [])]
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
    return { received, sent, connections: connections.length }
  }, space)
}

/**
 * Bytes of whole messages that came in over this page's data channels for one space
 * this session, counted as each arrives: a connection replaced while peers meet again
 * takes its getStats() figures with it, so "more came since" is read from this.
 */
export async function carriedBytes(page: Page, space: 'publicSpace' | 'staffSpace' = 'publicSpace'): Promise<number> {
  return page.evaluate((space) => ((window as any).neighbours?.session?.[space]?.sync?.carried?.received as number | undefined) ?? 0, space)
}

export async function peerCount(page: Page): Promise<number> {
  return Number(await page.getAttribute('[data-testid=sync-badge]', 'data-peers'))
}

export async function waitForPeers(page: Page, count: number, timeout = 30_000) {
  await page.waitForSelector(`[data-testid=sync-badge][data-peers="${count}"]`, { timeout })
}

export interface ShiftInput {
  title: string
  places: number
  date?: string
  /** ISO weekdays for a weekly series, with its last day. */
  weekly?: { weekdays: number[]; until: string }
}

export async function publishShift(page: Page, input: ShiftInput) {
  await page.click('[data-testid=nav-shifts]')
  await page.click('[data-testid=publish-shift]')
  const form = '[data-testid=shift-form]'
  await page.fill(`${form} input[name=title]`, input.title)
  if (input.weekly) {
    await page.click(`${form} [data-testid=shift-repeat] [data-value=weekly]`)
    for (const day of input.weekly.weekdays) await page.click(`${form} [data-testid=shift-weekdays] [data-value="${day}"]`)
    await page.fill(`${form} input[name=until]`, input.weekly.until)
  }
  if (input.date) await page.fill(`${form} input[name=date]`, input.date)
  await page.fill(`${form} input[name=places]`, String(input.places))
  await page.click(`${form} button[type=submit]`)
  await page.waitForSelector(`${form}`, { state: 'detached' })
}

/** The card of the first shift with this title (in the week shown). */
export function shiftCard(page: Page, title: string) {
  return page.locator('[data-testid=shift-card]', { has: page.locator(`h3:text-is("${title}")`) }).first()
}

/** How many times "next week" is pressed from this week to reach `date`'s week (ISO weeks, Monday first). */
export function weeksAhead(from: string, date: string): number {
  const monday = (day: string) => {
    const d = new Date(`${day}T12:00:00`)
    d.setDate(d.getDate() - ((d.getDay() + 6) % 7))
    return d.getTime()
  }
  return Math.round((monday(date) - monday(from)) / (7 * 24 * 3600 * 1000))
}

export async function openShiftsWeekOf(page: Page, date: string) {
  await page.click('[data-testid=nav-shifts]')
  await page.waitForSelector('[data-testid=day-filter]')
  // The week shown starts on this week's Monday: step forward as far as the date needs.
  const steps = weeksAhead(localDay(), date)
  if (steps < 0 || steps > 60) throw new Error(`week of ${date} is ${steps} weeks from today's: the Shifts tab steps forward only, and this helper at most 60 weeks`)
  const day = `[data-testid=day-filter] [data-value="${date}"]`
  for (let i = 0; i < steps && (await page.locator(day).count()) === 0; i++) await page.click('[data-testid=next-week]')
  await page.waitForSelector(day, { timeout: 5_000 }).catch(() => {
    throw new Error(`week of ${date} not shown after ${steps} steps from this week`)
  })
}

export interface ActivityInput {
  title: string
  category: string
  date: string
  capacity?: number
  start?: string
  end?: string
}

export async function publishActivity(page: Page, input: ActivityInput) {
  await page.click('[data-testid=nav-activities]')
  await page.click('[data-testid=publish-activity]')
  const form = '[data-testid=activity-form]'
  await page.fill(`${form} input[name=title]`, input.title)
  await page.click(`${form} [data-testid=activity-category] [data-value=${input.category}]`)
  await page.fill(`${form} input[name=date]`, input.date)
  if (input.start) await page.fill(`${form} input[name=start]`, input.start)
  if (input.end) await page.fill(`${form} input[name=end]`, input.end)
  if (input.capacity) await page.fill(`${form} input[name=capacity]`, String(input.capacity))
  await page.click(`${form} button[type=submit]`)
  await page.waitForSelector(form, { state: 'detached' })
}

export function activityCard(page: Page, title: string) {
  return page.locator('[data-testid=activity-card]', { has: page.locator(`h3:text-is("${title}")`) }).first()
}

export async function chooseRole(page: Page, role: 'resident' | 'volunteer') {
  await page.click('[data-testid=nav-me]')
  await page.click(`[data-testid=role-${role}]`)
  await page.waitForSelector(`[data-testid=role-${role}][aria-pressed=true]`)
  await page.click('[data-testid=nav-today]')
}

/** Help → post a need with a title and a place (and, optionally, a category such as 'paperwork'). */
export async function postAidRequest(page: Page, title: string, where: string, category?: string) {
  await page.click('[data-testid=nav-aid]')
  await page.click('[data-testid=post-aid]')
  if (category) await page.click(`[data-testid=aid-form] [data-testid=aid-category] [data-value=${category}]`)
  await page.fill('[data-testid=aid-form] input[name=title]', title)
  await page.fill('[data-testid=aid-form] input[name=where]', where)
  await page.click('[data-testid=aid-form] button[type=submit]')
  await aidCard(page, title).waitFor()
}

export function aidCard(page: Page, title: string) {
  return page.locator('[data-testid=aid-card]', { has: page.locator(`h3:text-is("${title}")`) }).first()
}

/** Everything this browser stores (every IndexedDB value and localStorage), as text to search. */
export async function storedText(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const chunks: string[] = [JSON.stringify({ ...localStorage })]
    const decoder = new TextDecoder()
    const toText = (value: unknown): string => {
      if (value instanceof Uint8Array || value instanceof ArrayBuffer) return decoder.decode(value)
      if (Array.isArray(value)) return value.map(toText).join(' ')
      return typeof value === 'string' ? value : JSON.stringify(value)
    }
    for (const info of await indexedDB.databases()) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(info.name!)
        request.onsuccess = () => resolve(request.result)
        request.onerror = () => reject(request.error)
      })
      for (const store of Array.from(db.objectStoreNames)) {
        const values = await new Promise<unknown[]>((resolve, reject) => {
          const request = db.transaction(store).objectStore(store).getAll()
          request.onsuccess = () => resolve(request.result)
          request.onerror = () => reject(request.error)
        })
        chunks.push(...values.map(toText))
      }
      db.close()
    }
    return chunks.join('\n')
  })
}

/** Staff publish today's lunch (or another day's), open for reservations until 23:59. */
export async function publishTodaysLunch(page: Page, dishes: string[], day = localDay()) {
  await page.click('[data-testid=nav-canteen]')
  // The editor stays open after a menu is saved.
  if ((await page.locator('[data-testid=menu-form]').count()) === 0) await page.click('[data-testid=edit-menu]')
  await page.fill('[data-testid=menu-form] input[name=day]', day)
  await page.fill('[data-testid=menu-form] textarea[name=dishes]', dishes.join('\n'))
  await page.fill('[data-testid=menu-form] input[name=seats]', '30')
  await page.fill('[data-testid=menu-form] input[name=cutoff]', '23:59')
  await page.click('[data-testid=menu-form] button[type=submit]')
}
