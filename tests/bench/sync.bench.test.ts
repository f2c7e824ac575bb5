import { afterAll, beforeAll, expect, it } from 'vitest'
import { launchDevice, startServers, type Device, type Servers } from '../e2e/harness'
import { inviteLink, waitForPeers } from '../e2e/journeys'
import { bareJoin, buildBaseline, communityWithYear, docsAtStart, markJoinClicked, markTodayShown, median, openHolderApp, ratio, report, yearFiles, type YearFiles } from './common'

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

beforeAll(async () => {
  year = yearFiles()
  buildBaseline()
  servers = await startServers()
  holder = await launchDevice('holder', undefined, { blockServiceWorkers: true })
  await communityWithYear(holder.page, servers, year)
  await openHolderApp(holder.page, servers)
  link = await inviteLink(holder.page, 'resident')
}, 1_800_000)

afterAll(async () => {
  await holder?.dispose()
  await servers?.stop()
})

async function appJoin(run: number): Promise<number> {
  await openHolderApp(holder.page, servers)
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

it('a fresh phone joins a phone holding the year', async () => {
  const app: number[] = []
  const bare: number[] = []
  for (let run = 0; run < RUNS; run++) {
    app.push(await appJoin(run))
    bare.push(await bareJoin(holder.page, servers, year, `sync${run}`, docsAtStart(year)))
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
