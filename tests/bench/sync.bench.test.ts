import { afterAll, beforeAll, expect, it } from 'vitest'
import { launchDevice, startServers, type Device, type Servers } from '../e2e/harness'
import { createCommunity, inviteLink, waitForPeers } from '../e2e/journeys'
import { buildBaseline, median, ratio, report, routeBench, yearFiles, type YearFiles } from './common'

// A fresh phone joins a phone that holds the year: from tapping "join" to the Today
// screen showing today's menu. Baseline: two bare Y.Docs over y-webrtc (with the
// same framed data channels, since stock y-webrtc cannot carry the year at all),
// from connecting until every entry has arrived. Both over the same signaling server.

const RUNS = Number(process.env.BENCH_RUNS ?? 3)

let servers: Servers
let holder: Device
let year: YearFiles
let link: string

const markToday = () => {
  const w = window as unknown as { todayShownAt?: number; joinClickedAt?: number }
  document.addEventListener('click', (event) => {
    if ((event.target as Element).closest?.('[data-testid=accept-invite]')) w.joinClickedAt = performance.now()
  }, true)
  const observer = new MutationObserver(() => {
    if (!document.querySelector('[data-testid=today-menu]')) return
    w.todayShownAt = performance.now()
    observer.disconnect()
  })
  observer.observe(document, { childList: true, subtree: true })
}

async function openHolderApp() {
  await holder.page.goto(servers.appUrl)
  await holder.page.waitForSelector('[data-testid=today-menu]', { timeout: 120_000 })
  // The holder is online before the joiner comes, as the bare holder is: two peers
  // announcing at the same moment both start as initiator (see transport.ts).
  await holder.page.waitForFunction(() => (window as any).neighbours?.session?.publicSpace.status().signalingConnected > 0, undefined, { timeout: 60_000 })
  await holder.page.waitForTimeout(500)
}

beforeAll(async () => {
  year = yearFiles()
  buildBaseline()
  servers = await startServers()
  holder = await launchDevice('holder', undefined, { blockServiceWorkers: true })
  await routeBench(holder.page, year)
  await createCommunity(holder.page, servers, '王主任', '幸福里社区')
  const device = await holder.page.evaluate(() => JSON.parse(localStorage.getItem('neighbours.device')!))
  const rooms = [device.communities[0].public.room, device.communities[0].staff.room]
  await holder.page.goto(`${servers.appUrl}/__bench/`)
  await holder.page.evaluate(async ([pub, staff]) => {
    await (window as any).bench.store(`neighbours-${pub}`, '/__bench/year-public.bin')
    await (window as any).bench.store(`neighbours-${staff}`, '/__bench/year-staff.bin')
  }, rooms)
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
    await joiner.page.addInitScript(markToday)
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
  await holder.page.evaluate(([r, p, s]) => (window as any).bench.hold('/__bench/year-public.bin', r, p, s), [room, password, servers.signalingUrl])
  const joiner = await launchDevice(`bare${run}`, undefined, { blockServiceWorkers: true })
  try {
    await routeBench(joiner.page, year)
    await joiner.page.goto(`${servers.appUrl}/__bench/`)
    return await joiner.page.evaluate(
      ([r, p, s, n]) => (window as any).bench.join(r, p, s, 'reservations', n),
      [room, password, servers.signalingUrl, year.counts.reservations!] as const,
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
    publicEncodedBytes: year.publicBytes.length,
    budget: { ratioAtMost: 2 },
  })
})
