import { firstStampOf, mayWrite, parentOf, stampProblem, type Refusal } from '../../domain/authority'
import { isCollection } from '../../domain/collections'
import type { SpaceDocs, SpaceMap } from '../../store/space-docs'
import type { GateState } from './parts'

// What the rules (domain/authority.ts) say of a signed record: whether its author may
// write it and its stamps can be true. A stored record is read again and again (every
// screen, every recheck): what the rules said of it is kept until who may write what
// changes. ('ahead' is not kept: time passes.)

export function makeRules(docs: SpaceDocs, state: GateState) {
  let ruled = new WeakMap<object, Refusal | null>()
  // A shift's many sign-ups ask for its first stamp, which no valid edit changes.
  let parentStamps = new Map<string, string>()

  function firstStampOfParent(collection: string, key: string): string | undefined {
    const known = parentStamps.get(`${collection}/${key}`)
    if (known !== undefined) return known
    const value = isCollection(collection) ? docs.getMap(collection).get(key) : undefined
    const first = typeof value === 'object' && value !== null ? firstStampOf(value as Record<string, unknown>) : undefined
    if (first !== undefined) parentStamps.set(`${collection}/${key}`, first)
    return first
  }
  const keep = (record: object, problem: Refusal | null) => {
    ruled.set(record, problem)
    return problem
  }

  return {
    /** Why a signed record does not count (its author may not write it, or its stamps cannot be true), or null. */
    problem(map: SpaceMap, key: string, record: Record<string, unknown>, author: string): Refusal | null {
      const known = ruled.get(record)
      if (known !== undefined) return known
      if (!mayWrite(state.authority!, map.name, key, record, author)) return keep(record, 'notAllowed')
      const parent = parentOf(map.name, key)
      const parentFirst = parent ? firstStampOfParent(parent.collection, parent.key) : undefined
      const problem = stampProblem(record, Date.now(), parentFirst, state.authority!.since?.get(author))
      // (Not kept while the record it belongs to has not come in: it is judged again then.)
      return problem === 'ahead' || (parent && parentFirst === undefined) ? problem : keep(record, problem)
    },
    /** Who may write what changed: every record is judged again. */
    forget() {
      ruled = new WeakMap()
      parentStamps = new Map()
    },
  }
}

export type Rules = ReturnType<typeof makeRules>
