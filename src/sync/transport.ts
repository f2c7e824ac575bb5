import * as Y from 'yjs'
import { WebrtcProvider, Room } from 'y-webrtc'
import { framedWebRTC } from './chunking'

// One space = one y-webrtc room, encrypted with the space secret (y-webrtc derives
// a key from `password`; signaling servers and anyone without the secret see only
// ciphertext). No STUN or TURN servers: peers meet on the same network or through
// the community's own signaling server, and no outside service learns who talks.

export interface SyncActivity {
  /** Wall time (ms) when a whole message last came from a peer. */
  lastReceivedAt: number | null
  /** Wall time (ms) when this device last handed a message to a peer. */
  lastSentAt: number | null
  /** Wall time (ms) of the newest change made on this device. */
  lastLocalChangeAt: number | null
}

export interface SpaceSyncStatus extends SyncActivity {
  peers: number
  signalingConnected: number
  signalingServers: number
  /** Changes made here that no peer has been sent yet. */
  unshared: boolean
}

export interface SpaceSync {
  readonly provider: WebrtcProvider
  /** Open WebRTC connections, for status and for tests to read getStats(). */
  readonly connections: Set<RTCPeerConnection>
  status(): SpaceSyncStatus
  /** Called whenever status() may have changed. */
  onChange(listener: () => void): () => void
  destroy(): Promise<void>
}

const activityKey = (room: string) => `neighbours.sync.${room}`

function loadActivity(room: string): SyncActivity {
  try {
    const saved = JSON.parse(localStorage.getItem(activityKey(room)) ?? 'null')
    if (saved && typeof saved === 'object') {
      return {
        lastReceivedAt: typeof saved.lastReceivedAt === 'number' ? saved.lastReceivedAt : null,
        lastSentAt: typeof saved.lastSentAt === 'number' ? saved.lastSentAt : null,
        lastLocalChangeAt: typeof saved.lastLocalChangeAt === 'number' ? saved.lastLocalChangeAt : null,
      }
    }
  } catch {
    // A broken entry only loses the "last exchanged" time; start afresh.
  }
  return { lastReceivedAt: null, lastSentAt: null, lastLocalChangeAt: null }
}

/** Forgets the sync times of a space's room and of its month rooms ("<room>.<month>"). */
export function forgetActivity(room: string): void {
  const own = activityKey(room)
  for (const key of Object.keys(localStorage)) if (key === own || key.startsWith(`${own}.`)) localStorage.removeItem(key)
}

// On a local network a WebRTC handshake takes well under a second. One that is not
// done after 10 s is stuck (the other side left, or signaling went down mid-way), and
// dropping it makes both sides announce again. Two peers announcing at the same
// moment no longer both start a handshake: y-webrtc is patched so only the peer with
// the greater id starts (patches/y-webrtc+10.3.0.patch).
const HANDSHAKE_LIMIT_MS = 10_000

export function connectSpace(
  doc: Y.Doc,
  room: string,
  secret: string,
  signaling: string[],
  isFromStorage: (origin: unknown) => boolean,
): SpaceSync {
  const listeners = new Set<() => void>()
  const connections = new Set<RTCPeerConnection>()
  const activity = loadActivity(room)
  let saveTimer: ReturnType<typeof setTimeout> | undefined

  const changed = () => {
    clearTimeout(saveTimer)
    saveTimer = setTimeout(() => localStorage.setItem(activityKey(room), JSON.stringify(activity)), 300)
    listeners.forEach((l) => l())
  }

  const wrtc = framedWebRTC(
    {
      sent: () => {
        activity.lastSentAt = Date.now()
        changed()
      },
      received: () => {
        activity.lastReceivedAt = Date.now()
        changed()
      },
    },
    connections,
  )

  const provider = new WebrtcProvider(room, doc, {
    signaling,
    password: secret,
    peerOpts: { wrtc, config: { iceServers: [] } },
  })
  // No BroadcastChannel (patches/y-webrtc+10.3.0.patch): on joining it y-webrtc
  // encodes the whole doc, encrypts it and reads it back, which costs a phone a
  // third of a second per month opened. Two tabs of the app meet over WebRTC instead.
  ;(provider as WebrtcProvider & { broadcastChannel: boolean }).broadcastChannel = false

  const onUpdate = (_update: Uint8Array, origin: unknown) => {
    if (origin instanceof Room || isFromStorage(origin)) return
    activity.lastLocalChangeAt = Date.now()
    changed()
  }
  doc.on('update', onUpdate)
  provider.on('peers', changed)
  provider.on('status', changed)
  const signalingListeners = provider.signalingConns.map((conn) => {
    const listener = () => changed()
    conn.on('connect', listener)
    conn.on('disconnect', listener)
    return { conn, listener }
  })

  // y-webrtc lists a peer as soon as it is announced over signaling. One that is
  // never reached (it left, or signaling went down mid-handshake) would wait there
  // forever, so it is given up after a while; only connected peers are counted.
  const firstSeen = new WeakMap<object, number>()
  const sweep = setInterval(() => {
    for (const conn of provider.room?.webrtcConns.values() ?? []) {
      if (conn.connected) continue
      if (!firstSeen.has(conn)) firstSeen.set(conn, Date.now())
      else if (Date.now() - firstSeen.get(conn)! > HANDSHAKE_LIMIT_MS) conn.peer.destroy()
    }
  }, HANDSHAKE_LIMIT_MS / 3)

  return {
    provider,
    connections,
    status: () => ({
      ...activity,
      peers: provider.room ? [...provider.room.webrtcConns.values()].filter((conn) => conn.connected).length : 0,
      signalingConnected: provider.signalingConns.filter((c) => c.connected).length,
      signalingServers: provider.signalingConns.length,
      unshared: hasUnsharedChanges(activity),
    }),
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async destroy() {
      clearTimeout(saveTimer)
      clearInterval(sweep)
      localStorage.setItem(activityKey(room), JSON.stringify(activity))
      doc.off('update', onUpdate)
      for (const { conn, listener } of signalingListeners) {
        conn.off('connect', listener)
        conn.off('disconnect', listener)
      }
      listeners.clear()
      provider.destroy()
      // y-webrtc frees the room name only after its key promise settles; wait, so
      // the same space can be opened again straight away (switching back).
      await provider.key
      await new Promise((resolve) => setTimeout(resolve, 0))
    },
  }
}

function hasUnsharedChanges(status: SyncActivity): boolean {
  if (status.lastLocalChangeAt === null) return false
  return status.lastSentAt === null || status.lastLocalChangeAt > status.lastSentAt
}

const latest = (times: (number | null)[]): number | null => times.reduce<number | null>((a, b) => (b !== null && (a === null || b > a) ? b : a), null)

/**
 * A space's rooms (its standing doc and each open month) taken together. The same
 * phones are in every room, and y-webrtc shares one connection per signaling server
 * among rooms, so the largest counts are the space's.
 */
export function combineStatus(rooms: SpaceSyncStatus[]): SpaceSyncStatus {
  return {
    peers: Math.max(0, ...rooms.map((r) => r.peers)),
    signalingConnected: Math.max(0, ...rooms.map((r) => r.signalingConnected)),
    signalingServers: Math.max(0, ...rooms.map((r) => r.signalingServers)),
    lastReceivedAt: latest(rooms.map((r) => r.lastReceivedAt)),
    lastSentAt: latest(rooms.map((r) => r.lastSentAt)),
    lastLocalChangeAt: latest(rooms.map((r) => r.lastLocalChangeAt)),
    unshared: rooms.some((r) => r.unshared),
  }
}
