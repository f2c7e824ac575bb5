import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { inject } from 'vitest'
import { freePort, startApp, startSignaling, type Running } from '../../scripts/servers.mjs'

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
  stopApp(): Promise<void>
  restartApp(): Promise<void>
  stopSignaling(): Promise<void>
  restartSignaling(): Promise<void>
  stop(): Promise<void>
}

export async function startServers(): Promise<Servers> {
  if (!existsSync('dist/index.html')) throw new Error('dist/ is missing: run `vite build` before the end-to-end tests')
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
  const [signalingPort, firstSignaling] = await retry(startSignaling)
  const [appPort, firstApp] = await retry((port) => startApp(port, '127.0.0.1')).catch(async (error) => {
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
    async stopApp() {
      await app?.stop()
      app = null
    },
    async restartApp() {
      app = await startApp(appPort, '127.0.0.1')
    },
    async stopSignaling() {
      await signaling?.stop()
      signaling = null
    },
    async restartSignaling() {
      signaling = await startSignaling(signalingPort)
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
  /** Starts the browser again with the same profile. */
  restart(): Promise<Device>
  /** Ends the browser and deletes its profile. */
  dispose(): Promise<void>
}

export interface LaunchOptions {
  /** Benchmarks route their own pages on the app's origin, which a service worker would answer instead. */
  blockServiceWorkers?: boolean
}

export async function launchDevice(name: string, profileDir?: string, options: LaunchOptions = {}): Promise<Device> {
  const dir = profileDir ?? mkdtempSync(join(tmpdir(), `neighbours-${name}-`))
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: inject('chromiumPath'),
    headless: true,
    args: CHROMIUM_ARGS,
    permissions: ['microphone'],
    viewport: { width: 360, height: 740 },
    locale: 'zh-CN',
    serviceWorkers: options.blockServiceWorkers ? 'block' : 'allow',
  })
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
