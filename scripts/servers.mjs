// Starts the two servers the app needs: a signaling server speaking y-webrtc's
// protocol (signaling-server.mjs: it only introduces peers to each other and sees
// nothing but ciphertext) and a static
// server for the built app (static-server.mjs), each over TLS when given a certificate.
// Used by `npm start` and by the tests.
import { spawn } from 'node:child_process'
import { connect, createServer } from 'node:net'
import { createServer as createTlsServer } from 'node:tls'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { folderServer } from './static-server.mjs'
import { MAX_CONNECTIONS_PER_ADDRESS } from './signaling-limits.mjs'
import { createServer as createHttpServer } from 'node:http'
import { trustPage } from './lan.mjs'

/** A TCP port that is free right now on this host, on every interface (npm start binds them all, not only loopback). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

async function waitForHttp(url, child, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`signaling server exited with code ${child.exitCode}`)
    try {
      const response = await fetch(url)
      if (response.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`signaling server did not answer at ${url}`)
}

/**
 * signaling-server.mjs in a child process (y-webrtc's protocol, with bounded frames;
 * see there why not y-webrtc's own bin/server.js). It listens on every interface so
 * phones on the same network reach it.
 * With `tls` ({ key, cert }) it listens on a free loopback port instead and a TLS
 * front on `port` passes each wss:// connection through to it, so pages served
 * over https reach it as wss:// on the same certificate.
 */
export async function startSignaling(port, { tls, host } = {}) {
  const innerPort = tls ? await freePort() : port
  const script = join(dirname(fileURLToPath(import.meta.url)), 'signaling-server.mjs')
  // If it stops (it should not: it survives bad frames), it is started again a second later.
  let child
  let stopping = false
  let restart
  const start = () => {
    const env = { ...process.env, PORT: String(innerPort), BEHIND_FRONT: tls ? '1' : '' }
    child = spawn(process.execPath, [script], { env, stdio: ['ignore', 'pipe', 'inherit'] })
    child.stdout.resume()
    child.once('exit', (code, signal) => {
      if (stopping) return
      console.error(`信令服务器已停止，一秒后重启 The signaling server stopped (${signal ?? code}); starting it again in a second.`)
      restart = setTimeout(start, 1_000)
    })
  }
  start()
  const stopChild = () => {
    stopping = true
    clearTimeout(restart)
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
    const exited = new Promise((resolve) => child.once('exit', () => resolve()))
    child.kill('SIGTERM')
    return exited
  }
  try {
    await waitForHttp(`http://127.0.0.1:${innerPort}`, child)
  } catch (error) {
    await stopChild()
    throw error
  }
  if (!tls) return { port, url: `ws://127.0.0.1:${port}`, stop: stopChild }

  const sockets = new Set()
  /** Open connections per address: behind the front, the server sees loopback only. */
  const perAddress = new Map()
  const front = createTlsServer(tls, (outer) => {
    const address = outer.remoteAddress ?? ''
    const open = (perAddress.get(address) ?? 0) + 1
    if (open > MAX_CONNECTIONS_PER_ADDRESS) return outer.destroy()
    perAddress.set(address, open)
    outer.once('close', () => {
      const left = (perAddress.get(address) ?? 1) - 1
      if (left > 0) perAddress.set(address, left)
      else perAddress.delete(address)
    })
    const inner = connect(innerPort, '127.0.0.1')
    for (const socket of [outer, inner]) {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
      socket.on('error', () => { outer.destroy(); inner.destroy() })
    }
    outer.pipe(inner).pipe(outer)
  })
  try {
    await listen(front, port, host)
  } catch (error) {
    await stopChild()
    throw error
  }
  return {
    port,
    url: `wss://127.0.0.1:${port}`,
    stop: async () => {
      for (const socket of sockets) socket.destroy()
      await Promise.all([new Promise((resolve) => front.close(() => resolve())), stopChild()])
    },
  }
}

/** Resolves once a node server listens on `port` (every interface unless `host` names one). */
export function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host === true || host === undefined ? undefined : host, () => {
      server.off('error', reject)
      resolve()
    })
  })
}

/**
 * Serves the built app (run `vite build` first) from `outDir` (default dist/), with the
 * project's own small server (static-server.mjs): vite preview stops on one malformed request.
 * host: '127.0.0.1' for tests, true for the LAN. https: { key, cert } serves it over TLS.
 */
export async function startApp(port, host, { https, outDir } = {}) {
  const server = folderServer(outDir ?? 'dist', https)
  const sockets = new Set()
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await listen(server, port, host)
  return {
    port,
    url: `${https ? 'https' : 'http'}://127.0.0.1:${port}/`,
    stop: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

/** Plain http: the trust page at /, the authority's certificate to download, and nothing else. */
export function startTrustPage(port, { appUrl, authority }) {
  const page = trustPage({ appUrl, fingerprint: authority.fingerprint })
  const server = createHttpServer((request, response) => {
    let path = ''
    try {
      path = new URL(request.url ?? '/', 'http://x').pathname
    } catch {
      // A request line no URL can be made of: sent to the page like any other stray path.
    }
    if (path === '/neighbours-ca.crt') {
      // DER with this type is what Android's installer and iOS's profile download expect.
      response.writeHead(200, { 'Content-Type': 'application/x-x509-ca-cert', 'Content-Disposition': 'attachment; filename="neighbours-ca.crt"' })
      response.end(authority.certDer)
    } else if (path === '/') {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' })
      response.end(page)
    } else {
      response.writeHead(302, { Location: '/' })
      response.end()
    }
  })
  server.on('clientError', (_error, socket) => socket.destroy())
  return listen(server, port).then(() => ({ port, stop: () => new Promise((r) => server.close(() => r())) }))
}
