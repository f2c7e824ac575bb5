import type * as Y from 'yjs'
import { isOlder } from '../../domain/authority'
import type { SpaceMap } from '../../store/space-docs'
import type { SignatureChecks } from './checks'
import type { Rules } from './rules'
import { checksOn, entryOf, hasSignature, type GateState } from './parts'

// What a peer replaced: the version before, to write back. A peer's delete or
// overwrite of a record that no screen has read (a month only kept, a collection read
// lazily, a key read before a restart) would leave nothing to write back. The value it
// replaced is checked like any record; if it holds, it is kept as the last valid
// version and the key is decided at once (and again once what is stored now has been
// checked), so a delete, an overwrite or a replayed older version is written back
// wherever the doc is open.

export function makeReplaced(gate: {
  state: GateState
  keptIn: (map: SpaceMap) => Map<string, Record<string, unknown>>
  checks: SignatureChecks
  rules: Rules
  read: (map: SpaceMap, key: string, shard: Y.Map<unknown>) => unknown
}) {
  const { state, keptIn, checks, rules } = gate
  const decideAgain = new Map<SpaceMap, Set<string>>()
  let verifying: Promise<void> = Promise.resolve()

  return {
    /** A peer's update replaced `previous` under `key`. */
    replaced(map: SpaceMap, key: string, previous: unknown): void {
      if (state.closed || !checksOn(state, map.name) || !hasSignature(previous)) return
      const last = keptIn(map).get(key)
      if (last === previous || (last && !isOlder(last, previous))) return
      verifying = verifying.then(async () => {
        const holds = await checks.checkOne({ map, key, raw: previous })
        if (!holds || !state.authority || state.closed || rules.problem(map, key, previous, previous.sig.by)) return
        const now = keptIn(map).get(key)
        if (now && !isOlder(now, previous)) return
        keptIn(map).set(key, previous)
        const shard = map.shardOf(key)
        if (!shard) return
        entryOf(decideAgain, map, () => new Set()).add(key)
        gate.read(map, key, shard)
      })
    },
    /** Keys whose replaced version was kept wait for this verdict, read by a screen or not. */
    decide(touched: Map<SpaceMap, string[]>) {
      touched.forEach((keys, map) => {
        const waiting = decideAgain.get(map)
        if (waiting) for (const key of keys) if (waiting.delete(key)) gate.read(map, key, map.shardOf(key)!)
      })
    },
    /** Resolves once every replaced version queued so far is checked. */
    settled: () => verifying,
  }
}
