import { execFileSync } from 'node:child_process'
import { cpSync, readdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { keptMonths, today } from '../../src/domain/calendar'
import { STANDING } from '../../src/store/space-docs'
import { launchDevice, startHubProcess, startServers, type Device, type HubProcess, type Servers } from '../e2e/harness'
import { inviteLink } from '../e2e/journeys'
import { bareJoin, buildBaseline, communityWithYear, docsAtStart, heapMB, markJoinClicked, markTodayShown, median, openHolderApp, ratio, report, yearFiles, type YearFiles } from './common'

// The community hub with the year: a hub process taking in the whole year from a
// phone, a fresh phone joining the hub, and a phone among ten peers. Baselines are
// bare Y.Docs over y-webrtc moving the same docs (one room each, framed channels),
// between two browsers over the same signaling server.

const RUNS = Number(process.env.BENCH_RUNS ?? 3)

let servers: Servers
let holder: Device
let year: YearFiles
let link: string
const dirs: string[] = []
const hubs: HubProcess[] = []
/** The data folder of a hub that holds the whole year (after the first test). */
let fullHubDir: string | undefined

const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'neighbours-hub-bench-'))
  dirs.push(dir)
  return dir
}

beforeAll(async () => {
  year = yearFiles()
  buildBaseline()
  execFileSync('npx', ['vite', 'build', '--config', 'vite.hub.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' })
  servers = await startServers()
  holder = await launchDevice('holder', undefined, { blockServiceWorkers: true })
  await communityWithYear(holder.page, servers, year)
  await openHolderApp(holder.page, servers)
  link = await inviteLink(holder.page, 'resident')
}, 1_800_000)

afterAll(async () => {
  await Promise.all(hubs.map((hub) => hub.stop()))
  await holder?.dispose()
  await servers?.stop()
  dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true }))
})

/** Ms from the hub being up until its log shows every public doc of the year received. */
async function appHubTakesYear(): Promise<{ ms: number; dir: string; hub: HubProcess }> {
  await openHolderApp(holder.page, servers)
  const dir = freshDir()
  const hub = await startHubProcess(dir, link, 'bench-hub')
  hubs.push(hub)
  const ready = Date.now()
  const names = Object.keys(year.public)
  const received = () => names.every((name) => hub.output().includes(`public ${name} ← `))
  while (!received()) {
    if (Date.now() - ready > 300_000) throw new Error(`the hub did not receive the year:\n${hub.output().slice(-2000)}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return { ms: Date.now() - ready, dir, hub }
}

it('a hub process takes in the whole year from a phone', async () => {
  const app: number[] = []
  const bare: number[] = []
  for (let run = 0; run < RUNS; run++) {
    const taken = await appHubTakesYear()
    app.push(taken.ms)
    await holder.page.goto('about:blank')
    // The last hub stays up, holding the year, for the next test; the others stop.
    if (run < RUNS - 1) await taken.hub.stop()
    else fullHubDir = taken.dir
    bare.push(await bareJoin(holder.page, servers, year, `hub${run}`, Object.keys(year.public)))
    await holder.page.goto('about:blank')
  }
  report('hub-takes-year', {
    appMs: median(app),
    baselineMs: median(bare),
    ratio: ratio(median(app), median(bare)),
    runs: { app: app.map(Math.round), baseline: bare.map(Math.round) },
    docs: Object.keys(year.public).length,
    publicEncodedBytes: Object.values(year.public).reduce((sum, bytes) => sum + bytes.length, 0),
    budget: { ratioAtMost: 2 },
  })
})

it('a fresh phone joins a hub that holds the year', async () => {
  expect(fullHubDir).toBeDefined()
  // Only the hub is online (the holder's app is closed).
  const kept = keptMonths(today()).filter((name) => name in year.public)
  const toToday: number[] = []
  const toWindow: number[] = []
  const bare: number[] = []
  for (let run = 0; run < RUNS; run++) {
    const joiner = await launchDevice(`joiner${run}`, undefined, { blockServiceWorkers: true })
    try {
      await joiner.page.addInitScript(markJoinClicked)
      await joiner.page.addInitScript(markTodayShown)
      await joiner.page.goto(link)
      await joiner.page.fill('input[name=displayName]', '李阿姨')
      await joiner.page.click('[data-testid=accept-invite]')
      await joiner.page.waitForFunction(() => (window as any).todayShownAt !== undefined, undefined, { timeout: Number(process.env.BENCH_JOIN_TIMEOUT ?? 300_000), polling: 100 }).catch(async (error) => {
        const seen = await joiner.page.evaluate(() => JSON.stringify({ status: (window as any).neighbours?.session?.publicSpace.status(), held: (window as any).neighbours?.session?.publicSpace.sync?.held() }))
        throw new Error(`Today never showed the menu: ${seen}\nhub: ${hubs.at(-1)?.output().slice(-3000)}`, { cause: error })
      })
      toToday.push(await joiner.page.evaluate(() => (window as any).todayShownAt - (window as any).joinClickedAt))
      // The window is stored when the shelf holds every kept month the year has.
      await joiner.page.waitForFunction((names) => {
        const held: string[] = (window as any).neighbours?.session?.publicSpace.sync?.held() ?? []
        if (!names.every((name: string) => held.includes(name))) return false
        ;(window as any).windowStoredAt ??= performance.now()
        return true
      }, [STANDING, ...kept], { timeout: 300_000, polling: 50 })
      toWindow.push(await joiner.page.evaluate(() => (window as any).windowStoredAt - (window as any).joinClickedAt))
    } finally {
      await joiner.dispose()
    }
    bare.push(await bareJoin(holder.page, servers, year, `joinhub${run}`, docsAtStart(year)))
    await holder.page.goto('about:blank')
  }
  report('join-hub', {
    toTodayMs: median(toToday),
    windowStoredMs: median(toWindow),
    baselineMs: median(bare),
    ratio: ratio(median(toToday), median(bare)),
    runs: { toToday: toToday.map(Math.round), windowStored: toWindow.map(Math.round), baseline: bare.map(Math.round) },
    windowDocs: [STANDING, ...kept],
    baselineDocs: docsAtStart(year),
    budget: { ratioAtMost: 1.5 },
  })
})

it('a phone holding the year among ten peers', async () => {
  expect(fullHubDir).toBeDefined()
  await Promise.all(hubs.map((hub) => hub.stop()))
  hubs.length = 0
  await openHolderApp(holder.page, servers)
  await holder.page.waitForTimeout(2_000)
  const heapAlone = await heapMB(holder.page)
  // Ten peers that already hold the year (copies of the full hub, each its own device).
  for (let i = 0; i < 10; i++) {
    const dir = freshDir()
    cpSync(fullHubDir!, dir, { recursive: true })
    rmSync(join(dir, 'hub', 'device.json'))
    // Each its own device: its own keys and sequence numbers (ten processes signing as one
    // device would sign different records with one number, and every device would refuse them).
    for (const folder of readdirSync(join(dir, 'hub'), { withFileTypes: true })) {
      if (folder.isDirectory()) for (const file of ['keys.json', 'settings.json']) rmSync(join(dir, 'hub', folder.name, file), { force: true })
    }
    hubs.push(await startHubProcess(dir, undefined, `peer${i}`))
  }
  const started = Date.now()
  await holder.page.waitForFunction(() => (window as any).neighbours.session.publicSpace.status().peers >= 10, undefined, { timeout: 120_000, polling: 200 })
  const allPeersMs = Date.now() - started
  await holder.page.waitForTimeout(5_000)
  const connections = await holder.page.evaluate(() => (window as any).neighbours.session.publicSpace.sync.connections.size as number)
  const peers = await holder.page.evaluate(() => (window as any).neighbours.session.publicSpace.status().peers as number)
  const heapWithPeers = await heapMB(holder.page)
  report('ten-peers', {
    peers,
    connections,
    allPeersConnectedMs: allPeersMs,
    heapAloneMB: heapAlone,
    heapWithPeersMB: heapWithPeers,
    budget: { connectionsPerPeer: 1, heapMBUnder: 60 },
  })
  expect(connections).toBe(10)
})
