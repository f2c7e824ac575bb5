import { compareStamps, type Stamp } from './hlc'

// The rule every "last place" decision uses (shift places, meal seats, activity
// places, who takes a help request): all active entries ordered by HLC stamp, the
// first `places` are confirmed and the rest wait in that order. It is derived from
// the merged entries at read time, so every device that holds the same entries
// shows the same winners, whatever order the entries arrived in.

export interface QueueEntry {
  stamp: Stamp
}

export interface Allocation<E extends QueueEntry> {
  confirmed: E[]
  waitlist: E[]
}

export function firstCome<E extends QueueEntry>(entries: readonly E[], places: number): Allocation<E> {
  const ordered = [...entries].sort((a, b) => compareStamps(a.stamp, b.stamp))
  const cut = Math.max(0, Math.floor(places))
  return { confirmed: ordered.slice(0, cut), waitlist: ordered.slice(cut) }
}
