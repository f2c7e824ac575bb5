import * as Y from 'yjs'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { execFileSync } from 'node:child_process'
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto'
import { addDays, format, startOfWeek } from 'date-fns'
import type { Page, Route } from 'playwright-core'
import { launchDevice, type Servers } from '../e2e/harness'
import { createCommunity } from '../e2e/journeys'
import { buildYear } from './year'
import { monthOf, monthsAround, today } from '../../src/domain/calendar'
import { publicSpace } from '../../src/store/layout'
import { docRoom, STANDING, type DocName, type SpaceDocs, type SpaceMap } from '../../src/store/space-docs'
import { isChecked } from '../../src/domain/authority'
import { databaseName, storeOf } from '../../src/sync/persistence'
import { recordBytes } from '../../src/domain/trust'

// What every benchmark shares: the scale and seed, the year (built once through
// the store commands and kept in .bench/ between runs), and how a figure is reported.

export const SCALE = Number(process.env.BENCH_SCALE ?? 1)
export const SEED = Number(process.env.BENCH_SEED ?? 1)
const CACHE = '.bench'

/** The year ends two months after today, so "today" on the phone has a menu and shifts. */
export function firstMonday(): Date {
  return startOfWeek(addDays(new Date(), -300), { weekStartsOn: 1 })
}

type SpaceFiles = Record<DocName, Buffer>

export interface YearFiles {
  /** Each doc's encoded state (the standing doc and one per month), by space and doc name. */
  public: SpaceFiles
  staff: SpaceFiles
  /** Entries (map keys) per collection in the public space. */
  counts: Record<string, number>
  /** Entries per doc of the public space. */
  docEntries: Record<DocName, number>
  entries: number
  commands: number
  refused: number
  buildMs: number
  /**
   * The key every record of the year is signed with, which founds the bench community
   * (its private halves as PKCS#8, base64): records dated before their author held a role
   * do not count, so the year's author holds one from before its first record.
   */
  signer: string
  founderKeys: { signing: string; agreement: string; publicKey: string; agreementKey: string }
  /** The bench community's id, made from the signer's key as the app makes one (trust/keys.ts newCommunityId): signatures name it. */
  community: string
}

const base64Url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url')
/** A community id bound to `founderKey`, made as the app makes one (a salt, and a hash of key and salt). */
function communityIdOf(founderKey: string): string {
  const salt = base64Url(randomBytes(8))
  const hash = createHash('sha256').update(Buffer.concat([Buffer.from(founderKey, 'base64url'), Buffer.from(salt, 'base64url')])).digest()
  return salt + base64Url(hash.subarray(0, 16))
}

/**
 * Signs every record of the year as a phone does: right after each command, the signed
 * copy replaces the record it wrote. One key signs all (a staff phone may write
 * anything), with Node's synchronous Ed25519.
 */
function yearSigner(privateKey: KeyObject, signer: string, community: string) {
  const written = new Set<{ map: SpaceMap; key: string; space: 'public' | 'staff' }>()
  return {
    onDocs(docs: SpaceDocs, space: 'public' | 'staff') {
      docs.gate = { read: (_map, key, shard) => shard.get(key), replaced: () => {}, written: (map, key) => void written.add({ map, key, space }) }
    },
    afterCommand() {
      for (const { map, key, space } of written) {
        const shard = map.shardOf(key)
        const value = shard?.get(key) as Record<string, unknown> | undefined
        if (!shard || !value || !isChecked(map.name) || 'sig' in value) continue
        const s = new Uint8Array(sign(null, recordBytes({ community, space }, map.name, key, value), privateKey))
        shard.doc!.transact(() => shard.set(key, { ...value, sig: { by: signer, s } }))
      }
      written.clear()
    },
  }
}

function entryCounts(space: SpaceDocs): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const [name, map] of Object.entries(publicSpace(space))) counts[name] = map.size
  return counts
}

const docEntries = (doc: Y.Doc) => [...doc.share.keys()].reduce((sum, name) => sum + doc.getMap(name).size, 0)

/** The docs a phone reads before it shows Today: the standing doc and this month (next month follows once Today is drawn). */
export const docsAtStart = (year: YearFiles): DocName[] => [STANDING, monthOf(today())].filter((name) => name in year.public)

/** The docs a phone opens without being asked: the standing doc, this month and the next. */
export const docsShown = (year: YearFiles): DocName[] => [STANDING, ...monthsAround(today())].filter((name) => name in year.public)

function readSpaceFiles(dir: string, space: string): SpaceFiles {
  const files: SpaceFiles = {}
  for (const file of readdirSync(dir)) if (file.startsWith(`${space}.`)) files[file.slice(space.length + 1, -'.bin'.length)] = readFileSync(join(dir, file))
  return files
}

function writeSpaceFiles(dir: string, space: string, doc: SpaceDocs): SpaceFiles {
  const files: SpaceFiles = {}
  for (const [name, ydoc] of doc.opened) {
    files[name] = Buffer.from(Y.encodeStateAsUpdate(ydoc))
    writeFileSync(join(dir, `${space}.${name}.bin`), files[name])
  }
  return files
}

/** Builds the year (or reads the one built earlier with the same scale, seed and dates). */
export function yearFiles(onBuilt?: (year: ReturnType<typeof buildYear>, buildMs: number) => void): YearFiles {
  const monday = firstMonday()
  const dir = join(CACHE, `year-signed5-${SCALE}x-seed${SEED}-${format(monday, 'yyyy-MM-dd')}`)
  if (!onBuilt && existsSync(join(dir, 'meta.json'))) {
    const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8'))
    return { ...meta, public: readSpaceFiles(dir, 'public'), staff: readSpaceFiles(dir, 'staff') }
  }
  const keys = generateKeyPairSync('ed25519')
  const agreement = generateKeyPairSync('x25519')
  const signer = keys.publicKey.export({ format: 'jwk' }).x!
  const pkcs8 = (key: KeyObject) => key.export({ format: 'der', type: 'pkcs8' }).toString('base64')
  const founderKeys = { signing: pkcs8(keys.privateKey), agreement: pkcs8(agreement.privateKey), publicKey: signer, agreementKey: agreement.publicKey.export({ format: 'jwk' }).x! }
  const community = communityIdOf(signer)
  const signing = yearSigner(keys.privateKey, signer, community)
  const start = performance.now()
  const year = buildYear(SCALE, SEED, monday, signing)
  signing.afterCommand()
  const buildMs = Math.round(performance.now() - start)
  onBuilt?.(year, buildMs)
  const counts = entryCounts(year.publicDoc)
  const meta = {
    counts,
    docEntries: Object.fromEntries([...year.publicDoc.opened].map(([name, doc]) => [name, docEntries(doc)])),
    entries: Object.values(counts).reduce((a, b) => a + b, 0),
    commands: year.commands,
    refused: year.refused,
    buildMs,
    signer,
    founderKeys,
    community,
  }
  mkdirSync(dir, { recursive: true })
  const files = { public: writeSpaceFiles(dir, 'public', year.publicDoc), staff: writeSpaceFiles(dir, 'staff', year.staffDoc) }
  writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta))
  return { ...meta, ...files }
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

/** Hands the year's bytes to pages as /__bench/year/<space>/<doc>.bin (bench browsers block service workers). */
export async function routeBench(page: Page, year: YearFiles): Promise<void> {
  await page.route('**/__bench/year/**', (route: Route) => {
    const [space, file] = new URL(route.request().url()).pathname.split('/').slice(-2) as ['public' | 'staff', string]
    const bytes = year[space][file.slice(0, -'.bin'.length)]
    return bytes ? route.fulfill({ body: bytes, contentType: 'application/octet-stream' }) : route.fulfill({ status: 404 })
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

export interface YearDatabases {
  /** The y-indexeddb database of each doc, by space and doc name. */
  public: Record<DocName, string>
  staff: Record<DocName, string>
}

/**
 * Creates a community on this page and puts the year into its two spaces' y-indexeddb
 * databases (one per doc), as if it had been synced there while the app was closed.
 */
export async function communityWithYear(page: Page, servers: Servers, year: YearFiles): Promise<YearDatabases> {
  await routeBench(page, year)
  // The year's signer founds the community: its keys go where the app keeps a device's
  // keys (on the bench page, which runs no app code to make keys of its own first).
  await page.goto(`${servers.appUrl}/__bench/`)
  await page.evaluate(async (keys) => {
    const bytes = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0))
    const signing = await crypto.subtle.importKey('pkcs8', bytes(keys.signing), { name: 'Ed25519' }, false, ['sign'])
    const agreement = await crypto.subtle.importKey('pkcs8', bytes(keys.agreement), { name: 'X25519' }, false, ['deriveBits'])
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('neighbours', 1)
      request.onupgradeneeded = () => request.result.createObjectStore('settings')
      request.onsuccess = () => resolve(request.result)
      request.onerror = () => reject(request.error)
    })
    await new Promise((resolve, reject) => {
      const tx = db.transaction('settings', 'readwrite')
      tx.objectStore('settings').put({ signing: { privateKey: signing }, agreement: { privateKey: agreement }, publicKey: keys.publicKey, agreementKey: keys.agreementKey }, 'neighbours.keys')
      tx.oncomplete = resolve
      tx.onerror = () => reject(tx.error)
    })
    db.close()
  }, year.founderKeys)
  await createCommunity(page, servers, '王主任', '幸福里社区')
  const membership = await page.evaluate(() => (window as any).neighbours.session.membership)
  if (membership.founder !== year.signer) throw new Error('the bench community was not founded with the year\'s key')
  // Named for the community id the year is signed for, which the membership takes below.
  const databases = (space: 'public' | 'staff') => Object.fromEntries(Object.keys(year[space]).map((name) => [name, databaseName(docRoom(storeOf(year.community, space, membership[space].room), name))]))
  const dbs: YearDatabases = { public: databases('public'), staff: databases('staff') }
  const stores = (['public', 'staff'] as const).flatMap((space) => Object.entries(dbs[space]).map(([name, db]) => [db, `/__bench/year/${space}/${name}.bin`]))
  await page.goto(`${servers.appUrl}/__bench/`)
  await page.evaluate(async (list) => {
    for (const [db, url] of list) await (window as any).bench.store(db, url)
  }, stores)
  // The year's records are signed for the community id made with them: the community
  // just made takes that id (its rooms stay), as if it had been founded with it.
  await page.evaluate(async ({ from, to }) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('neighbours', 1)
      request.onsuccess = () => resolve(request.result)
      request.onerror = () => reject(request.error)
    })
    await new Promise((resolve, reject) => {
      const store = db.transaction('settings', 'readwrite').objectStore('settings')
      const read = store.get('neighbours.device')
      read.onsuccess = () => {
        const settings = read.result
        settings.communities = settings.communities.map((c: { id: string }) => (c.id === from ? { ...c, id: to } : c))
        if (settings.activeCommunityId === from) settings.activeCommunityId = to
        const write = store.put(settings, 'neighbours.device')
        write.onsuccess = resolve
        write.onerror = () => reject(write.error)
      }
      read.onerror = () => reject(read.error)
    })
    db.close()
  }, { from: membership.id, to: year.community })
  // Playwright turns the browser's HTTP cache off while a route is installed: without
  // this, every start measured here would download the app's modules again, which no
  // phone does (its service worker, or its HTTP cache, holds them).
  await page.unrouteAll()
  return dbs
}

/** An init script: when Today first shows today's menu (from its glance, or live), in ms since navigation. */
export function markTodayShown(): void {
  const observer = new MutationObserver(() => {
    if (!document.querySelector('[data-testid=today-menu]')) return
    ;(window as unknown as { todayShownAt: number }).todayShownAt = performance.now()
    observer.disconnect()
  })
  observer.observe(document, { childList: true, subtree: true })
}

/**
 * An init script: when the live app shows Today's menu (its glance gone, ui/today/glance.tsx),
 * in ms since navigation. Without a glance (a first open) it is when Today first shows.
 */
export function markTodayLive(): void {
  const observer = new MutationObserver(() => {
    if (document.getElementById('glance') || !document.querySelector('#root:not([hidden]) [data-testid=today-menu]')) return
    ;(window as unknown as { todayLiveAt: number }).todayLiveAt = performance.now()
    observer.disconnect()
  })
  observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['hidden'] })
}

/** An init script: when the joiner taps "join" (markTodayShown notes when Today first shows the menu). */
export function markJoinClicked(): void {
  document.addEventListener('click', (event) => {
    if ((event.target as Element).closest?.('[data-testid=accept-invite]')) (window as unknown as { joinClickedAt: number }).joinClickedAt = performance.now()
  }, true)
}

/** Opens the app on the phone holding the year, and waits until it is online (as a bare holder is before a joiner comes). */
export async function openHolderApp(page: Page, servers: Servers): Promise<void> {
  await page.goto(servers.appUrl)
  await page.waitForSelector('[data-testid=today-menu]', { timeout: 120_000 })
  await page.waitForFunction(() => (window as any).neighbours?.session?.publicSpace.status().signalingConnected > 0, undefined, { timeout: 60_000 })
  await page.waitForTimeout(500)
}

/**
 * The bare baseline: the holder's page holds these public docs as bare Y.Docs over
 * y-webrtc (a room each, framed channels); a fresh browser joins them. Ms from the
 * joiner connecting until every doc has all its entries.
 */
export async function bareJoin(holder: Page, servers: Servers, year: YearFiles, label: string, names: DocName[]): Promise<number> {
  const room = `bench-bare-${Date.now()}-${label}`
  const password = 'bench-secret-for-the-bare-baseline'
  // The year reaches the page through a route only while it loads (a route turns the browser's cache off).
  await routeBench(holder, year)
  await holder.goto(`${servers.appUrl}/__bench/`)
  const urls = Object.fromEntries(names.map((name) => [name, `/__bench/year/public/${name}.bin`]))
  const entries = Object.fromEntries(names.map((name) => [name, year.docEntries[name]!]))
  await holder.evaluate(([u, r, p, s]) => (window as any).bench.hold(u, r, p, s), [urls, room, password, servers.signalingUrl] as const)
  await holder.unrouteAll()
  const joiner = await launchDevice(`bare-${label}`, undefined, { blockServiceWorkers: true })
  try {
    await routeBench(joiner.page, year)
    await joiner.page.goto(`${servers.appUrl}/__bench/`)
    return await joiner.page.evaluate(([r, p, s, e]) => (window as any).bench.join(r, p, s, e), [room, password, servers.signalingUrl, entries] as const)
  } finally {
    await joiner.dispose()
  }
}
