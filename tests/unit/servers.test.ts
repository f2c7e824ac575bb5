import { afterEach, describe, expect, it } from 'vitest'
import { connect } from 'node:net'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, startApp, startTrustPage, type Running } from '../../scripts/servers.mjs'

// Issue 31: the office computer's web servers face whoever is on the centre's Wi-Fi.
// One malformed request used to end `npm start` (vite preview, and the trust page's
// `new URL`); now a bad request ends at most its own connection.

const cleanups: (() => Promise<unknown> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** Sends raw bytes and resolves with whatever comes back before the socket closes (or 1 s passes). */
const raw = (port: number, bytes: string) =>
  new Promise<string>((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes))
    let answer = ''
    socket.on('data', (chunk) => (answer += chunk.toString()))
    const done = () => resolve(answer)
    socket.on('close', done)
    socket.on('error', done)
    setTimeout(() => socket.destroy(), 1_000)
  })

const MALFORMED = ['GET http://[ HTTP/1.1\r\nHost: x\r\n\r\n', 'GET /%E0%A4%A HTTP/1.1\r\nHost: x\r\n\r\n', 'NOT A REQUEST\r\n\r\n', '\u0000\u0001\u0002garbage', 'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n']

function builtApp() {
  const dir = mkdtempSync(join(tmpdir(), 'neighbours-dist-'))
  mkdirSync(join(dir, 'assets'))
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>邻里</title>')
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)')
  writeFileSync(join(dir, 'assets', 'live-Ab3dE_9x.js'), 'console.log(2)')
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

describe('the app server', () => {
  it('keeps serving after malformed requests, and serves nothing outside its folder', async () => {
    const port = await freePort()
    const app: Running = await startApp(port, '127.0.0.1', { outDir: builtApp() })
    cleanups.push(() => app.stop())
    for (const bytes of MALFORMED) await raw(port, bytes)
    const page = await fetch(`http://127.0.0.1:${port}/`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('邻里')
    const script = await fetch(`http://127.0.0.1:${port}/assets/app.js`)
    expect(script.headers.get('content-type')).toMatch(/javascript/)
    // A file named by its content's hash is kept for good; anything else is revalidated.
    expect((await fetch(`http://127.0.0.1:${port}/assets/live-Ab3dE_9x.js`)).headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(script.headers.get('cache-control')).toBe('no-cache')
    // A cached copy is revalidated, not sent again.
    const etag = script.headers.get('etag')!
    expect((await fetch(`http://127.0.0.1:${port}/assets/app.js`, { headers: { 'If-None-Match': etag } })).status).toBe(304)
    // A path without a file is the app; a missing file is not found; nothing outside is read.
    expect(await (await fetch(`http://127.0.0.1:${port}/some/route`)).text()).toContain('邻里')
    expect((await fetch(`http://127.0.0.1:${port}/assets/missing.js`)).status).toBe(404)
    // A path that starts with two slashes is still a path (a base URL with a slash, plus '/x').
    expect((await raw(port, 'GET //assets/app.js HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'))).toContain('console.log(1)')
    for (const path of ['/../../../../etc/passwd', '/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2f..%2fetc%2fpasswd']) {
      const answer = await raw(port, `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`)
      expect(answer).not.toContain('root:')
    }
    expect((await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: 'x' })).status).toBe(405)
  })
})

describe('the trust page', () => {
  it('keeps serving after malformed requests', async () => {
    const port = await freePort()
    const page = await startTrustPage(port, { appUrl: 'https://192.168.1.2:8443/', authority: { fingerprint: 'AB:CD', certDer: new Uint8Array([1, 2, 3]) } })
    cleanups.push(() => page.stop())
    for (const bytes of MALFORMED) await raw(port, bytes)
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200)
    expect(new Uint8Array(await (await fetch(`http://127.0.0.1:${port}/neighbours-ca.crt`)).arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]))
  })
})
