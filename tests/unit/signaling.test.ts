import { afterEach, describe, expect, it } from 'vitest'
import type WebSocketType from 'ws'
// @ts-expect-error a script without types: two numbers
import { MAX_FRAME_BYTES, MAX_TOPICS } from '../../scripts/signaling-server.mjs'
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

const open = (port: number) =>
  new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}`)
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
})
