import * as Y from 'yjs'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { execFileSync } from 'node:child_process'
import { addDays, format, startOfWeek } from 'date-fns'
import type { Page, Route } from 'playwright-core'
import type { Servers } from '../e2e/harness'
import { createCommunity } from '../e2e/journeys'
import { buildYear } from './year'

// What every benchmark shares: the scale and seed, the year (built once through
// the store commands and kept in .bench/ between runs), and how a figure is reported.

export const SCALE = Number(process.env.BENCH_SCALE ?? 1)
export const SEED = Number(process.env.BENCH_SEED ?? 1)
const CACHE = '.bench'

/** The year ends two months after today, so "today" on the phone has a menu and shifts. */
export function firstMonday(): Date {
  return startOfWeek(addDays(new Date(), -300), { weekStartsOn: 1 })
}

export interface YearFiles {
  publicBytes: Buffer
  staffBytes: Buffer
  /** Entries (map keys) per collection in the public space. */
  counts: Record<string, number>
  entries: number
  commands: number
  refused: number
  buildMs: number
}

export function entryCounts(doc: Y.Doc): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const name of [...doc.share.keys()]) counts[name] = doc.getMap(name).size
  return counts
}

/** Builds the year (or reads the one built earlier with the same scale, seed and dates). */
export function yearFiles(onBuilt?: (year: ReturnType<typeof buildYear>, buildMs: number) => void): YearFiles {
  const monday = firstMonday()
  const name = join(CACHE, `year-${SCALE}x-seed${SEED}-${format(monday, 'yyyy-MM-dd')}`)
  if (!onBuilt && existsSync(`${name}.json`)) {
    const meta = JSON.parse(readFileSync(`${name}.json`, 'utf8'))
    return { ...meta, publicBytes: readFileSync(`${name}.public.bin`), staffBytes: readFileSync(`${name}.staff.bin`) }
  }
  const start = performance.now()
  const year = buildYear(SCALE, SEED, monday)
  const buildMs = Math.round(performance.now() - start)
  onBuilt?.(year, buildMs)
  const counts = entryCounts(year.publicDoc)
  const meta = { counts, entries: Object.values(counts).reduce((a, b) => a + b, 0), commands: year.commands, refused: year.refused, buildMs }
  mkdirSync(CACHE, { recursive: true })
  const publicBytes = Buffer.from(Y.encodeStateAsUpdate(year.publicDoc))
  const staffBytes = Buffer.from(Y.encodeStateAsUpdate(year.staffDoc))
  writeFileSync(`${name}.public.bin`, publicBytes)
  writeFileSync(`${name}.staff.bin`, staffBytes)
  writeFileSync(`${name}.json`, JSON.stringify(meta))
  return { ...meta, publicBytes, staffBytes }
}

/** Prints one benchmark's figures as one JSON object and keeps them for bench-results.json. */
export function report(bench: string, figures: Record<string, unknown>): void {
  const result = { bench, scale: SCALE, seed: SEED, ...figures }
  console.log(JSON.stringify(result))
  mkdirSync(join(CACHE, 'results'), { recursive: true })
  writeFileSync(join(CACHE, 'results', `${bench}.json`), JSON.stringify(result, null, 2))
}

export const median = (values: number[]) => percentile(values, 50)

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return Math.round(sorted[index]! * 10) / 10
}

export const ratio = (value: number, baseline: number) => Math.round((value / baseline) * 100) / 100

/**
 * Builds the bare-baseline page into dist/__bench/, so the app's own server serves it
 * from its origin and it reads the same IndexedDB. (A page answered by a Playwright
 * route counts as a public site, and Chromium then refuses its connections to the
 * loopback signaling server.) Run after the app's build, which empties dist/.
 */
export function buildBaseline(): void {
  execFileSync('npx', ['vite', 'build', '--config', 'tests/bench/vite.baseline.config.ts'], { stdio: 'inherit' })
}

/** Hands the year's bytes to pages under /__bench/ (bench browsers block service workers). */
export async function routeBench(page: Page, year: YearFiles): Promise<void> {
  await page.route('**/__bench/year-*.bin', (route: Route) => {
    const bytes = route.request().url().endsWith('year-staff.bin') ? year.staffBytes : year.publicBytes
    return route.fulfill({ body: bytes, contentType: 'application/octet-stream' })
  })
}

/** The JS heap in use after a full garbage collection, in MB. */
export async function heapMB(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('HeapProfiler.collectGarbage')
  const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }
  await cdp.detach()
  return Math.round((usedSize / 1024 / 1024) * 10) / 10
}

/**
 * Creates a community on this page and puts the year into its two spaces' y-indexeddb
 * databases, as if it had been synced there while the app was closed. Returns the
 * databases' names (public, staff).
 */
export async function communityWithYear(page: Page, servers: Servers, year: YearFiles): Promise<string[]> {
  await routeBench(page, year)
  await createCommunity(page, servers, '王主任', '幸福里社区')
  const device = await page.evaluate(() => JSON.parse(localStorage.getItem('neighbours.device')!))
  const membership = device.communities[0]
  const dbNames = [`neighbours-${membership.public.room}`, `neighbours-${membership.staff.room}`]
  await page.goto(`${servers.appUrl}/__bench/`)
  await page.evaluate(async ([pub, staff]) => {
    const bench = (window as any).bench
    await bench.store(pub, '/__bench/year-public.bin')
    await bench.store(staff, '/__bench/year-staff.bin')
  }, dbNames)
  return dbNames
}

/** An init script: when Today first shows today's menu (it needs the year's menus), in ms since navigation. */
export function markTodayShown(): void {
  const observer = new MutationObserver(() => {
    if (!document.querySelector('[data-testid=today-menu]')) return
    ;(window as unknown as { todayShownAt: number }).todayShownAt = performance.now()
    observer.disconnect()
  })
  observer.observe(document, { childList: true, subtree: true })
}
