import * as Y from 'yjs'
import { WebrtcProvider } from 'y-webrtc'
import { framedWebRTC, type WebRTCClasses } from './chunking'
import { idleStatus, loadActivity, loadConfirmed, loadPeersSeen, saveActivity, saveConfirmed, savePeersSeen, type PeerSeen, type SpaceSyncStatus } from './activity'
import { PeerOrigin, Replicator, type PeerInfo, type Shelf } from './replication'
import type { TrafficRefusals } from './limits'
import { COLLECTION_SET } from '../store/layout'

// One space = one y-webrtc room, so one connection per pair of devices whatever the
// number of docs; all of the space's docs travel over it (replication.ts), as
// messages of a type of their own (patches/y-webrtc+10.3.0.patch: y-webrtc has no way
// to carry several docs over one connection). y-webrtc still finds peers through the
// signaling server and encrypts signaling with a key derived from the space secret,
// so the signaling server sees only ciphertext and the data channels' DTLS
// fingerprints cannot be swapped. No STUN or TURN servers: peers meet on the same
// network or through the community's own signaling server, and no outside service
// learns who talks. This module (y-webrtc and simple-peer with it) is loaded once the
// first screen is drawn from storage; nothing on that screen waits for the network.

export interface SpaceSync {
  readonly provider: WebrtcProvider
  readonly replicator: Replicator
  /** Open WebRTC connections, for status and for tests to read getStats(). */
  readonly connections: Set<RTCPeerConnection>
  /**
   * Bytes of whole messages this space's data channels carried this session, those of
   * connections since closed included (a closed connection's getStats() reads 0).
   */
  readonly carried: { received: number; sent: number }
  status(): SpaceSyncStatus
  /** What peers sent that the limits refused this session (sync/limits.ts; Diagnostics). */
  refusals(): TrafficRefusals
  /** The docs this device holds of the space (open or stored). */
  held(): string[]
  /** Every device this one has exchanged docs with, newest first. */
  peersSeen(): PeerSeen[]
  /** Called whenever status() may have changed. */
  onChange(listener: () => void): () => void
  destroy(): Promise<void>
}

export interface SpaceLink {
  /** The space's room; the y-webrtc room is named after it. */
  room: string
  secret: string
  signaling: string[]
  shelf: Shelf
  self: PeerInfo
  /** A hub passes on what it receives. */
  relay: boolean
  /** Doc names a peer may mention. */
  isDocName: (name: string) => boolean
  /** The collections the space's docs may hold (every collection of store/layout.ts unless given). */
  isCollection?: (name: string) => boolean
  /** More peer connection settings (the hub process binds to one address). */
  rtcConfig?: Record<string, unknown>
  /** The WebRTC classes to use (the browser's, or node-datachannel's in the hub process). */
  webrtc?: WebRTCClasses
}

// On a local network a WebRTC handshake takes well under a second. One that is not
// done after 10 s is stuck (the other side left, or signaling went down mid-way), and
// dropping it makes both sides announce again. Two peers announcing at the same
// moment no longer both start a handshake: y-webrtc is patched so only the peer with
// the greater id starts.
const HANDSHAKE_LIMIT_MS = 10_000
/** How long status waits for changes to settle before checking what peers hold. */
const CHECK_MS = 300

/** What patches/y-webrtc+10.3.0.patch adds to y-webrtc's connection and provider. */
interface CarryingConn {
  remotePeerId: string
  carry(message: Uint8Array): boolean
}
interface CarryingEvents {
  on(event: 'connection', listener: (conn: CarryingConn, open: boolean) => void): void
  on(event: 'carried', listener: (conn: CarryingConn, message: Uint8Array) => void): void
  off(event: 'connection', listener: (conn: CarryingConn, open: boolean) => void): void
  off(event: 'carried', listener: (conn: CarryingConn, message: Uint8Array) => void): void
}

/** The y-webrtc room of a space. Earlier builds had one room per doc under the space's room name; this one speaks another protocol. */
export const transportRoom = (room: string) => `${room}:docs`

export function connectSpace({ room, secret, signaling, shelf, self, relay, isDocName, isCollection, webrtc, rtcConfig }: SpaceLink): SpaceSync {
  const listeners = new Set<() => void>()
  const connections = new Set<RTCPeerConnection>()
  const track = trackActivity(room, listeners)
  const { activity, confirmed, seen, changed } = track

  const carried = { received: 0, sent: 0 }
  const wrtc = framedWebRTC({ ...countTraffic(track, carried), oversize: () => replicator.refuse('oversize') }, connections, webrtc)
  // y-webrtc needs a doc of its own; it stays empty, and nothing is said in awareness.
  const carrier = new Y.Doc()
  const provider = new WebrtcProvider(transportRoom(room), carrier, {
    signaling,
    password: secret,
    peerOpts: { wrtc, config: { iceServers: [], ...rtcConfig } },
  })
  provider.awareness.setLocalState(null)
  // No BroadcastChannel (patches/y-webrtc+10.3.0.patch): two tabs of the app meet over WebRTC instead.
  ;(provider as WebrtcProvider & { broadcastChannel: boolean }).broadcastChannel = false

  const replicator = new Replicator(shelf, { self, relay, confirmed, isDocName, isCollection: isCollection ?? ((name) => COLLECTION_SET.has(name)) })
  const shared = checkShared(track, replicator)
  const stopReplicator = replicator.onChange(() => {
    for (const peer of replicator.connected()) if (peer.device && peer.syncedAt !== null) seen.set(peer.device, { device: peer.device, label: peer.label, syncedAt: peer.syncedAt })
    shared.check()
  })
  const stopShelf = shelf.onChange((_name, _update, origin) => {
    if (origin instanceof PeerOrigin) return
    activity.lastLocalChangeAt = Date.now()
    activity.unshared = true
    changed()
  })
  const peers = carryPeers(provider, replicator, changed)
  provider.on('peers', changed)
  provider.on('status', changed)
  const stopSignaling = watchSignaling(provider, changed)
  const sweep = sweepStuck(provider)
  shared.check()

  return {
    provider,
    replicator,
    connections,
    carried,
    status: () => ({
      ...idleStatus(activity),
      peers: peers.count(),
      signalingConnected: provider.signalingConns.filter((c) => c.connected).length,
      signalingServers: provider.signalingConns.length,
    }),
    refusals: () => ({ ...replicator.refusals }),
    held: () => shelf.names().sort(),
    peersSeen: () => [...seen.values()].sort((a, b) => b.syncedAt - a.syncedAt),
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async destroy() {
      shared.stop()
      clearInterval(sweep)
      track.close()
      stopReplicator()
      stopShelf()
      replicator.destroy()
      peers.stop()
      stopSignaling()
      listeners.clear()
      // Disconnect first: destroy alone leaves the signaling socket open (it would keep a Node process alive).
      provider.disconnect()
      provider.destroy()
      // y-webrtc frees the room name only after its key promise settles; wait, so
      // the same space can be opened again straight away (switching back).
      await provider.key
      await new Promise((resolve) => setTimeout(resolve, 0))
      carrier.destroy()
    },
  }
}

/** What a space's status reads (activity.ts): kept on disk a moment after each change, and saved at the end. */
function trackActivity(room: string, listeners: Set<() => void>) {
  const activity = loadActivity(room)
  const confirmed = loadConfirmed(room)
  const seen = loadPeersSeen(room)
  let saveTimer: ReturnType<typeof setTimeout> | undefined
  const save = () => {
    saveActivity(room, activity)
    saveConfirmed(room, confirmed)
    savePeersSeen(room, seen)
  }
  return {
    activity,
    confirmed,
    seen,
    /** Called whenever status() may have changed: listeners are told now, the disk in a moment. */
    changed() {
      clearTimeout(saveTimer)
      saveTimer = setTimeout(save, 300)
      listeners.forEach((l) => l())
    },
    /** The space is closed: saved now, not in a moment. */
    close() {
      clearTimeout(saveTimer)
      save()
    },
  }
}
type Track = ReturnType<typeof trackActivity>

/** Counts the bytes of whole messages each way, and when the last went, for status. */
function countTraffic({ activity, changed }: Track, carried: { received: number; sent: number }) {
  return {
    sent: (bytes: number) => {
      carried.sent += bytes
      activity.lastSentAt = Date.now()
      changed()
    },
    received: (bytes: number) => {
      carried.received += bytes
      activity.lastReceivedAt = Date.now()
      changed()
    },
  }
}

/** "On this phone only" clears when every held doc is covered by what peers confirmed: checked once changes settle. */
function checkShared({ activity, changed }: Track, replicator: Replicator) {
  let checkTimer: ReturnType<typeof setTimeout> | undefined
  let stopped = false
  return {
    check() {
      clearTimeout(checkTimer)
      checkTimer = setTimeout(async () => {
        const checkedAt = Date.now()
        const unconfirmed = await replicator.anyUnconfirmed()
        if (stopped) return
        // A change made while checking is not known to be held yet.
        const newer = activity.lastLocalChangeAt !== null && activity.lastLocalChangeAt > checkedAt
        activity.unshared = newer || unconfirmed
        if (!activity.unshared) activity.confirmedAt = checkedAt
        changed()
      }, CHECK_MS)
    },
    stop() {
      stopped = true
      clearTimeout(checkTimer)
    },
  }
}

/** Replicates with each peer over its connection (a newer one replaces an older); counts the peers so reached. */
function carryPeers(provider: WebrtcProvider, replicator: Replicator, changed: () => void) {
  const carrying = new Map<string, CarryingConn>()
  const onConnection = (conn: CarryingConn, open: boolean) => {
    if (open) {
      if (carrying.get(conn.remotePeerId) === conn) return
      carrying.set(conn.remotePeerId, conn)
      replicator.connect(conn.remotePeerId, (message) => conn.carry(message))
    } else if (carrying.get(conn.remotePeerId) === conn) {
      carrying.delete(conn.remotePeerId)
      replicator.disconnect(conn.remotePeerId)
    }
    changed()
  }
  const onCarried = (conn: CarryingConn, message: Uint8Array) => {
    // The other side may speak before simple-peer tells this side the channel is up.
    if (carrying.get(conn.remotePeerId) !== conn) onConnection(conn, true)
    replicator.receive(conn.remotePeerId, message)
  }
  const carrier$ = provider as unknown as CarryingEvents
  carrier$.on('connection', onConnection)
  carrier$.on('carried', onCarried)
  return {
    count: () => carrying.size,
    stop() {
      carrier$.off('connection', onConnection)
      carrier$.off('carried', onCarried)
    },
  }
}

/** Tells status when a signaling server connects or goes; returns what stops it. */
function watchSignaling(provider: WebrtcProvider, changed: () => void) {
  const signalingListeners = provider.signalingConns.map((conn) => {
    const listener = () => changed()
    conn.on('connect', listener)
    conn.on('disconnect', listener)
    return { conn, listener }
  })
  return () => {
    for (const { conn, listener } of signalingListeners) {
      conn.off('connect', listener)
      conn.off('disconnect', listener)
    }
  }
}

/**
 * y-webrtc lists a peer as soon as it is announced over signaling. One that is never
 * reached (it left, or signaling went down mid-handshake) would wait there forever, so
 * it is given up after a while; only connected peers are counted.
 */
function sweepStuck(provider: WebrtcProvider) {
  const firstSeen = new WeakMap<object, number>()
  return setInterval(() => {
    for (const conn of provider.room?.webrtcConns.values() ?? []) {
      if (conn.connected) continue
      if (!firstSeen.has(conn)) firstSeen.set(conn, Date.now())
      else if (Date.now() - firstSeen.get(conn)! > HANDSHAKE_LIMIT_MS) conn.peer.destroy()
    }
  }, HANDSHAKE_LIMIT_MS / 3)
}
