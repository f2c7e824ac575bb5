import { afterEach, describe, expect, it } from 'vitest'
import type WebSocketType from 'ws'
import { MAX_CONNECTIONS_PER_ADDRESS, MAX_FRAME_BYTES, MAX_MEMBERS_PER_ROOM, MAX_TOPICS } from '../../scripts/signaling-limits.mjs'
import { freePort, startSignaling, type Running } from '../../scripts/servers.mjs'

// The signaling server that phones and hubs meet through, as `npm start` runs it (a
// child process): one peer's junk or oversize frame ends at most its own connection,
// and everyone else keeps being introduced.

// ws's Node entry by its path: the tests resolve 'ws' to its browser stub.
// @ts-expect-error no types for the entry itself; they are ws's own
import { WebSocket as NodeWebSocket } from '../../node_modules/ws/wrapper.mjs'
const WebSocket = NodeWebSocket as typeof WebSocketType
type WebSocket = WebSocketType
let running: Running | null = null
afterEach(async () => {
  await running?.stop()
  running = null
})

/** A connection from `from`: every 127.x.y.z is this machine, so one test can be many addresses. */
const open = (port: number, from = '127.0.0.1') =>
  new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}`, { localAddress: from })
    ws.once('open', () => resolve(ws))
    ws.once('error', reject)
  })
const closed = (ws: WebSocket) => new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)))
const next = (ws: WebSocket) => new Promise<Record<string, unknown>>((resolve) => ws.once('message', (data) => resolve(JSON.parse(data.toString()))))

/** Two honest peers in one room: one publishes, the other hears it. */
async function stillIntroduces(port: number) {
  const [a, b] = await Promise.all([open(port), open(port)])
  a.send(JSON.stringify({ type: 'subscribe', topics: ['room:docs'] }))
  b.send(JSON.stringify({ type: 'subscribe', topics: ['room:docs'] }))
  // The server takes a connection's frames in order: a ping answered means the subscription is in.
  b.send(JSON.stringify({ type: 'ping' }))
  expect(await next(b)).toEqual({ type: 'pong' })
  const heard = next(b)
  // An honest offer: y-webrtc's encrypted signal, a few KB.
  a.send(JSON.stringify({ type: 'publish', topic: 'room:docs', data: 'x'.repeat(4_000) }))
  expect(await heard).toMatchObject({ type: 'publish', topic: 'room:docs', clients: 2 })
  a.close()
  b.close()
}

describe('the signaling server under a hostile peer', () => {
  it('an oversize frame closes only the connection that sent it', async () => {
    running = await startSignaling(await freePort())
    const attacker = await open(running.port)
    const gone = closed(attacker)
    attacker.send(JSON.stringify({ type: 'publish', topic: 'room:docs', data: 'x'.repeat(MAX_FRAME_BYTES + 1) }))
    // ws answers "message too big".
    expect(await gone).toBe(1009)
    await stillIntroduces(running.port)
  })

  it('frames that are not JSON, or not what the protocol says, are ignored', async () => {
    running = await startSignaling(await freePort())
    const attacker = await open(running.port)
    attacker.send('{not json')
    attacker.send(Buffer.from([0xff, 0x00, 0x13]))
    attacker.send(JSON.stringify(null))
    attacker.send(JSON.stringify({ type: 'subscribe', topics: 'room:docs' }))
    attacker.send(JSON.stringify({ type: 'subscribe', topics: [{}, 7, 'y'.repeat(10_000)] }))
    attacker.send(JSON.stringify({ type: 'publish', topic: { toString: 1 } }))
    // Rooms past the bound are not joined.
    attacker.send(JSON.stringify({ type: 'subscribe', topics: Array.from({ length: MAX_TOPICS + 10 }, (_, i) => `r${i}`) }))
    attacker.send(JSON.stringify({ type: 'ping' }))
    expect(await next(attacker)).toEqual({ type: 'pong' })
    await stillIntroduces(running.port)
    attacker.close()
  })

  it('one address holds at most its share of connections; other addresses still get in', async () => {
    running = await startSignaling(await freePort())
    const mine = await Promise.all(Array.from({ length: MAX_CONNECTIONS_PER_ADDRESS }, () => open(running!.port, '127.0.0.9')))
    const extra = await open(running.port, '127.0.0.9')
    expect(await closed(extra)).toBe(1013)
    await stillIntroduces(running.port)
    for (const ws of mine) ws.close()
  })

  it('a room holds at most its members; a flood of joiners does not grow it', async () => {
    running = await startSignaling(await freePort())
    const port = running.port
    // Enough addresses that the per-address bound is not what stops them.
    const joiners = await Promise.all(
      Array.from({ length: MAX_MEMBERS_PER_ROOM + 20 }, (_, i) => open(port, `127.0.1.${1 + (i % 200)}`)),
    )
    for (const ws of joiners) ws.send(JSON.stringify({ type: 'subscribe', topics: ['crowded'] }))
    await Promise.all(joiners.map(async (ws) => {
      ws.send(JSON.stringify({ type: 'ping' }))
      await next(ws)
    }))
    const first = joiners[0]!
    const heard = next(first)
    first.send(JSON.stringify({ type: 'publish', topic: 'crowded', data: 'hello' }))
    expect(await heard).toMatchObject({ clients: MAX_MEMBERS_PER_ROOM })
    for (const ws of joiners) ws.close()
    await stillIntroduces(port)
  })

  it('a reader that stops reading is not sent more than the bound', async () => {
    running = await startSignaling(await freePort())
    const [slow, talker] = await Promise.all([open(running.port), open(running.port)])
    // The talker publishes without joining, so nothing but its pong comes back to it.
    slow.send(JSON.stringify({ type: 'subscribe', topics: ['room:docs'] }))
    slow.send(JSON.stringify({ type: 'ping' }))
    await next(slow)
    let heard = 0
    slow.on('message', () => heard++)
    // The slow reader's socket stops reading: what the server sends it piles up there.
    const socket = (slow as unknown as { _socket: { pause(): void; resume(): void } })._socket
    socket.pause()
    const frame = JSON.stringify({ type: 'publish', topic: 'room:docs', data: 'x'.repeat(60_000) })
    // 64 MB: far more than the server may hold for one reader plus what loopback's
    // kernel buffers take (a few MB each way).
    const sent = Math.ceil((64 * 1024 * 1024) / 60_000)
    for (let i = 0; i < sent; i++) talker.send(frame)
    // The pong comes after every frame before it was handled.
    const handled = new Promise<void>((resolve) => talker.on('message', (data) => JSON.parse(data.toString()).type === 'pong' && resolve()))
    talker.send(JSON.stringify({ type: 'ping' }))
    await handled
    socket.resume()
    // What reaches it is what the kernel held plus the server's bound, not all 64 MB.
    // (A pong is dropped too while the server still holds the bound for it: ask again.)
    const ponged = new Promise<void>((resolve) => slow.on('message', (data) => data.toString().includes('"pong"') && resolve()))
    const asking = setInterval(() => slow.send(JSON.stringify({ type: 'ping' })), 200)
    await ponged
    clearInterval(asking)
    expect(heard).toBeGreaterThan(0)
    expect(heard).toBeLessThan(sent / 2)
    slow.close()
    talker.close()
    await stillIntroduces(running.port)
  }, 60_000)
})
