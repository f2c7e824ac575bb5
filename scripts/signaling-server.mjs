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
import { MAX_BUFFERED_BYTES, MAX_CONNECTIONS_PER_ADDRESS, MAX_FRAME_BYTES, MAX_MEMBERS_PER_ROOM, MAX_ROOMS, MAX_TOPICS, MAX_TOPIC_LENGTH } from './signaling-limits.mjs'

const PING_EVERY_MS = 30_000

/**
 * Who a connection is from. Behind a TLS proxy on this computer (nginx, Caddy: README,
 * Deploying it) every connection comes from loopback, so there the proxy's
 * X-Forwarded-For names the peer; from any other address the header is not believed.
 */
function addressOf(request) {
  const remote = request.socket.remoteAddress ?? ''
  const loopback = remote === '::1' || remote.startsWith('127.') || remote.startsWith('::ffff:127.')
  const forwarded = request.headers['x-forwarded-for']
  if (!loopback || typeof forwarded !== 'string') return remote
  return forwarded.split(',').at(-1)?.trim().slice(0, 64) || remote
}

/** Starts the server on `port`; resolves once it listens, with a way to stop it and what it refused. */
export function startSignalingServer(port, { host, countAddresses = true } = {}) {
  /** Room name → the connections in it. */
  const topics = new Map()
  /** Address → its open connections. */
  const perAddress = new Map()
  const refused = { frames: 0, rooms: 0, connections: 0, slow: 0 }
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES })
  const server = http.createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/plain' })
    response.end('okay')
  })

  const send = (conn, text) => {
    if (conn.readyState !== conn.OPEN) return
    // Past the bound a message to this reader is dropped (y-webrtc announces itself
    // again); one that reads nothing at all also misses its pongs and is closed.
    if (conn.bufferedAmount > MAX_BUFFERED_BYTES) {
      refused.slow++
      return
    }
    try {
      conn.send(text)
    } catch {
      conn.terminate()
    }
  }

  wss.on('connection', (conn, request) => {
    const address = addressOf(request)
    if (countAddresses) {
      const open = (perAddress.get(address) ?? 0) + 1
      if (open > MAX_CONNECTIONS_PER_ADDRESS) {
        refused.connections++
        return conn.close(1013, 'too many connections')
      }
      perAddress.set(address, open)
      conn.on('close', () => {
        const left = (perAddress.get(address) ?? 1) - 1
        if (left > 0) perAddress.set(address, left)
        else perAddress.delete(address)
      })
    }
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
            if (mine.has(name)) continue
            const members = topics.get(name) ?? new Set()
            if (mine.size >= MAX_TOPICS || members.size >= MAX_MEMBERS_PER_ROOM || (members.size === 0 && topics.size >= MAX_ROOMS)) {
              refused.rooms++
              continue
            }
            topics.set(name, members)
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
          const text = JSON.stringify(message)
          for (const member of members) send(member, text)
          break
        }
        case 'ping':
          send(conn, JSON.stringify({ type: 'pong' }))
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
        rooms: () => topics.size,
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
  // Behind the TLS front (BEHIND_FRONT=1) it listens on loopback only, and every
  // connection comes from there: the front counts connections per address instead.
  const behindFront = process.env.BEHIND_FRONT === '1'
  await startSignalingServer(port, behindFront ? { host: '127.0.0.1', countAddresses: false } : {})
  console.log('Signaling server running on port', port)
}
