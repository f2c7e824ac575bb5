import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { spawn, type ChildProcess } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { inject } from 'vitest'
import { localAuthority, serverCertificate } from '../../scripts/certs.mjs'
import { freePort, startApp, startSignaling, type Running, type Tls } from '../../scripts/servers.mjs'
import { clockOffsetMs, testNow } from '../dates'

// Real parts only: the built app from dist/, y-webrtc's own signaling server on a
// free loopback port, and Chromium (found by chromium.setup.ts) driven by
// playwright-core. Every "device" is its own Chromium process with its own profile,
// so two devices can reach each other only over WebRTC, never over a
// BroadcastChannel between tabs.

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // With microphone permission granted, this lets WebRTC gather host candidates on
  // a machine that has only the loopback interface.
  '--allow-loopback-in-peer-connection',
]

export interface Servers {
  app: Running
  signaling: Running
  appUrl: string
  signalingUrl: string
  /** With `https`: the local authority's key hash, for launchDevice's `trustSpki`. */
  spki?: string
  stopApp(): Promise<void>
  /** Starts the app server again on the same port, serving `outDir` if given (a newer build). */
  restartApp(outDir?: string): Promise<void>
  stopSignaling(): Promise<void>
  restartSignaling(): Promise<void>
  stop(): Promise<void>
}

export interface ServerOptions {
  /** Serve the app over https and signaling over wss, with a certificate from a new local authority. */
  https?: boolean
  /** A build other than dist/ (the update test serves two builds in turn). */
  outDir?: string
}

export async function startServers(options: ServerOptions = {}): Promise<Servers> {
  const outDir = options.outDir ?? 'dist'
  if (!existsSync(join(outDir, 'index.html'))) throw new Error(`${outDir}/ is missing: run \`vite build\` before the end-to-end tests`)
  let tls: Tls | undefined
  let spki: string | undefined
  if (options.https) {
    const dir = mkdtempSync(join(tmpdir(), 'neighbours-ca-'))
    const authority = localAuthority(dir)
    tls = serverCertificate(authority, ['127.0.0.1', 'localhost'], dir)
    spki = authority.spki
    rmSync(dir, { recursive: true, force: true }) // the key and certificate are in memory now
  }
  const appOn = (port: number, dir = outDir) => startApp(port, '127.0.0.1', { https: tls, outDir: dir })
  const signalingOn = (port: number) => startSignaling(port, { tls, host: '127.0.0.1' })
  // One port at a time, each taken right after it was found free; a port another
  // process grabbed in between is simply tried again with a new one.
  const retry = async <T>(start: (port: number) => Promise<T>): Promise<[number, T]> => {
    for (let attempt = 1; ; attempt++) {
      const port = await freePort()
      try {
        return [port, await start(port)]
      } catch (error) {
        if (attempt >= 5) throw error
      }
    }
  }
  const [signalingPort, firstSignaling] = await retry(signalingOn)
  const [appPort, firstApp] = await retry((port) => appOn(port)).catch(async (error) => {
    await firstSignaling.stop() // never leave a server behind
    throw error
  })
  let signaling: Running | null = firstSignaling
  let app: Running | null = firstApp
  const servers: Servers = {
    app,
    signaling,
    appUrl: app.url,
    signalingUrl: signaling.url,
    spki,
    async stopApp() {
      await app?.stop()
      app = null
    },
    async restartApp(dir?: string) {
      app = await appOn(appPort, dir)
    },
    async stopSignaling() {
      await signaling?.stop()
      signaling = null
    },
    async restartSignaling() {
      signaling = await signalingOn(signalingPort)
    },
    async stop() {
      await Promise.allSettled([app?.stop(), signaling?.stop()])
      app = null
      signaling = null
    },
  }
  return servers
}

export interface Device {
  name: string
  context: BrowserContext
  page: Page
  profileDir: string
  /** Ends the browser process, keeping its profile (a phone switched off). */
  close(): Promise<void>
  /** Ends the browser process with SIGKILL, as a phone's system does to a background browser: nothing gets to flush. */
  kill(): Promise<void>
  /** Starts the browser again with the same profile. */
  restart(): Promise<Device>
  /** Ends the browser and deletes its profile. */
  dispose(): Promise<void>
}

export interface LaunchOptions {
  /** Benchmarks route their own pages on the app's origin, which a service worker would answer instead. */
  blockServiceWorkers?: boolean
  /** Trust certificates whose chain holds this key (a local authority's), as a phone that installed it would. */
  trustSpki?: string
}

export async function launchDevice(name: string, profileDir?: string, options: LaunchOptions = {}): Promise<Device> {
  const dir = profileDir ?? mkdtempSync(join(tmpdir(), `neighbours-${name}-`))
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: inject('chromiumPath'),
    headless: true,
    args: options.trustSpki ? [...CHROMIUM_ARGS, `--ignore-certificate-errors-spki-list=${options.trustSpki}`] : CHROMIUM_ARGS,
    permissions: ['microphone'],
    viewport: { width: 360, height: 740 },
    locale: 'zh-CN',
    serviceWorkers: options.blockServiceWorkers ? 'block' : 'allow',
  })
  // Under `npm run test:dates` every page's clock runs from the chosen day (tests/dates.ts).
  if (clockOffsetMs !== 0) await context.clock.install({ time: testNow() })
  const page = context.pages()[0] ?? (await context.newPage())
  page.on('pageerror', (error) => console.error(`[${name}] page error:`, error.message))
  let closed = false
  const device: Device = {
    name,
    context,
    page,
    profileDir: dir,
    async close() {
      if (closed) return
      closed = true
      await context.close()
    },
    async kill() {
      // The browser process is the one started with this profile and no --type= (renderers and helpers have one).
      const browser = readdirSync('/proc').filter((pid) => /^\d+$/.test(pid)).find((pid) => {
        try {
          const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
          return args.includes(`--user-data-dir=${dir}`) && !args.some((arg) => arg.startsWith('--type='))
        } catch {
          return false // the process ended while we looked
        }
      })
      if (!browser) throw new Error(`no browser process found for ${dir}`)
      const gone = new Promise<void>((resolve) => context.once('close', () => resolve()))
      process.kill(Number(browser), 'SIGKILL')
      await gone
      closed = true
    },
    async restart() {
      await device.close()
      return launchDevice(name, dir, options)
    },
    async dispose() {
      await device.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
  return device
}

/** Runs `fn` with servers and devices, and always shuts every one of them down. */
export function withCleanup() {
  const cleanups: (() => Promise<unknown>)[] = []
  return {
    add<T>(value: T, cleanup: (value: T) => Promise<unknown>): T {
      cleanups.push(() => cleanup(value))
      return value
    },
    async run() {
      for (const cleanup of cleanups.reverse()) await cleanup().catch((e) => console.error('cleanup failed:', e))
      cleanups.length = 0
    },
  }
}

export interface HubProcess {
  output: () => string
  stop(): Promise<void>
}

/** The hub process (dist-hub/hub.mjs, built by `npm test`), kept to loopback, with its data in `dataDir`. */
export async function startHubProcess(dataDir: string, link?: string, name = '办公室中转站'): Promise<HubProcess> {
  const child: ChildProcess = spawn(process.execPath, [...(clockOffsetMs !== 0 ? ['--import', './tests/clock-shift.mjs'] : []), 'dist-hub/hub.mjs', ...(link ? [link] : [])], {
    env: { ...process.env, NEIGHBOURS_TEST_NOW: String(testNow().getTime()), NEIGHBOURS_DATA: dataDir, HUB_BIND_ADDRESS: '127.0.0.1', HUB_NAME: name },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const started = Date.now()
  while (!/Hub for|Usage|not a Neighbours|removed this hub/.test(output) && Date.now() - started < 60_000) await new Promise((resolve) => setTimeout(resolve, 50))
  if (!output.includes('Hub for')) throw new Error(`the hub process did not start:\n${output}`)
  return {
    output: () => output,
    async stop() {
      child.kill('SIGTERM')
      await exited
    },
  }
}
