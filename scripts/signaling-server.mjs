// The signaling server: y-webrtc's protocol (subscribe, unsubscribe, publish, ping, as
// JSON text), which only introduces peers of a room to each other and sees nothing but
// ciphertext. y-webrtc's own bin/server.js speaks it too, but one peer could stop it
// for everyone: a frame that is not JSON throws in its message handler, a socket error
// has no listener, and ws takes frames up to 100 MiB. Here every frame is bounded and
// whatever a peer sends ends at most its own connection. Run as a script (PORT), or
// imported by the tests.
import http from 'node:http'
import { pathToFileURL } from 'node:url'
import { WebSocketServer } from 'ws'

/**
 * The largest frame taken (64 KiB). Honest frames are y-webrtc's: a subscription to a
 * space's rooms, or one encrypted offer, answer or ICE candidate, each a few KB at
 * most; an offer with many candidates stays under 10 KB. A larger frame closes only
 * the connection that sent it (ws answers 1009).
 */
export const MAX_FRAME_BYTES = 64 * 1024
/** Rooms one connection may be in: a device joins two per community (public, staff). */
export const MAX_TOPICS = 64
/** A room's name: y-webrtc's are a space's room id and a suffix, well under this. */
const MAX_TOPIC_LENGTH = 256
const PING_EVERY_MS = 30_000

/** Starts the server on `port`; resolves once it listens, with a way to stop it and what it refused. */
export function startSignalingServer(port, { host } = {}) {
  /** Room name → the connections in it. */
  const topics = new Map()
  const refused = { frames: 0 }
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES })
  const server = http.createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/plain' })
    response.end('okay')
  })

  const send = (conn, message) => {
    if (conn.readyState !== conn.OPEN) return
    try {
      conn.send(JSON.stringify(message))
    } catch {
      conn.terminate()
    }
  }

  wss.on('connection', (conn) => {
    const mine = new Set()
    let alive = true
    const ping = setInterval(() => {
      if (!alive) return conn.terminate()
      alive = false
      try {
        conn.ping()
      } catch {
        conn.terminate()
      }
    }, PING_EVERY_MS)
    conn.on('pong', () => (alive = true))
    // An oversize frame (ws closes with 1009) or a broken socket: this connection ends, nothing else.
    conn.on('error', () => {
      refused.frames++
      conn.terminate()
    })
    conn.on('close', () => {
      clearInterval(ping)
      for (const name of mine) {
        const members = topics.get(name)
        members?.delete(conn)
        if (members?.size === 0) topics.delete(name)
      }
      mine.clear()
    })
    conn.on('message', (data, isBinary) => {
      let message
      try {
        message = JSON.parse(isBinary ? Buffer.from(data).toString('utf8') : data.toString())
      } catch {
        refused.frames++
        return
      }
      if (typeof message !== 'object' || message === null) return
      const named = (list) => (Array.isArray(list) ? list.filter((name) => typeof name === 'string' && name.length <= MAX_TOPIC_LENGTH) : [])
      switch (message.type) {
        case 'subscribe':
          for (const name of named(message.topics)) {
            if (mine.size >= MAX_TOPICS && !mine.has(name)) {
              refused.frames++
              break
            }
            let members = topics.get(name)
            if (!members) topics.set(name, (members = new Set()))
            members.add(conn)
            mine.add(name)
          }
          break
        case 'unsubscribe':
          for (const name of named(message.topics)) {
            topics.get(name)?.delete(conn)
            if (topics.get(name)?.size === 0) topics.delete(name)
            mine.delete(name)
          }
          break
        case 'publish': {
          const members = typeof message.topic === 'string' ? topics.get(message.topic) : undefined
          if (!members) break
          message.clients = members.size
          for (const member of members) send(member, message)
          break
        }
        case 'ping':
          send(conn, { type: 'pong' })
          break
      }
    })
  })

  server.on('upgrade', (request, socket, head) => {
    socket.on('error', () => socket.destroy())
    wss.handleUpgrade(request, socket, head, (conn) => wss.emit('connection', conn, request))
  })

  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve({
        port: server.address().port,
        refused,
        stop: () =>
          new Promise((done) => {
            for (const conn of wss.clients) conn.terminate()
            wss.close()
            server.close(() => done())
          }),
      })
    })
  })
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const port = Number(process.env.PORT ?? 4444)
  await startSignalingServer(port)
  console.log('Signaling server running on port', port)
}
