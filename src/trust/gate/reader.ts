import type * as Y from 'yjs'
import { isOlder, mayWrite, replacementProblem } from '../../domain/authority'
import { REFUSED, type SpaceMap } from '../../store/space-docs'
import type { RefusedRecord } from '../signatures'
import type { SignatureChecks } from './checks'
import type { makeHealer } from './healer'
import type { makeQuota } from './quota'
import type { makeRefusals } from './refusals'
import type { Rules } from './rules'
import type { makeSigner } from './signer'
import type { makeWaiting } from './authority'
import { checksOn, hasSignature, itemOf, type GateState } from './parts'

// Reading: what a stored record counts as. It is shown if its signature holds, its
// author may write it, its stamps can be true and its author is not flooding; else it
// is refused, and the last valid version (if it still counts) stays and is written back.

export function makeReader(gate: {
  state: GateState
  signer: ReturnType<typeof makeSigner>
  healer: ReturnType<typeof makeHealer>
  checks: SignatureChecks
  rules: Rules
  quota: ReturnType<typeof makeQuota>
  waiting: ReturnType<typeof makeWaiting>
  refusals: ReturnType<typeof makeRefusals>
}) {
  const { state, signer, healer, checks, rules, quota, waiting, refusals } = gate
  const { keptIn } = healer

  /** Whether a kept version still counts (its author may since have been removed). */
  const stillCounts = (map: SpaceMap, key: string, value: Record<string, unknown>) =>
    !state.authority || !hasSignature(value) || (mayWrite(state.authority, map.name, key, value, value.sig.by) && !quota.overAt(map, key, value.sig.by))

  const refuse = (map: SpaceMap, key: string, entry: RefusedRecord): unknown => {
    refusals.note(entry, map, key)
    const last = keptIn(map).get(key)
    if (last && stillCounts(map, key, last)) {
      healer.heal(map, key)
      return last
    }
    keptIn(map).delete(key)
    return entry.why === 'deleted' ? undefined : REFUSED
  }
  const accept = (map: SpaceMap, key: string, raw: unknown) => {
    if (typeof raw === 'object' && raw !== null) keptIn(map).set(key, raw as Record<string, unknown>)
    refusals.note(null, map, key)
    return raw
  }

  return function read(map: SpaceMap, key: string, shard: Y.Map<unknown>): unknown {
    if (!checksOn(state, map.name)) return shard.get(key)
    const item = itemOf(shard, key)
    const last = keptIn(map).get(key)
    // Nothing the app does deletes a record: a deletion is a peer's doing.
    if (!item || item.deleted) return last ? refuse(map, key, { collection: map.name, key, author: null, why: 'deleted' }) : undefined
    const raw = shard.get(key)
    checks.arrived(key)
    // (This device's own records count too: a founder alone holds nobody else's.)
    if (signer.isOwn(raw)) return accept(map, key, raw)
    const holds = checks.holds(map, key, shard, item, raw)
    // While it is checked, the version shown before stays.
    if (holds === undefined || (holds && !state.authority)) return last
    const author = hasSignature(raw) ? raw.sig.by : null
    const entry = (why: RefusedRecord['why']): RefusedRecord => ({ collection: map.name, key, author, why })
    if (!holds) return refuse(map, key, entry(author ? 'badSignature' : 'unsigned'))
    const record = raw as Record<string, unknown>
    const problem = rules.problem(map, key, record, author!)
    if (problem === 'notAllowed') waiting.add(author!, map, key)
    if (problem) return refuse(map, key, entry(problem))
    const flooding = quota.overQuota(map, shard, author!)
    if (flooding === undefined) return last
    if (flooding) return refuse(map, key, entry('overQuota'))
    // (Against a kept version that still counts: a write its author may not make wins nothing.)
    if (last && last !== raw && stillCounts(map, key, last)) {
      if (isOlder(record, last)) return refuse(map, key, entry('older'))
      const changed = replacementProblem(map.name, last, record)
      if (changed) return refuse(map, key, entry(changed))
    }
    return accept(map, key, raw)
  }
}
