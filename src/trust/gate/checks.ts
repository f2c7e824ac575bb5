import type * as Y from 'yjs'
import { recordBytes, type RecordScope } from '../../domain/trust'
import { docNameOf, type SpaceMap } from '../../store/space-docs'
import { verify } from '../keys'
import { makeCheckedItems, type CheckMemory } from './memory'
import { makeCheckQueue, type Queued } from './queue'
import { entryOf, hasSignature, withoutSignature, type SignedValue } from './parts'

// Checking signatures: each stored item once (the verdict kept, gate/memory.ts),
// queued and checked part by part (gate/queue.ts), the records every first screen
// starts from before the rest.

export function makeSignatureChecks(options: {
  scope: RecordScope
  memory: CheckMemory
  /** The room each doc's verdicts are kept under. */
  docRoom: (name: string) => string
  /** The collections checked before the rest. */
  first: ReadonlySet<string>
  firstDocs?: string[]
  restWaitsMs?: number
  /** A part is about to be checked (a verdict that waited for it is worked out again). */
  starting: () => void
  /** A part was checked: the keys of each map whose verdict came in. */
  checked: (touched: Map<SpaceMap, string[]>) => void
}) {
  const { scope } = options
  const items = makeCheckedItems(options.memory, options.docRoom)
  let checkedCount = 0

  /** Whether one record's signature holds (content no signature can cover, such as a non-finite number, fails). */
  const checkOne = ({ map, key, raw }: { map: SpaceMap; key: string; raw: SignedValue }): Promise<boolean> => {
    try {
      return verify(raw.sig.by, raw.sig.s, recordBytes(scope, map.name, key, withoutSignature(raw)))
    } catch {
      return Promise.resolve(false)
    }
  }
  const queue = makeCheckQueue({
    ...(options.firstDocs ? { firstDocs: options.firstDocs } : {}),
    ...(options.restWaitsMs !== undefined ? { restWaitsMs: options.restWaitsMs } : {}),
    async check(part: Queued[]) {
      checkedCount += part.length
      options.starting()
      const results = await Promise.all(part.map(checkOne))
      const touched = new Map<SpaceMap, string[]>()
      part.forEach(({ map, key, doc, docName, id }, i) => {
        items.note(doc, docName, id, results[i]!)
        entryOf(touched, map, () => []).push(key)
      })
      options.checked(touched)
    },
    drained: () => items.remember(),
  })

  return {
    checkOne,
    /** Whether the stored item's signature holds: true, false, or undefined while it is being checked. */
    holds(map: SpaceMap, key: string, shard: Y.Map<unknown>, item: Y.Item, raw: unknown): boolean | undefined {
      if (!hasSignature(raw)) return false
      // (Every stored record passes here at each start: its doc's name is worked out only on a miss.)
      const known = items.known(shard.doc!, key, item)
      if (known !== undefined) return known
      queue.add({ map, key, doc: shard.doc!, docName: docNameOf(key), id: item.id, raw }, options.first.has(map.name))
      return undefined
    },
    arrived: queue.arrived,
    count: () => checkedCount,
    settled: queue.settled,
    close() {
      queue.close()
      items.close()
    },
  }
}

export type SignatureChecks = ReturnType<typeof makeSignatureChecks>
