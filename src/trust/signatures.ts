import * as Y from 'yjs'
import { createSignal, type Accessor } from 'solid-js'
import { firstStampOf, isChecked, isOlder, mayWrite, parentOf, replacementProblem, stampProblem, type Refusal } from '../domain/authority'
import { COLLECTION_NAMES, COLLECTIONS, isCollection } from '../domain/collections'
import { recordBytes, type Authority, type TrustRole } from '../domain/trust'
import { docNameOf, docRoom, REFUSED, type Gate, type SpaceDocs, type SpaceMap } from '../store/space-docs'
import { verify, type DeviceKeys } from './keys'
import { localMemory, makeCheckedItems, type CheckMemory } from './gate/memory'
import { makeCheckQueue, type Queued } from './gate/queue'
import { makeSigner } from './gate/signer'
import { makeHealer } from './gate/healer'
import { makeQuota } from './gate/quota'
import { entryOf, hasSignature, itemOf, withoutSignature, type SignedValue } from './gate/parts'

export { copyChecks, forgetChecks, localMemory, type CheckMemory } from './gate/memory'
export { QUOTA } from './gate/quota'
export { HEALING, SIGNING, type Signature } from './gate/parts'

// The gate: signed records, checked on read. Every record this device writes is
// signed with its device key (gate/signer.ts); every record read from a peer is shown
// only if its signature holds (checked once per item, gate/queue.ts and the verdict
// cache gate/memory.ts), its author may write it (domain/authority.ts), its stamps
// can be true, and its author is not flooding the collection (gate/quota.ts). A
// record that fails is skipped and counted; if a valid version was shown before, that
// version stays on screen and is written back (gate/healer.ts), so one tampered phone
// cannot destroy what others wrote.

export interface RefusedRecord {
  collection: string
  key: string
  /** The device key that signed it, if it was signed. */
  author: string | null
  /** 'overQuota': its author has more records in this collection of this doc than anyone honest writes (QUOTA). */
  why: Refusal | 'deleted' | 'overQuota'
}

export interface SignedRecords extends Gate {
  /** Records that failed their check, with who sent them (Diagnostics). */
  refused: Accessor<RefusedRecord[]>
  /** Who may write what, from the trust verdict; records are read again where it changed. */
  setAuthority(authority: Authority): void
  /** How many signatures this session has checked (Diagnostics; the benchmark checks a start re-checks nothing). */
  checkedCount(): number
  /** Resolves once every record written so far is signed and every pending check is done (tests). */
  settled(): Promise<void>
  /** Resolves once every record this device has written so far is signed (checks of what came in do not wait). */
  ownSigned(): Promise<void>
  close(): void
}

/** The collections every first screen starts from: checked before the rest (domain/collections.ts `first`). */
const SHOWN_FIRST: ReadonlySet<string> = new Set(COLLECTION_NAMES.filter((name) => COLLECTIONS[name].first))

const authorityJson = (a: Authority) => JSON.stringify({ roles: [...a.roles], people: [...a.people], removed: [...a.removed], since: [...(a.since ?? [])] })
function authorityFrom(text: string | null): Authority | null {
  if (!text) return null
  try {
    const parsed = JSON.parse(text) as { roles: [string, TrustRole][]; people: [string, string][]; removed: [string, { role: TrustRole | null; at: string }][]; since?: [string, string][] }
    return { roles: new Map(parsed.roles), people: new Map(parsed.people), removed: new Map(parsed.removed), since: new Map(parsed.since ?? []) }
  } catch {
    return null
  }
}

/**
 * The gate for one space's docs. `store` names what is kept on disk (persistence.ts `storeOf`); `community` the
 * last authority, so a phone shows its stored records at once, before the trust
 * records are checked again (a change then re-reads what it touches).
 */
export function makeSignedRecords(options: {
  docs: SpaceDocs
  store: string
  community: string
  /** Which of the community's spaces these docs are (signatures name it). */
  space: 'public' | 'staff'
  keys: Promise<DeviceKeys | null>
  memory?: CheckMemory
  /** The docs the first screen reads (the standing doc and this month): the rest is checked once they hold records. */
  firstDocs?: string[]
  /** The longest the rest waits for them, from the first record that came in. */
  restWaitsMs?: number
  /** How long a refused write waits before the last valid version is written back (a peer's own healing may come first). */
  healAfterMs?: number
}): SignedRecords {
  const { docs, store } = options
  const scope = { community: options.community, space: options.space }
  const memory = options.memory ?? localMemory
  let authority = authorityFrom(memory.read(`authority.${options.community}`))
  let disabled = false
  let closed = false
  const checksOn = (name: string) => !disabled && isChecked(name)

  const signer = makeSigner({ docs, keys: options.keys, scope })
  const items = makeCheckedItems(memory, (name) => docRoom(store, name))
  const healer = makeHealer({
    docs,
    ...(options.healAfterMs !== undefined ? { healAfterMs: options.healAfterMs } : {}),
    active: () => !closed && !disabled && authority !== null,
    // This device's own write, overwritten by a peer before it was signed, goes back and is signed now.
    healedOwn: (map, key, value) => signer.isOwn(value) && !hasSignature(value) && signer.written(map, key, value, checksOn(map.name)),
  })
  const keptIn = healer.keptIn

  const [refused, setRefused] = createSignal<RefusedRecord[]>([])
  const refusals = new Map<string, RefusedRecord>()
  let refusalsChanged = false
  const noteRefusal = (entry: RefusedRecord | null, map: SpaceMap, key: string) => {
    if (!entry && refusals.size === 0) return
    const name = `${map.name}/${key}`
    if (entry) refusals.set(name, entry)
    else if (!refusals.delete(name)) return
    if (!refusalsChanged) {
      refusalsChanged = true
      queueMicrotask(() => {
        refusalsChanged = false
        setRefused([...refusals.values()])
      })
    }
  }

  // Records refused because their author had no role yet: read again when it gets one.
  const waiting = new Map<string, Map<SpaceMap, Set<string>>>()
  const waitFor = (author: string, map: SpaceMap, key: string) => entryOf(entryOf(waiting, author, () => new Map()), map, () => new Set()).add(key)

  /** Tells the screens these keys read differently now. */
  const recheck = (map: SpaceMap, keys: Iterable<string>) => {
    const byDoc = new Map<string, Set<string>>()
    for (const key of keys) entryOf(byDoc, docNameOf(key), () => new Set()).add(key)
    byDoc.forEach((set, name) => map.recheck(name, set))
  }
  const recheckAll = () => {
    for (const map of docs.collections) for (const name of [...map.docNames()]) map.recheck(name, new Set(map.keysIn(name)))
  }

  // ---- Checking signatures ----------------------------------------------------------

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
      // A flood's verdict waited for these checks: it is worked out again.
      quota.forgetVerdicts()
      const results = await Promise.all(part.map(checkOne))
      const touched = new Map<SpaceMap, string[]>()
      part.forEach(({ map, key, doc, docName, id }, i) => {
        items.note(doc, docName, id, results[i]!)
        entryOf(touched, map, () => []).push(key)
      })
      // Each part is shown as soon as it is checked.
      touched.forEach((keys, map) => recheck(map, keys))
      // Keys whose replaced version was kept wait for this verdict, read by a screen or not.
      touched.forEach((keys, map) => {
        const waiting = decideAgain.get(map)
        if (waiting) for (const key of keys) if (waiting.delete(key)) read(map, key, map.shardOf(key)!)
      })
    },
    drained: () => items.remember(),
  })

  /** Whether the stored item's signature holds: true, false, or undefined while it is being checked. */
  function signatureHolds(map: SpaceMap, key: string, shard: Y.Map<unknown>, item: Y.Item, raw: unknown): boolean | undefined {
    if (!hasSignature(raw)) return false
    // (Every stored record passes here at each start: its doc's name is worked out only on a miss.)
    const known = items.known(shard.doc!, key, item)
    if (known !== undefined) return known
    queue.add({ map, key, doc: shard.doc!, docName: docNameOf(key), id: item.id, raw }, SHOWN_FIRST.has(map.name))
    return undefined
  }

  const quota = makeQuota({ docs, roleOf: (author) => authority?.roles.get(author) ?? authority?.removed.get(author)?.role ?? undefined, holds: signatureHolds, recheck })

  // ---- Reading: what a record counts as ---------------------------------------------

  /** Whether a kept version still counts (its author may since have been removed). */
  const stillCounts = (map: SpaceMap, key: string, value: Record<string, unknown>) =>
    !authority || !hasSignature(value) || (mayWrite(authority, map.name, key, value, value.sig.by) && !quota.overAt(map, key, value.sig.by))

  const refuse = (map: SpaceMap, key: string, entry: RefusedRecord): unknown => {
    noteRefusal(entry, map, key)
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
    noteRefusal(null, map, key)
    return raw
  }

  // Without device keys (no WebCrypto) nothing can be checked: every record is read as stored.
  void options.keys.then((loaded) => {
    if (!loaded && !closed) {
      disabled = true
      recheckAll()
    }
  })

  function read(map: SpaceMap, key: string, shard: Y.Map<unknown>): unknown {
    if (!checksOn(map.name)) return shard.get(key)
    const item = itemOf(shard, key)
    const last = keptIn(map).get(key)
    // Nothing the app does deletes a record: a deletion is a peer's doing.
    if (!item || item.deleted) return last ? refuse(map, key, { collection: map.name, key, author: null, why: 'deleted' }) : undefined
    const raw = shard.get(key)
    queue.arrived(key)
    // (This device's own records count too: a founder alone holds nobody else's.)
    if (signer.isOwn(raw)) return accept(map, key, raw)
    const holds = signatureHolds(map, key, shard, item, raw)
    // While it is checked, the version shown before stays.
    if (holds === undefined || (holds && !authority)) return last
    const author = hasSignature(raw) ? raw.sig.by : null
    const entry = (why: RefusedRecord['why']): RefusedRecord => ({ collection: map.name, key, author, why })
    if (!holds) return refuse(map, key, entry(author ? 'badSignature' : 'unsigned'))
    const record = raw as Record<string, unknown>
    const problem = ruleProblem(map, key, record, author!)
    if (problem === 'notAllowed') waitFor(author!, map, key)
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

  // A stored record is read again and again (every screen, every recheck): what the rules
  // said of it is kept until who may write what changes. ('ahead' is not kept: time passes.)
  let ruled = new WeakMap<object, Refusal | null>()
  /** Why a signed record does not count (its author may not write it, or its stamps cannot be true), or null. */
  function ruleProblem(map: SpaceMap, key: string, record: Record<string, unknown>, author: string): Refusal | null {
    const known = ruled.get(record)
    if (known !== undefined) return known
    if (!mayWrite(authority!, map.name, key, record, author)) return keep(record, 'notAllowed')
    const parent = parentOf(map.name, key)
    const parentFirst = parent ? firstStampOfParent(parent.collection, parent.key) : undefined
    const problem = stampProblem(record, Date.now(), parentFirst, authority!.since?.get(author))
    // (Not kept while the record it belongs to has not come in: it is judged again then.)
    return problem === 'ahead' || (parent && parentFirst === undefined) ? problem : keep(record, problem)
  }
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

  // ---- What a peer replaced: the version before, to write back ---------------------

  // A peer's delete or overwrite of a record that no screen has read (a month only
  // kept, a collection read lazily, a key read before a restart) would leave nothing to
  // write back. The value it replaced is checked like any record; if it holds, it is
  // kept as the last valid version and the key is decided at once (and again once what
  // is stored now has been checked), so a delete, an overwrite or a replayed older
  // version is written back wherever the doc is open.
  const decideAgain = new Map<SpaceMap, Set<string>>()
  let verifying: Promise<void> = Promise.resolve()
  function replaced(map: SpaceMap, key: string, previous: unknown): void {
    if (disabled || closed || !isChecked(map.name) || !hasSignature(previous)) return
    const last = keptIn(map).get(key)
    if (last === previous || (last && !isOlder(last, previous))) return
    verifying = verifying.then(async () => {
      const holds = await checkOne({ map, key, raw: previous })
      if (!holds || !authority || closed || ruleProblem(map, key, previous, previous.sig.by)) return
      const now = keptIn(map).get(key)
      if (now && !isOlder(now, previous)) return
      keptIn(map).set(key, previous)
      const shard = map.shardOf(key)
      if (!shard) return
      entryOf(decideAgain, map, () => new Set()).add(key)
      read(map, key, shard)
    })
  }

  return {
    refused,
    read,
    replaced,
    written: (map, key, value) => signer.written(map, key, value, checksOn(map.name)),
    checkedCount: () => checkedCount,
    setAuthority(next) {
      const before = authority
      authority = next
      ruled = new WeakMap()
      parentStamps = new Map()
      quota.forgetVerdicts()
      memory.write(`authority.${options.community}`, authorityJson(next))
      if (!before) return recheckAll()
      const same = (key: string) =>
        before.roles.get(key) === next.roles.get(key) &&
        before.people.get(key) === next.people.get(key) &&
        before.removed.get(key)?.at === next.removed.get(key)?.at
      const authors = new Set([...before.roles.keys(), ...before.people.keys(), ...before.removed.keys()])
      // An author whose rights changed: everything is read again (rare: a grant or a removal).
      if ([...authors].some((key) => !same(key))) return recheckAll()
      // A newcomer: only the records that waited for it.
      for (const key of [...next.roles.keys(), ...next.people.keys()]) {
        if (authors.has(key)) continue
        waiting.get(key)?.forEach((keySet, map) => recheck(map, keySet))
        waiting.delete(key)
      }
    },
    ownSigned: () => signer.signed(),
    async settled() {
      await new Promise((resolve) => setTimeout(resolve, 0))
      await Promise.all([signer.signed(), queue.settled(), verifying])
      await queue.settled()
    },
    close() {
      closed = true
      signer.close()
      queue.close()
      quota.close()
      healer.close()
      items.close()
    },
  }
}

/**
 * Whether `update` deletes or overwrites a signed record that `doc` holds: an edit, or
 * a peer's delete or replay. A doc only stored (not open) sees no gate, so such an
 * update is applied to the doc opened instead, where the gate keeps the version it
 * replaces and writes it back if the new one does not hold. (Adds, and the signing of
 * a record just written, replace nothing signed and are stored as they come.)
 */
export function replacesSigned(doc: Y.Doc, update: Uint8Array): boolean {
  const { ds } = Y.decodeUpdate(update)
  for (const [client, ranges] of ds.clients) {
    const structs = doc.store.clients.get(client)
    if (!structs) continue
    const end = Y.getState(doc.store, client)
    for (const { clock, len } of ranges) {
      if (clock >= end) continue
      for (let i = Y.findIndexSS(structs, clock); i < structs.length && structs[i]!.id.clock < clock + len; i++) {
        const struct = structs[i]
        if (struct instanceof Y.Item && !struct.deleted && struct.content instanceof Y.ContentAny && struct.content.arr.some(hasSignature)) return true
      }
    }
  }
  return false
}
