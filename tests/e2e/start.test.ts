import { spawn, type ChildProcess } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { get } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { connect } from 'node:net'
import type WebSocketType from 'ws'
import { lanAddresses } from '../../scripts/lan.mjs'
import { freePort } from '../../scripts/servers.mjs'
import { launchDevice, withCleanup, type Servers } from './harness'
import { createCommunity, dataChannelBytes, inviteLink, joinByLink, postNotice, waitForNotice } from './journeys'
// ws's Node entry by its path: the tests resolve 'ws' to its browser stub.
// @ts-expect-error no types for the entry itself; they are ws's own
import { WebSocket as NodeWebSocket } from '../../node_modules/ws/wrapper.mjs'
const WebSocket = NodeWebSocket as typeof WebSocketType

const devices = withCleanup()
afterEach(() => devices.run())

/** Sends raw bytes to a port and waits until the socket closes (or a second passes). */
const raw = (port: number, bytes: string) =>
  new Promise<void>((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes))
    socket.on('data', () => {})
    socket.on('close', () => resolve())
    socket.on('error', () => resolve())
    setTimeout(() => socket.destroy(), 1_000)
  })

/** Sends frames on one signaling connection, then closes it. */
const frames = (port: number, list: (string | Buffer)[]) =>
  new Promise<void>((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}`)
    ws.on('open', () => {
      for (const frame of list) ws.send(frame)
      setTimeout(() => ws.terminate(), 300)
    })
    ws.on('close', () => resolve())
    ws.on('error', () => resolve())
  })

// The real start script (what `npm start` runs after its build), read as a person
// reads the terminal. Requests go to loopback only.

const running: ChildProcess[] = []
const folders: string[] = []
afterEach(async () => {
  for (const child of running.splice(0)) {
    if (child.exitCode === null) {
      child.kill('SIGTERM')
      await new Promise((resolve) => child.once('exit', resolve))
    }
  }
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true })
})

async function start(env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, ['scripts/serve.mjs'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  running.push(child)
  let output = ''
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))
  const deadline = Date.now() + 30_000
  while (!output.includes('Ctrl+C')) {
    if (child.exitCode !== null) throw new Error(`start script exited (${child.exitCode}):\n${output}`)
    if (Date.now() > deadline) throw new Error(`start script printed no addresses in 30 s:\n${output}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  await new Promise((resolve) => setTimeout(resolve, 200)) // the rest of the lines
  return output
}

describe('npm start', () => {
  it('prints this computer and every LAN address with a QR code, and serves the app', async () => {
    const [port, signalingPort] = [await freePort(), await freePort()]
    const output = await start({ PORT: String(port), SIGNALING_PORT: String(signalingPort), HTTPS: '' })
    expect(output).toContain(`http://localhost:${port}/`)
    for (const address of lanAddresses()) expect(output).toContain(`http://${address}:${port}/`)
    expect(output).toMatch(/[█▀▄]{20,}/)
    const page = await fetch(`http://127.0.0.1:${port}/`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<div id="root">')
  })

  it('with HTTPS=1 keeps an authority outside the repo, serves the app over https and the trust page over http', async () => {
    const [port, httpsPort, signalingPort] = [await freePort(), await freePort(), await freePort()]
    const data = mkdtempSync(join(tmpdir(), 'neighbours-data-'))
    folders.push(data)
    const output = await start({ HTTPS: '1', PORT: String(port), HTTPS_PORT: String(httpsPort), SIGNALING_PORT: String(signalingPort), NEIGHBOURS_DATA: data })
    const authority = new X509Certificate(readFileSync(join(data, 'ca.pem')))
    expect(output).toContain(`https://localhost:${httpsPort}/`)
    for (const address of lanAddresses()) expect(output).toContain(`https://${address}:${httpsPort}/`)
    expect(output).toContain(authority.fingerprint256)

    const trust = await (await fetch(`http://127.0.0.1:${port}/`)).text()
    expect(trust).toContain('iPhone')
    expect(trust).toContain('安卓')
    const download = await fetch(`http://127.0.0.1:${port}/neighbours-ca.crt`)
    expect(download.headers.get('content-type')).toBe('application/x-x509-ca-cert')
    const served = new X509Certificate(Buffer.from(await download.arrayBuffer()))
    expect(served.fingerprint256).toBe(authority.fingerprint256)
    expect(served.ca).toBe(true)

    // Trusting that authority alone is enough for the app and for wss signaling.
    const ca = readFileSync(join(data, 'ca.pem'))
    const fetchTrusting = (url: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        get(url, { ca }, (response) => {
          let body = ''
          response.on('data', (chunk) => (body += chunk))
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }))
        }).on('error', reject)
      })
    const app = await fetchTrusting(`https://127.0.0.1:${httpsPort}/`)
    expect(app.status).toBe(200)
    expect(app.body).toContain('<div id="root">')
    expect((await fetchTrusting(`https://127.0.0.1:${signalingPort}/`)).body).toBe('okay')
  })

  it('keeps serving after a burst of malformed requests and signaling frames, and two phones still sync through it', async () => {
    const [port, signalingPort] = [await freePort(), await freePort()]
    await start({ PORT: String(port), SIGNALING_PORT: String(signalingPort), HTTPS: '' })
    for (let round = 0; round < 3; round++) {
      for (const bytes of ['GET http://[ HTTP/1.1\r\nHost: x\r\n\r\n', 'GET /%E0%A4%A HTTP/1.1\r\nHost: x\r\n\r\n', 'NOT A REQUEST\r\n\r\n', '\u0000\u0001garbage']) await raw(port, bytes)
      await frames(signalingPort, ['not json', '{"type":"subscribe","topics":5}', '{"type":"publish"}', Buffer.alloc(200_000, 'x')])
    }
    const servers = { appUrl: `http://127.0.0.1:${port}/`, signalingUrl: `ws://127.0.0.1:${signalingPort}` } as Servers
    const a = devices.add(await launchDevice('a'), (d) => d.dispose())
    const b = devices.add(await launchDevice('b'), (d) => d.dispose())
    await createCommunity(a.page, servers, '王主任', '幸福里社区')
    await joinByLink(b.page, await inviteLink(a.page, 'resident'), '李阿姨')
    await postNotice(a.page, '坏请求之后照常同步')
    await waitForNotice(b.page, '坏请求之后照常同步')
    expect((await dataChannelBytes(b.page)).received).toBeGreaterThan(0)
  })
})
