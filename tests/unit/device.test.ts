import { afterEach, describe, expect, it, vi } from 'vitest'

// The default signaling address: chosen at build time (VITE_SIGNALING_URL), else the
// app's own host on port 4444, wss on an https page.
const device = async () => {
  vi.resetModules()
  return import('../../src/sync/device')
}
afterEach(() => vi.unstubAllEnvs())

describe('default signaling', () => {
  it('follows the page when the build chose none', async () => {
    vi.stubEnv('VITE_SIGNALING_URL', '')
    const { BUILT_SIGNALING, defaultSignaling } = await device()
    expect(BUILT_SIGNALING).toEqual([])
    expect(defaultSignaling({ protocol: 'https:', hostname: '192.168.1.23' })).toEqual(['wss://192.168.1.23:4444'])
    expect(defaultSignaling({ protocol: 'http:', hostname: 'localhost' })).toEqual(['ws://localhost:4444'])
  })

  it('is the build-time list when there is one, wherever the app is served from', async () => {
    vi.stubEnv('VITE_SIGNALING_URL', 'wss://signal.example.org, wss://backup.example.org not-a-url')
    const { BUILT_SIGNALING, defaultSignaling } = await device()
    expect(BUILT_SIGNALING).toEqual(['wss://signal.example.org', 'wss://backup.example.org'])
    expect(defaultSignaling({ protocol: 'https:', hostname: 'app.example.org' })).toEqual(BUILT_SIGNALING)
  })
})
