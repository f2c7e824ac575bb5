import type * as Y from 'yjs'
import type { SpaceDocs, SpaceMap } from '../../store/space-docs'
import { entryOf, HEALING } from './parts'

// The healer: the last valid version of each key read, per collection. It is what
// stays on screen while a refused write is stored, and what is written back a moment
// later, so one tampered phone cannot destroy what others wrote. (A peer's own gate
// may heal first: the wait lets one write-back do for all.)

const HEAL_AFTER_MS = 1_500

export function makeHealer(options: {
  docs: SpaceDocs
  healAfterMs?: number
  /** Whether healing may run now (keys loaded, an authority to judge by). */
  active: () => boolean
  /** A healed value that is this device's own unsigned write: it is signed now. */
  healedOwn: (map: SpaceMap, key: string, value: Record<string, unknown>) => void
}) {
  const kept = new Map<SpaceMap, Map<string, Record<string, unknown>>>()
  const keptIn = (map: SpaceMap) => entryOf(kept, map, () => new Map<string, Record<string, unknown>>())
  const toHeal = new Map<SpaceMap, Set<string>>()
  let timer: ReturnType<typeof setTimeout> | undefined

  const heal = () => {
    timer = undefined
    if (!options.active()) return
    const writes: { map: SpaceMap; shard: Y.Map<unknown>; key: string; value: Record<string, unknown> }[] = []
    for (const [map, keySet] of toHeal) {
      for (const key of keySet) {
        const shard = map.shardOf(key)
        const value = keptIn(map).get(key)
        // Only if what is stored still fails, and what is kept still passes.
        if (!shard || !value || shard.get(key) === value || map.readFrom(shard, key) !== value) continue
        writes.push({ map, shard, key, value })
      }
    }
    toHeal.clear()
    if (writes.length > 0) options.docs.transact(() => writes.forEach(({ shard, key, value }) => shard.set(key, value)), HEALING)
    writes.forEach(({ map, key, value }) => options.healedOwn(map, key, value))
  }

  return {
    /** The last valid version of each key of this collection. */
    keptIn,
    /** Writes the kept version of `key` back in a moment, if what is stored then still fails. */
    heal(map: SpaceMap, key: string) {
      entryOf(toHeal, map, () => new Set<string>()).add(key)
      timer ??= setTimeout(heal, options.healAfterMs ?? HEAL_AFTER_MS)
    },
    close() {
      clearTimeout(timer)
    },
  }
}
