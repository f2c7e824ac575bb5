import * as Y from 'yjs'
import type { TrustRole } from '../../domain/trust'
import { docNameOf, STANDING, type SpaceDocs, type SpaceMap } from '../../store/space-docs'
import { entryOf, hasSignature, type Signature } from './parts'

// Per-author quotas. An author with more than QUOTA records in one collection of one
// doc is flooding: every one of its records there is refused. It depends only on what
// the doc holds and on the signatures in it, so every device decides the same whatever
// order the records came in. Only records whose signature holds count: anyone can
// write another device's key in `by`, and must not push an honest author over.
// Counting the keys that name each author is one walk of a shard, kept until the shard
// changes; signatures are looked at only past the bound (never, for the honest).

/**
 * The most records one author may have in one collection of one month's doc. The
 * busiest honest writers, a month's worth: a resident signing up for every shift (10 a
 * day, 310), reserving three meals a day for ten elders (930), or marking 30 doors
 * twice a day on delivery rounds (1,900); staff entering every meal by hand for 300
 * elders (27,900). The standing doc holds every year, so it allows ten times as much.
 */
export const QUOTA = { resident: 5_000, staff: 50_000, standingTimes: 10 } as const
const STAFF_ROLES: ReadonlySet<TrustRole | undefined> = new Set<TrustRole | undefined>(['founder', 'staff'])

export function makeQuota(options: {
  docs: SpaceDocs
  /** The role an author holds (or held, if removed). */
  roleOf: (author: string) => TrustRole | undefined
  /** Whether a stored record's signature holds: true, false, or undefined while it is checked. */
  holds: (map: SpaceMap, key: string, shard: Y.Map<unknown>, item: Y.Item, raw: unknown) => boolean | undefined
  /** Tells the screens these keys read differently now. */
  recheck: (map: SpaceMap, keys: Iterable<string>) => void
}) {
  const { docs } = options
  /** Per shard: how many records name each author, and which author each key names (to move a count when a key changes). */
  const claimed = new Map<Y.Map<unknown>, { counts: Map<string, number>; authors: Map<string, string> }>()
  /** Per shard, per author named past the bound: flooding, not, or undefined while its signatures are checked. */
  const quotaVerdicts = new Map<Y.Map<unknown>, Map<string, boolean | undefined>>()
  /** Authors found flooding, per shard: their records are read again when that changes. */
  const flooded = new Map<Y.Map<unknown>, Set<string>>()
  const stopWatching = docs.onOpen((_name, doc) => {
    // A write changes a few keys: their authors' counts are moved, not the shard counted again
    // (a month's sign-ups are thousands, and a sign-up must answer at once on a cheap phone).
    const forget = (transaction: Y.Transaction) => {
      for (const [type, keys] of transaction.changed) {
        if (type._item !== null) continue
        const shard = type as unknown as Y.Map<unknown>
        quotaVerdicts.delete(shard)
        const tally = claimed.get(shard)
        if (!tally) continue
        for (const key of keys) {
          if (key === null) continue
          const before = tally.authors.get(key)
          if (before !== undefined) tally.counts.set(before, (tally.counts.get(before) ?? 1) - 1)
          const value = shard.get(key)
          if (hasSignature(value)) {
            tally.authors.set(key, value.sig.by)
            tally.counts.set(value.sig.by, (tally.counts.get(value.sig.by) ?? 0) + 1)
          } else tally.authors.delete(key)
        }
      }
    }
    doc.on('beforeObserverCalls', forget)
  })
  const boundFor = (author: string, shard: Y.Map<unknown>) => {
    const role = options.roleOf(author)
    const bound = STAFF_ROLES.has(role) ? QUOTA.staff : QUOTA.resident
    return shard.doc === docs.get(STANDING) ? bound * QUOTA.standingTimes : bound
  }
  function overQuota(map: SpaceMap, shard: Y.Map<unknown>, author: string): boolean | undefined {
    let tally = claimed.get(shard)
    if (!tally) {
      tally = { counts: new Map(), authors: new Map() }
      for (const [key, value] of shard.entries()) {
        if (!hasSignature(value)) continue
        tally.authors.set(key, value.sig.by)
        tally.counts.set(value.sig.by, (tally.counts.get(value.sig.by) ?? 0) + 1)
      }
      claimed.set(shard, tally)
    }
    const count = tally.counts.get(author) ?? 0
    // The honest case: under the smallest bound, nothing more to look at.
    if (count <= QUOTA.resident && flooded.size === 0) return false
    const verdicts = entryOf(quotaVerdicts, shard, () => new Map<string, boolean | undefined>())
    const bound = boundFor(author, shard)
    let verdict: boolean | undefined
    if (count <= bound) verdict = false
    else if (verdicts.has(author)) return verdicts.get(author)
    else {
      let good = 0
      let pending = false
      const keys: string[] = []
      // Only records filed in this doc count: copies of an author's older records under
      // their own keys (valid signatures, other months) must not push him over here.
      const docName = [...docs.opened].find(([, doc]) => doc === shard.doc)?.[0]
      for (const [key, item] of (shard as unknown as { _map: Map<string, Y.Item> })._map) {
        if (item.deleted || docNameOf(key) !== docName) continue
        const raw = item.content.getContent()[item.length - 1]
        if (!hasSignature(raw) || raw.sig.by !== author) continue
        keys.push(key)
        const holds = options.holds(map, key, shard, item, raw)
        if (holds) good++
        else if (holds === undefined) pending = true
      }
      verdict = good > bound ? true : pending ? undefined : false
      verdicts.set(author, verdict)
      if (verdict && !flooded.get(shard)?.has(author)) {
        entryOf(flooded, shard, () => new Set()).add(author)
        // What was shown of it before it passed the bound goes too.
        queueMicrotask(() => options.recheck(map, keys))
      }
    }
    if (verdict === false && flooded.get(shard)?.delete(author)) {
      const keys = [...shard.keys()].filter((key) => (shard.get(key) as { sig?: Signature } | undefined)?.sig?.by === author)
      queueMicrotask(() => options.recheck(map, keys))
    }
    return verdict
  }

  return {
    /** Whether the author is flooding this shard: true, false, or undefined while its signatures are checked. */
    overQuota,
    /** Whether the author is flooding the shard that holds `key`. */
    overAt(map: SpaceMap, key: string, author: string): boolean {
      const shard = map.shardOf(key)
      return shard !== undefined && overQuota(map, shard, author) === true
    },
    /** Verdicts that waited for checks (or a role) are worked out again. */
    forgetVerdicts() {
      quotaVerdicts.clear()
    },
    close() {
      stopWatching()
      claimed.clear()
      quotaVerdicts.clear()
    },
  }
}
