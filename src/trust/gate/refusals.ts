import { createSignal } from 'solid-js'
import type { SpaceMap } from '../../store/space-docs'
import type { RefusedRecord } from '../signatures'

// The records that failed their check, for Diagnostics: one entry per key, the list
// handed to the screen once per microtask however many reads refused something.

export function makeRefusals() {
  const [refused, setRefused] = createSignal<RefusedRecord[]>([])
  const refusals = new Map<string, RefusedRecord>()
  let changed = false
  return {
    refused,
    /** What the last read of `key` refused, or null: it passed. */
    note(entry: RefusedRecord | null, map: SpaceMap, key: string) {
      if (!entry && refusals.size === 0) return
      const name = `${map.name}/${key}`
      if (entry) refusals.set(name, entry)
      else if (!refusals.delete(name)) return
      if (!changed) {
        changed = true
        queueMicrotask(() => {
          changed = false
          setRefused([...refusals.values()])
        })
      }
    },
  }
}
