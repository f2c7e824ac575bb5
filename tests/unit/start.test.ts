import { describe, expect, it } from 'vitest'
import type { NetworkInterfaceInfo } from 'node:os'
import { lanAddresses, startMessage, trustPage } from '../../scripts/lan.mjs'

const entry = (address: string, family: 'IPv4' | 'IPv6', internal = false) =>
  ({ address, family, internal, netmask: '', mac: '', cidr: null, ...(family === 'IPv6' ? { scopeid: 0 } : {}) }) as NetworkInterfaceInfo

describe('what npm start prints', () => {
  const interfaces = {
    lo: [entry('127.0.0.1', 'IPv4', true), entry('::1', 'IPv6', true)],
    wlan0: [entry('192.168.1.23', 'IPv4'), entry('fe80::1', 'IPv6')],
    eth0: [entry('10.0.0.5', 'IPv4'), entry('169.254.3.3', 'IPv4')],
  }

  it('lists every LAN address a phone can type, not loopback, link-local or IPv6', () => {
    expect(lanAddresses(interfaces)).toEqual(['192.168.1.23', '10.0.0.5'])
  })

  it('over http: this computer, each LAN address, a QR code of the first, and why phones need https', () => {
    const text = startMessage({ scheme: 'http', appPort: 8080, signalingPort: 4444, addresses: ['192.168.1.23', '10.0.0.5'] })
    expect(text).toContain('http://localhost:8080/')
    expect(text).toContain('http://192.168.1.23:8080/')
    expect(text).toContain('http://10.0.0.5:8080/')
    expect(text).toMatch(/[█▀▄]{20,}/)
    expect(text).toContain('HTTPS=1 npm start')
  })

  it('over https: the app addresses and, for phones, the trust page with its fingerprint', () => {
    const text = startMessage({ scheme: 'https', appPort: 8443, signalingPort: 4444, addresses: ['192.168.1.23'], trustPort: 8080, fingerprint: 'AB:CD' })
    expect(text).toContain('https://192.168.1.23:8443/')
    expect(text).toContain('wss://…:4444')
    expect(text).toContain('http://192.168.1.23:8080/')
    expect(text).toContain('SHA-256 AB:CD')
  })

  it('says so when there is no LAN', () => {
    const text = startMessage({ scheme: 'http', appPort: 8080, signalingPort: 4444, addresses: [] })
    expect(text).toContain('http://localhost:8080/')
    expect(text).toContain('No LAN address')
  })

  it('the trust page explains Android and iPhone in both languages and links the app with a QR code', () => {
    const page = trustPage({ appUrl: 'https://192.168.1.23:8443/', fingerprint: 'AB:CD' })
    for (const words of ['安卓', 'Android', 'iPhone', '证书信任设置', 'Certificate Trust Settings', '/neighbours-ca.crt', 'href="https://192.168.1.23:8443/"', '<svg', 'AB:CD']) {
      expect(page).toContain(words)
    }
  })
})

describe('the browser the tests bring', () => {
  it('names a missing CHROMIUM_PATH and says what to run instead', async () => {
    const { findChromium } = await import('../../scripts/chromium.mjs')
    const before = process.env.CHROMIUM_PATH
    process.env.CHROMIUM_PATH = '/nowhere/chrome'
    try {
      const failure = await findChromium().then(() => null, (error: Error) => error.message)
      expect(failure).toContain('/nowhere/chrome')
      expect(failure).toContain('npm install')
      expect(failure).toContain('apt-get install chromium')
    } finally {
      if (before === undefined) delete process.env.CHROMIUM_PATH
      else process.env.CHROMIUM_PATH = before
    }
  })
})
