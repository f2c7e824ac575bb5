import * as Y from 'yjs'
import { WebrtcProvider, Room } from 'y-webrtc'
import { framedWebRTC } from './chunking'
import { fromBase64, toBase64 } from 'lib0/buffer'
import { hasUnsharedChanges, holdsAll, loadActivity, saveActivity, type SpaceSyncStatus } from './activity'

// One space = one y-webrtc room, encrypted with the space secret (y-webrtc derives
// a key from `password`; signaling servers and anyone without the secret see only
// ciphertext). No STUN or TURN servers: peers meet on the same network or through
// the community's own signaling server, and no outside service learns who talks.
// This module (y-webrtc and simple-peer with it) is loaded once the first screen is
// drawn from storage; nothing on that screen waits for the network.

export interface SpaceSync {
  readonly provider: WebrtcProvider
  /** Open WebRTC connections, for status and for tests to read getStats(). */
  readonly connections: Set<RTCPeerConnection>
  status(): SpaceSyncStatus
  /** Called whenever status() may have changed. */
  onChange(listener: () => void): () => void
  destroy(): Promise<void>
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
    saveTimer = setTimeout(() => saveActivity(room, activity), 300)
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

  // Each device tells the room what it holds (its state vector, as awareness), again
  // whenever that grows. A peer whose state vector covers everything held here has
  // this device's changes: only that clears "on this phone only", not a send.
  const { awareness } = provider
  let heldTimer: ReturnType<typeof setTimeout> | undefined
  const tellHeld = () => {
    clearTimeout(heldTimer)
    heldTimer = setTimeout(() => awareness.setLocalStateField('held', toBase64(Y.encodeStateVector(doc))), 300)
  }
  const onAwareness = ({ added, updated }: { added: number[]; updated: number[] }) => {
    for (const client of [...added, ...updated]) {
      const held = client === awareness.clientID ? undefined : awareness.getStates().get(client)?.held
      if (typeof held !== 'string') continue
      try {
        if (!holdsAll(Y.decodeStateVector(fromBase64(held)), Y.decodeStateVector(Y.encodeStateVector(doc)))) continue
      } catch {
        continue // a peer's unreadable state vector confirms nothing
      }
      activity.confirmedAt = Date.now()
      changed()
    }
  }
  awareness.on('change', onAwareness)
  tellHeld()

  const onUpdate = (_update: Uint8Array, origin: unknown) => {
    if (isFromStorage(origin)) return
    tellHeld()
    if (origin instanceof Room) return
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
      clearTimeout(heldTimer)
      clearInterval(sweep)
      awareness.off('change', onAwareness)
      saveActivity(room, activity)
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
