import { fromBase64, toBase64 } from 'lib0/buffer'
import { decodeStateVector, encodeStateVector } from 'yjs'

// What a space's sync status says: peers, signaling, and when data last came and
// went, kept per space in localStorage so "last exchange" and "on this phone only"
// survive a restart. Small and free of y-webrtc, so the first screen can show it
// before the transport loads.

export interface SyncActivity {
  /** Wall time (ms) when a whole message last came from a peer. */
  lastReceivedAt: number | null
  /** Wall time (ms) when this device last handed a message to a peer. */
  lastSentAt: number | null
  /** Wall time (ms) of the newest change made on this device. */
  lastLocalChangeAt: number | null
  /**
   * Wall time (ms) when peers had last confirmed holding everything this device
   * holds (their state vectors covered ours, doc by doc). Sent is not held.
   */
  confirmedAt: number | null
  /** Some doc holds changes no peer has confirmed holding yet. */
  unshared: boolean
}

export interface SpaceSyncStatus extends SyncActivity {
  peers: number
  signalingConnected: number
  signalingServers: number
}

const activityKey = (room: string) => `neighbours.sync.${room}`
const confirmedKey = (room: string) => `${activityKey(room)}.confirmed`

const timeOrNull = (value: unknown): number | null => (typeof value === 'number' ? value : null)

export function loadActivity(room: string): SyncActivity {
  try {
    const saved = JSON.parse(localStorage.getItem(activityKey(room)) ?? 'null')
    if (saved && typeof saved === 'object') {
      return {
        lastReceivedAt: timeOrNull(saved.lastReceivedAt),
        lastSentAt: timeOrNull(saved.lastSentAt),
        lastLocalChangeAt: timeOrNull(saved.lastLocalChangeAt),
        confirmedAt: timeOrNull(saved.confirmedAt),
        unshared: saved.unshared === true,
      }
    }
  } catch {
    // A broken entry only loses the "last exchanged" time; start afresh.
  }
  return { lastReceivedAt: null, lastSentAt: null, lastLocalChangeAt: null, confirmedAt: null, unshared: false }
}

export function saveActivity(room: string, activity: SyncActivity): void {
  localStorage.setItem(activityKey(room), JSON.stringify(activity))
}

/** Before the transport runs: what was saved, with nobody connected. */
export const idleStatus = (activity: SyncActivity): SpaceSyncStatus => ({ ...activity, peers: 0, signalingConnected: 0, signalingServers: 0 })

/** Per doc, the newest state vector a peer confirmed holding. */
export function loadConfirmed(room: string): Map<string, Map<number, number>> {
  const confirmed = new Map<string, Map<number, number>>()
  try {
    const saved = JSON.parse(localStorage.getItem(confirmedKey(room)) ?? '{}')
    for (const [name, encoded] of Object.entries(saved)) if (typeof encoded === 'string') confirmed.set(name, decodeStateVector(fromBase64(encoded)))
  } catch {
    // Forgotten confirmations only mean a doc is offered again; start afresh.
  }
  return confirmed
}

export function saveConfirmed(room: string, confirmed: Map<string, Map<number, number>>): void {
  const saved = Object.fromEntries([...confirmed].map(([name, vector]) => [name, toBase64(encodeStateVector(vector))]))
  localStorage.setItem(confirmedKey(room), JSON.stringify(saved))
}

/** A device this one has exchanged docs with, and when (for the hub's screen). */
export interface PeerSeen {
  device: string
  label: string
  syncedAt: number
}

const peersKey = (room: string) => `${activityKey(room)}.peers`

export function loadPeersSeen(room: string): Map<string, PeerSeen> {
  const seen = new Map<string, PeerSeen>()
  try {
    const saved = JSON.parse(localStorage.getItem(peersKey(room)) ?? '[]')
    if (Array.isArray(saved)) {
      for (const p of saved) if (p && typeof p.device === 'string' && typeof p.label === 'string' && typeof p.syncedAt === 'number') seen.set(p.device, p)
    }
  } catch {
    // Only the list of past peers is lost.
  }
  return seen
}

export function savePeersSeen(room: string, seen: Map<string, PeerSeen>): void {
  localStorage.setItem(peersKey(room), JSON.stringify([...seen.values()]))
}

/** Forgets a space's sync times and confirmations (leaving a community). */
export function forgetActivity(room: string): void {
  const own = activityKey(room)
  for (const key of Object.keys(localStorage)) if (key === own || key.startsWith(`${own}.`)) localStorage.removeItem(key)
}

/** Whether something this device wrote at `wallMs` is known to be held by a peer. */
export const isConfirmed = (status: SyncActivity, wallMs: number): boolean => !status.unshared || (status.confirmedAt !== null && wallMs <= status.confirmedAt)
