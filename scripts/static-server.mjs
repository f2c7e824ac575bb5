// The built app's web server, in place of vite preview (which one malformed request
// ends): static files from dist/, index.html for any path without a file, GET and HEAD
// only, a weak ETag so a phone's cache revalidates cheaply, and every request answered
// inside a try/catch, so no request from the Wi-Fi can stop it.
import { createServer } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { extname, join, resolve, sep } from 'node:path'

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
}

// Built scripts and styles are named by a hash of their content, so a phone may keep them
// for good: without this a phone asks again for every module at every start until the
// service worker takes over. Everything else (the page, the service worker) is revalidated.
const HASHED = /\/assets\/[^/]+-[A-Za-z0-9_-]{8}\.(js|css)$/
const cacheControl = (path) => (HASHED.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache')

/** The file to send for a request path, or null: a file inside `root`, a folder's index.html, or the app's index.html. */
export async function fileFor(root, rawUrl) {
  let path
  try {
    // The request target's path, as sent: not `new URL`, which reads '//x/' as a host.
    path = decodeURIComponent((rawUrl ?? '/').split(/[?#]/)[0] ?? '/')
  } catch {
    return null
  }
  if (!path.startsWith('/')) return null
  if (path.includes('\0')) return null
  const inside = (file) => file === root || file.startsWith(root + sep)
  const found = async (file) => {
    if (!inside(file)) return null
    const info = await stat(file).catch(() => null)
    if (info?.isFile()) return { file, info }
    if (info?.isDirectory()) return found(join(file, 'index.html'))
    return null
  }
  return (await found(resolve(root, `.${path}`))) ?? (extname(path) ? null : found(join(root, 'index.html')))
}

/** The request handler for a folder of built files. */
export function serveFolder(outDir) {
  const root = resolve(outDir)
  return async (request, response) => {
    try {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, { Allow: 'GET, HEAD' })
        return response.end()
      }
      const hit = await fileFor(root, request.url)
      if (!hit) {
        response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' })
        return response.end('Not found')
      }
      const etag = `W/"${hit.info.size}-${hit.info.mtime.getTime()}"`
      if (request.headers['if-none-match'] === etag) {
        response.writeHead(304, { ETag: etag })
        return response.end()
      }
      response.writeHead(200, { 'Content-Type': TYPES[extname(hit.file)] ?? 'application/octet-stream', 'Content-Length': hit.info.size, 'Cache-Control': cacheControl(hit.file), ETag: etag })
      if (request.method === 'HEAD') return response.end()
      createReadStream(hit.file).on('error', () => response.destroy()).pipe(response)
    } catch (error) {
      console.error('a request failed (the server carries on):', error instanceof Error ? error.message : error)
      if (!response.headersSent) response.writeHead(500)
      response.end()
    }
  }
}

/** A server for `outDir` over http, or https with `tls` ({ key, cert }); a broken request closes only its own socket. */
export function folderServer(outDir, tls) {
  const handler = serveFolder(outDir)
  const server = tls ? createHttpsServer(tls, handler) : createServer(handler)
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\n\r\n')
    else socket.destroy()
  })
  return server
}
