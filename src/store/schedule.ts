import type { SpaceMap } from './space-docs'
import type { HybridClock } from '../domain/hlc'
import type { Cancellation } from '../domain/schedule'

/** Cancels a calendar record (shift, activity) with a reason: an entry of its own. */
export function writeCancellation(map: SpaceMap, clock: HybridClock, byId: string, id: string, reason: string): Cancellation {
  const cancellation: Cancellation = { id, byId, reason: reason.trim().slice(0, 200), stamp: clock.tick() }
  map.put(id, cancellation)
  return cancellation
}
