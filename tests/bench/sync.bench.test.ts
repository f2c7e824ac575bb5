import { afterAll, beforeAll, expect, it } from 'vitest'
import { launchDevice, startServers, type Device, type Servers } from '../e2e/harness'
import { inviteLink, waitForPeers } from '../e2e/journeys'
import { buildBaseline, communityWithYear, docsAtStart, markTodayShown, median, ratio, report, routeBench, yearFiles, type YearFiles } from './common'

// A fresh phone joins a phone that holds the year: from tapping "join" to the Today
// screen showing today's menu. Baseline: two bare peers over y-webrtc holding the
// docs a joining phone fetches (the standing doc and the months it shows, one room
// each, with the same framed data channels, since stock y-webrtc cannot carry a
// month at all), from connecting until every entry has arrived. Both over the same
// signaling server.

const RUNS = Number(process.env.BENCH_RUNS ?? 3)

let servers: Servers
let holder: Device
let year: YearFiles
let link: string

// When the joiner taps "join"; markTodayShown notes when Today first shows the menu.
const markJoinClicked = () => {
  document.addEventListener('click', (event) => {
    if ((event.target as Element).closest?.('[data-testid=accept-invite]')) (window as unknown as { joinClickedAt: number }).joinClickedAt = performance.now()
  }, true)
}

async function openHolderApp() {
  await holder.page.goto(servers.appUrl)
  await holder.page.waitForSelector('[data-testid=today-menu]', { timeout: 120_000 })
  // The holder is online before the joiner comes, as the bare holder is.
  await holder.page.waitForFunction(() => (window as any).neighbours?.session?.publicSpace.status().signalingConnected > 0, undefined, { timeout: 60_000 })
  await holder.page.waitForTimeout(500)
}

beforeAll(async () => {
  year = yearFiles()
  buildBaseline()
  servers = await startServers()
  holder = await launchDevice('holder', undefined, { blockServiceWorkers: true })
  await communityWithYear(holder.page, servers, year)
  await openHolderApp()
  link = await inviteLink(holder.page, 'resident')
}, 1_800_000)

afterAll(async () => {
  await holder?.dispose()
  await servers?.stop()
})

async function appJoin(run: number): Promise<number> {
  await openHolderApp()
  const joiner = await launchDevice(`joiner${run}`, undefined, { blockServiceWorkers: true })
  try {
    await joiner.page.addInitScript(markJoinClicked)
    await joiner.page.addInitScript(markTodayShown)
    await joiner.page.goto(link)
    await joiner.page.fill('input[name=displayName]', '李阿姨')
    await joiner.page.click('[data-testid=accept-invite]')
    await joiner.page.waitForFunction(() => (window as any).todayShownAt !== undefined, undefined, { timeout: 300_000, polling: 100 })
    await waitForPeers(joiner.page, 1)
    return await joiner.page.evaluate(() => (window as any).todayShownAt - (window as any).joinClickedAt)
  } finally {
    await joiner.dispose()
  }
}

async function bareJoin(run: number): Promise<number> {
  const room = `bench-bare-${Date.now()}-${run}`
  const password = 'bench-secret-for-the-bare-baseline'
  await holder.page.goto(`${servers.appUrl}/__bench/`)
  const docs = docsAtStart(year)
  const urls = Object.fromEntries(docs.map((name) => [name, `/__bench/year/public/${name}.bin`]))
  const entries = Object.fromEntries(docs.map((name) => [name, year.docEntries[name]!]))
  await holder.page.evaluate(([u, r, p, s]) => (window as any).bench.hold(u, r, p, s), [urls, room, password, servers.signalingUrl] as const)
  const joiner = await launchDevice(`bare${run}`, undefined, { blockServiceWorkers: true })
  try {
    await routeBench(joiner.page, year)
    await joiner.page.goto(`${servers.appUrl}/__bench/`)
    return await joiner.page.evaluate(
      ([r, p, s, e]) => (window as any).bench.join(r, p, s, e),
      [room, password, servers.signalingUrl, entries] as const,
    )
  } finally {
    await joiner.dispose()
  }
}

it('a fresh phone joins a phone holding the year', async () => {
  const app: number[] = []
  const bare: number[] = []
  for (let run = 0; run < RUNS; run++) {
    app.push(await appJoin(run))
    bare.push(await bareJoin(run))
  }
  expect(app.every((ms) => ms > 0)).toBe(true)
  report('two-peer-sync', {
    appMs: median(app),
    baselineMs: median(bare),
    ratio: ratio(median(app), median(bare)),
    runs: { app: app.map(Math.round), baseline: bare.map(Math.round) },
    baselineDocs: docsAtStart(year),
    baselineEncodedBytes: docsAtStart(year).reduce((sum, name) => sum + year.public[name]!.length, 0),
    publicEncodedBytes: Object.values(year.public).reduce((sum, bytes) => sum + bytes.length, 0),
    budget: { ratioAtMost: 2 },
  })
})
