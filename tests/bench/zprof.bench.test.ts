import { afterAll, beforeAll, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { launchDevice, startServers, type Device, type Servers } from '../e2e/harness'
import { buildBaseline, communityWithYear, markTodayShown, yearFiles } from './common'

let servers: Servers
let phone: Device
beforeAll(async () => {
  const year = yearFiles()
  buildBaseline()
  servers = await startServers()
  phone = await launchDevice('prof', undefined, { blockServiceWorkers: true })
  await phone.page.addInitScript(markTodayShown)
  await communityWithYear(phone.page, servers, year)
}, 1_800_000)
afterAll(async () => { await phone?.dispose(); await servers?.stop() })

function summarize(profile: any, label: string) {
  const byId = new Map<number, any>(profile.nodes.map((n: any) => [n.id, n]))
  const self = new Map<number, number>()
  const dt = profile.timeDeltas
  for (let i = 0; i < profile.samples.length; i++) self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (dt[i] ?? 0))
  const agg = new Map<string, number>()
  for (const [id, us] of self) {
    const n = byId.get(id)
    const f = n.callFrame
    const key = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber}`
    agg.set(key, (agg.get(key) ?? 0) + us)
  }
  // inclusive by function
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const incl = new Map<string, number>()
  for (const [id, us] of self) {
    const seen = new Set<string>()
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur).callFrame
      const key = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber}`
      if (seen.has(key)) continue
      seen.add(key)
      incl.set(key, (incl.get(key) ?? 0) + us)
    }
  }
  const chains = new Map<string, number>()
  for (const [id, us] of self) {
    const f0 = byId.get(id).callFrame.functionName
    if (!['decode', 'encodeInto', 'getAll', 'open'].includes(f0)) continue
    const path: string[] = []
    for (let cur: number | undefined = id; cur !== undefined && path.length < 12; cur = parent.get(cur)) {
      const f = byId.get(cur).callFrame
      path.push(`${f.functionName || '(anon)'}@${f.url.split('/').pop()}:${f.lineNumber}`)
    }
    const key = path.join(' < ')
    chains.set(key, (chains.get(key) ?? 0) + us)
  }
  const topChains = [...chains].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, v]) => `${(v / 1000).toFixed(1)} ${k}`).join('\n')
  const total = new Map<number, number>()
  const totalOf = (id: number): number => {
    if (total.has(id)) return total.get(id)!
    const n = byId.get(id)
    const t = (self.get(id) ?? 0) + (n.children ?? []).reduce((sum: number, c: number) => sum + totalOf(c), 0)
    total.set(id, t)
    return t
  }
  const lines: string[] = []
  const walk = (id: number, depth: number) => {
    const n = byId.get(id)
    const t = totalOf(id)
    if (t < Number(process.env.PROF_MIN ?? 60_000) || depth > 60) return
    const f = n.callFrame
    lines.push(`${' '.repeat(depth)}${(t / 1000).toFixed(0)} ${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber}`)
    for (const c of n.children ?? []) walk(c, depth + 1)
  }
  walk(profile.nodes[0].id, 0)
  writeFileSync(`/tmp/tree-${label}.txt`, lines.join('\n'))
  const top = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, 45).map(([k, v]) => `${(v / 1000).toFixed(1).padStart(8)} ${k}`).join('\n')
  writeFileSync(`/tmp/prof-${label}.txt`, `SELF\n${top(agg)}\n\nINCLUSIVE\n${top(incl)}\n\nCHAINS\n${topChains}\n`)
}

it('profile', async () => {
  const page = phone.page
  page.on('console', (m) => { if (m.text().startsWith('ZZ')) console.log(m.text().slice(0, 400)) })
  const cdp = await phone.context.newCDPSession(page)
  const mode = process.env.PROF ?? 'signup'
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 6 })
  await cdp.send('Profiler.enable')
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 })
  if (mode === 'start') {
    await page.goto(servers.appUrl)
    await page.waitForFunction(() => (window as any).todayShownAt !== undefined, undefined, { timeout: 120_000 })
    await page.goto('about:blank')
    await cdp.send('Profiler.start')
    await page.goto(servers.appUrl)
    await page.waitForFunction(() => (window as any).todayShownAt !== undefined, undefined, { timeout: 120_000 })
    console.log('shown at', await page.evaluate(() => (window as any).todayShownAt))
    const { profile } = await cdp.send('Profiler.stop')
    summarize(profile, 'start')
    writeFileSync('/tmp/start.cpuprofile', JSON.stringify(profile))
    return
  }
  await page.goto(servers.appUrl)
  await page.waitForFunction(() => (window as any).todayShownAt !== undefined, undefined, { timeout: 120_000 })
  await page.click('[data-testid=nav-shifts]')
  await page.waitForSelector('[data-testid=shift-card] [data-testid=sign-up]')
  await page.waitForTimeout(2000)
  await cdp.send('Profiler.start')
  const times: number[] = []
  for (let i = 0; i < Number(process.env.PROF_CLICKS ?? 20); i++) {
    const ms = await page.evaluate((n) => {
      const cards = [...document.querySelectorAll('[data-testid=shift-card]')].filter((c) => c.querySelector('[data-testid=sign-up]'))
      const card = cards[n % cards.length]!
      const start = performance.now()
      ;(card.querySelector('[data-testid=sign-up]') as HTMLButtonElement).click()
      return new Promise<number>((resolve) => requestAnimationFrame(() => resolve(performance.now() - start)))
    }, i)
    times.push(Math.round(ms))
    await page.waitForTimeout(300)
  }
  const { profile } = await cdp.send('Profiler.stop')
  console.log('times', times)
  summarize(profile, 'signup')
})
