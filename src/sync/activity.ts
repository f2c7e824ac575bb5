// What a space's sync status says: peers, signaling, and when data last came and
// went, kept per room in localStorage so "last exchange" survives a restart. Small
// and free of y-webrtc, so the first screen can show it before the transport loads.

export interface SyncActivity {
  /** Wall time (ms) when a whole message last came from a peer. */
  lastReceivedAt: number | null
  /** Wall time (ms) when this device last handed a message to a peer. */
  lastSentAt: number | null
  /** Wall time (ms) of the newest change made on this device. */
  lastLocalChangeAt: number | null
  /**
   * Wall time (ms) when a peer last showed it holds everything this device holds
   * here (its state vector covered ours). Sent is not held: a message can be lost.
   */
  confirmedAt: number | null
}

export interface SpaceSyncStatus extends SyncActivity {
  peers: number
  signalingConnected: number
  signalingServers: number
  /** Changes made here that no peer has confirmed holding yet. */
  unshared: boolean
}

const activityKey = (room: string) => `neighbours.sync.${room}`

export function loadActivity(room: string): SyncActivity {
  try {
    const saved = JSON.parse(localStorage.getItem(activityKey(room)) ?? 'null')
    if (saved && typeof saved === 'object') {
      return {
        lastReceivedAt: typeof saved.lastReceivedAt === 'number' ? saved.lastReceivedAt : null,
        lastSentAt: typeof saved.lastSentAt === 'number' ? saved.lastSentAt : null,
        lastLocalChangeAt: typeof saved.lastLocalChangeAt === 'number' ? saved.lastLocalChangeAt : null,
        confirmedAt: typeof saved.confirmedAt === 'number' ? saved.confirmedAt : null,
      }
    }
  } catch {
    // A broken entry only loses the "last exchanged" time; start afresh.
  }
  return { lastReceivedAt: null, lastSentAt: null, lastLocalChangeAt: null, confirmedAt: null }
}

/** Forgets the sync times of a space's room and of its month rooms ("<room>.<month>"). */
export function forgetActivity(room: string): void {
  const own = activityKey(room)
  for (const key of Object.keys(localStorage)) if (key === own || key.startsWith(`${own}.`)) localStorage.removeItem(key)
}

export function saveActivity(room: string, activity: SyncActivity): void {
  localStorage.setItem(activityKey(room), JSON.stringify(activity))
}

export function hasUnsharedChanges(status: SyncActivity): boolean {
  if (status.lastLocalChangeAt === null) return false
  return status.confirmedAt === null || status.lastLocalChangeAt > status.confirmedAt
}

/** Whether a peer's state vector holds every change this one holds (client id → clock). */
export function holdsAll(peer: Map<number, number>, mine: Map<number, number>): boolean {
  for (const [client, clock] of mine) if ((peer.get(client) ?? 0) < clock) return false
  return true
}

/** Whether something this device wrote at `wallMs` is known to be held by a peer. */
export const isConfirmed = (status: SyncActivity, wallMs: number): boolean => status.confirmedAt !== null && wallMs <= status.confirmedAt

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
    // Up to the earliest confirmation of a room that still has unconfirmed changes
    // (a mark may stay a moment too long, never clear too early); with no room yet,
    // nothing is known to be held.
    confirmedAt: rooms.length === 0 ? null : rooms.some((r) => r.unshared) ? Math.min(...rooms.filter((r) => r.unshared).map((r) => r.confirmedAt ?? 0)) : Number.POSITIVE_INFINITY,
    unshared: rooms.some((r) => r.unshared),
  }
}
