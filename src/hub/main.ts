import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { homedir, hostname } from 'node:os'
import { join } from 'node:path'
import * as v from 'valibot'
import WebSocket from 'ws'
import { newId } from '../domain/ids'
import { isDocName, isDocNameNear } from '../store/space-docs'
import { InviteSchema, readInvite, type Invite } from '../sync/invite'
import { PeerOrigin } from '../sync/replication'
import { DiskShelf } from './disk-shelf'
import { FileStorage } from './file-storage'

// The community hub as a process with no browser: `npm run hub -- "<invite link>"`.
// It joins like any member, through the same signaling server and WebRTC (Node's
// WebRTC is node-datachannel), keeps every doc of the spaces its invite opens on disk,
// passes on what it receives, and logs what it syncs. Run again without a link, it
// resumes with what it holds.

const dataRoot = join(process.env.NEIGHBOURS_DATA ?? join(homedir(), '.local', 'share', 'neighbours'), 'hub')
const log = (...parts: unknown[]) => console.log(new Date().toISOString().slice(0, 19).replace('T', ' '), ...parts)

function fail(message: string): never {
  console.error(message)
  process.exit(1)
}

/** The invite given now (and remembered), or the one remembered from before. */
function chooseInvite(): Invite {
  const link = process.argv[2]
  const saved = join(dataRoot, 'invite.json')
  if (link) {
    const invite = readInvite(link)
    if (!invite) fail('That is not a Neighbours invite link (it has no "#join=" part, or it is damaged). 这不是邻里的邀请链接。')
    mkdirSync(dataRoot, { recursive: true })
    writeFileSync(saved, JSON.stringify(invite))
    return invite
  }
  if (!existsSync(saved)) fail('Usage: npm run hub -- "<invite link>"   (a staff invite gives the hub the staff space too)\n用法：npm run hub -- "<邀请链接>"')
  const parsed = v.safeParse(InviteSchema, JSON.parse(readFileSync(saved, 'utf8')))
  if (!parsed.success) fail(`The remembered invite in ${saved} is damaged; run again with the link.`)
  return parsed.output
}

/** This hub's device id, the same across restarts. */
function deviceId(): string {
  const path = join(dataRoot, 'device.json')
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')).deviceId
  const id = newId()
  mkdirSync(dataRoot, { recursive: true })
  writeFileSync(path, JSON.stringify({ deviceId: id }))
  return id
}

async function main() {
  const invite = chooseInvite()
  const signaling = process.env.SIGNALING_URL ? process.env.SIGNALING_URL.split(/[\s,]+/).filter(Boolean) : (invite.signaling ?? [])
  if (signaling.length === 0) fail('The invite names no signaling server; give one: SIGNALING_URL=ws://<host>:4444 npm run hub')
  const dir = join(dataRoot, invite.id)
  mkdirSync(dir, { recursive: true })

  // What the transport expects of a browser: a WebSocket, storage for sync times, and
  // no BroadcastChannel (lib0 would open one that keeps the process alive).
  Object.assign(globalThis, { WebSocket, localStorage: new FileStorage(join(dir, 'sync.json')) })
  delete (globalThis as { BroadcastChannel?: unknown }).BroadcastChannel
  const { connectSpace } = await import('../sync/transport')
  const polyfill = await import('node-datachannel/polyfill')
  // simple-peer rewrites the offer's sdp, which node-datachannel's descriptions do not allow: hand it plain ones.
  class PeerConnection extends polyfill.RTCPeerConnection {
    override async createOffer() {
      const { type, sdp } = await super.createOffer()
      return { type, sdp } as RTCSessionDescriptionInit
    }
    override async createAnswer() {
      const { type, sdp } = await super.createAnswer()
      return { type, sdp } as RTCSessionDescriptionInit
    }
  }
  const webrtc = { RTCPeerConnection: PeerConnection as unknown as typeof RTCPeerConnection, RTCSessionDescription: polyfill.RTCSessionDescription, RTCIceCandidate: polyfill.RTCIceCandidate }
  // On a LAN the hub listens on every address; tests keep it to loopback.
  const rtcConfig = process.env.HUB_BIND_ADDRESS ? { bindAddress: process.env.HUB_BIND_ADDRESS } : {}
  const self = { device: deviceId(), label: process.env.HUB_NAME ?? `hub@${hostname()}` }

  const spaces = [{ kind: 'public', key: invite.public }, ...(invite.staff ? [{ kind: 'staff', key: invite.staff }] : [])]
  const running = spaces.map(({ kind, key }) => {
    const shelf = new DiskShelf(join(dir, kind), isDocName)
    const sync = connectSpace({ room: key.room, secret: key.secret, signaling, shelf, self, relay: true, isDocName: (name) => isDocNameNear(name), webrtc, rtcConfig })
    const labelOf = (peer: string) => sync.replicator.connected().find((p) => p.id === peer)?.label || peer.slice(0, 8)
    shelf.onChange((name, update, origin) => {
      if (origin instanceof PeerOrigin) log(`${kind} ${name} ← ${labelOf(origin.peer)} (${update.length} bytes)`)
    })
    let peers = new Set<string>()
    sync.onChange(() => {
      const now = new Set(sync.replicator.connected().map((p) => p.id))
      for (const id of now) if (!peers.has(id)) log(`${kind}: a peer connected (${sync.status().peers} now)`)
      for (const id of peers) if (!now.has(id)) log(`${kind}: a peer left (${sync.status().peers} now)`)
      peers = now
    })
    log(`${kind} space: holding ${shelf.names().length} docs (${shelf.names().sort().join(', ') || 'none yet'})`)
    return { shelf, sync }
  })
  log(`Hub for "${invite.name}" is running as ${self.label}; signaling ${signaling.join(', ')}; data in ${dir}. Ctrl+C stops it.`)

  const stop = async () => {
    log('stopping')
    await Promise.all(running.map(async ({ shelf, sync }) => {
      await sync.destroy()
      shelf.close()
    }))
    process.exit(0)
  }
  // A hub stays up: one peer's broken connection must not end it for everyone.
  process.on('uncaughtException', (error) => log('error (the hub carries on):', error instanceof Error ? error.message : error))
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

void main()
