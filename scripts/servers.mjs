// Starts the two servers the app needs: y-webrtc's own signaling server (it only
// introduces peers to each other and sees nothing but ciphertext) and a static
// server for the built app (vite preview). Used by `npm start` and by the tests.
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { preview } from 'vite'

const require = createRequire(import.meta.url)

/** A TCP port that is free right now on this host. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
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
 * y-webrtc's bin/server.js, unchanged, in a child process. It listens on every
 * interface (it has no host option) so phones on the same network reach it.
 */
export async function startSignaling(port) {
  // y-webrtc's main entry is dist/y-webrtc.cjs; the server sits in bin/ beside dist/.
  const script = join(dirname(require.resolve('y-webrtc')), '..', 'bin', 'server.js')
  const child = spawn(process.execPath, [script], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] })
  child.stdout.resume()
  await waitForHttp(`http://127.0.0.1:${port}`, child)
  return {
    port,
    url: `ws://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}

/** Serves dist/ (run `vite build` first). host: '127.0.0.1' for tests, true for the LAN. */
export async function startApp(port, host) {
  const server = await preview({ preview: { port, strictPort: true, host, open: false }, logLevel: 'warn' })
  return {
    port,
    url: `http://127.0.0.1:${port}/`,
    server,
    stop: () => server.close(),
  }
}
