import * as Y from 'yjs'
import { createSignal, type Accessor } from 'solid-js'
import { fromBase64, toBase64 } from 'lib0/buffer'
import { firstStampOf, isChecked, isOlder, mayWrite, parentOf, stampProblem, type Refusal } from '../domain/authority'
import { recordBytes, type Authority, type TrustRole } from '../domain/trust'
import { docNameOf, docRoom, REFUSED, STANDING, type Gate, type SpaceDocs, type SpaceMap } from '../store/space-docs'
import { signRaw, verify, type DeviceKeys } from './keys'

// Signed records, checked on read. Every record this device writes is signed with its
// device key right after the write (WebCrypto signs asynchronously, and a command's
// transaction is not), as `sig: { by, s }` beside the record's fields. What is this
// device's own is known on the command path alone: the very object a command stored
// (SpaceMap.set hands it to `written`). Nothing about a Yjs item proves who wrote it:
// client ids are copied by anyone, so a record that merely bears this device's client
// id is a peer's and is checked like any other.
// Every record read from a peer is shown only if its signature holds and its author may
// write it (domain/authority.ts). A record that fails is skipped and counted; if a
// valid version was shown before, that version stays on screen and is written back, so
// one tampered phone cannot destroy what others wrote.
//
// Checking a signature costs a little, so each is checked once: a Yjs item never
// changes, so the result is kept by item id, and the ids checked are kept on disk per
// doc (as a Yjs id set, ranges per writer), so a start checks only what is new.

export interface Signature {
  /** The author's signing key (base64url). */
  by: string
  /** Ed25519 over recordBytes(community and space, collection, key, the record without `sig`): 64 bytes, kept as bytes. */
  s: Uint8Array
}

export interface RefusedRecord {
  collection: string
  key: string
  /** The device key that signed it, if it was signed. */
  author: string | null
  /** 'overQuota': its author has more records in this collection of this doc than anyone honest writes (QUOTA). */
  why: Refusal | 'deleted' | 'overQuota'
}

/** Where checks and the last authority are kept (localStorage in the app). */
export interface CheckMemory {
  read(name: string): string | null
  write(name: string, value: string): void
}

export const localMemory: CheckMemory = {
  read: (name) => localStorage.getItem(`neighbours.${name}`),
  write: (name, value) => {
    try {
      localStorage.setItem(`neighbours.${name}`, value)
    } catch {
      // A full storage only costs checking some signatures again at the next start.
    }
  },
}

/** What was checked of one doc, kept for another room's copy of it (the same items, so the same verdicts). */
export function copyChecks(fromDocRoom: string, toDocRoom: string, memory: CheckMemory = localMemory): void {
  const saved = memory.read(`checked.${fromDocRoom}`)
  if (saved) memory.write(`checked.${toDocRoom}`, saved)
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

const HEAL_AFTER_MS = 1_500
const CHECK_PART = 500
/**
 * The most records one author may have in one collection of one month's doc (a flood
 * past it is refused whole, below). The busiest honest writers, a month's worth: a
 * resident signing up for every shift (10 a day, 310), reserving three meals a day for
 * ten elders (930), or marking 30 doors twice a day on delivery rounds (1,900); staff
 * entering every meal by hand for 300 elders (27,900). The standing doc holds every
 * year, so it allows ten times as much.
 */
export const QUOTA = { resident: 5_000, staff: 50_000, standingTimes: 10 } as const
const STAFF_ROLES: ReadonlySet<TrustRole | undefined> = new Set<TrustRole | undefined>(['founder', 'staff'])

const SHOWN_FIRST = new Set(['menus', 'canteenSettings', 'notices', 'noticeWithdrawals', 'shifts', 'shiftCancellations', 'activities', 'activityCancellations', 'groups'])

const hasSignature = (raw: unknown): raw is Record<string, unknown> & { sig: Signature } => {
  const sig = (raw as { sig?: Signature } | null)?.sig
  return typeof sig === 'object' && sig !== null && typeof sig.by === 'string' && sig.s instanceof Uint8Array
}
const withoutSignature = (raw: Record<string, unknown>) => {
  const { sig: _, ...content } = raw
  return content
}
/** The value under `key`, made first if there is none. */
function entryOf<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key)
  if (value === undefined) map.set(key, (value = make()))
  return value
}
const itemOf = (shard: Y.Map<unknown>, key: string) => (shard as unknown as { _map: Map<string, Y.Item> })._map.get(key)
const idText = (id: Y.ID) => `${id.client}:${id.clock}`

/** Per doc: the item ids whose signatures were checked (held on disk), and those among them that failed. */
interface DocChecks {
  checked: ReturnType<typeof Y.createDeleteSet>
  bad: Set<string>
  /** Checked this session, not yet merged into `checked`. */
  fresh: Map<string, { id: Y.ID; good: boolean }>
}

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
 * The gate for one space's docs. `room` names what is kept on disk; `community` the
 * last authority, so a phone shows its stored records at once, before the trust
 * records are checked again (a change then re-reads what it touches).
 */
export function makeSignedRecords(options: {
  docs: SpaceDocs
  room: string
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
  const { docs, room } = options
  const scope = { community: options.community, space: options.space }
  const memory = options.memory ?? localMemory
  let authority = authorityFrom(memory.read(`authority.${options.community}`))
  let keys: DeviceKeys | null | undefined
  let disabled = false
  let closed = false

  // The values this device's commands stored this session, and their signed versions:
  // read as they are. (A value decoded from a peer's update is always a new object.)
  const own = new WeakSet<object>()

  const checks = new Map<Y.Doc, DocChecks>()
  const checksOf = (doc: Y.Doc, name: string): DocChecks => {
    let found = checks.get(doc)
    if (found) return found
    const saved = memory.read(`checked.${docRoom(room, name)}`)
    let checked = Y.createDeleteSet()
    let bad = new Set<string>()
    if (saved) {
      try {
        const { ds, bad: badList } = JSON.parse(saved) as { ds: string; bad: string[] }
        checked = Y.decodeSnapshot(fromBase64(ds)).ds
        bad = new Set(badList)
      } catch {
        // Unreadable: everything is checked again.
      }
    }
    checks.set(doc, (found = { checked, bad, fresh: new Map() }))
    return found
  }

  /** The last valid version of each key shown, per collection: what stays on screen and is written back. */
  const kept = new Map<SpaceMap, Map<string, Record<string, unknown>>>()
  const keptIn = (map: SpaceMap) => entryOf(kept, map, () => new Map())

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
    for (const key of keys) {
      const name = docNameOf(key)
      entryOf(byDoc, name, () => new Set()).add(key)
    }
    byDoc.forEach((set, name) => map.recheck(name, set))
  }
  const recheckAll = () => {
    for (const map of docs.collections) for (const name of [...map.docNames()]) map.recheck(name, new Set(map.keysIn(name)))
  }

  // ---- Checking signatures, in batches --------------------------------------------

  let checkedCount = 0
  type Queued = { map: SpaceMap; key: string; doc: Y.Doc; docName: string; id: Y.ID; raw: Record<string, unknown> & { sig: Signature } }
  // A phone that has just received a year checks thousands. The records every screen
  // starts from (menus, notices, shifts, activities: a few hundred a month) wait in a
  // queue of their own and go first, part by part, so today's menu arriving behind a
  // year of sign-ups is not checked after them.
  const queues = { first: new Map<string, Queued>(), rest: new Map<string, Queued>() }
  // On a phone that has just joined, the standing doc arrives seconds before this month
  // does; checking its year of help requests then would hold up this month's menu
  // (the checks and the incoming data share one thread). So the rest waits until every
  // doc the first screen reads holds records (at once on a phone that stored them),
  // or 5 s after the first record was read.
  const waitingFor = new Set(options.firstDocs ?? [])
  let restWaits: ReturnType<typeof setTimeout> | undefined
  const openRest = () => {
    waitingFor.clear()
    clearTimeout(restWaits)
    if (queues.rest.size > 0 && !draining) checkQueued()
  }
  const arrived = (docName: string) => {
    restWaits ??= setTimeout(openRest, options.restWaitsMs ?? 5_000)
    if (waitingFor.delete(docName) && waitingFor.size === 0) queueMicrotask(openRest)
  }
  const nextPart = (): Queued[] => {
    const part: Queued[] = []
    for (const queue of waitingFor.size > 0 ? [queues.first] : [queues.first, queues.rest]) {
      for (const [id, entry] of queue) {
        if (part.length === CHECK_PART) return part
        part.push(entry)
        queue.delete(id)
      }
    }
    return part
  }
  /** Whether one record's signature holds (content no signature can cover, such as a non-finite number, fails). */
  const checkOne = ({ map, key, raw }: Pick<Queued, 'map' | 'key' | 'raw'>): Promise<boolean> => {
    try {
      return verify(raw.sig.by, raw.sig.s, recordBytes(scope, map.name, key, withoutSignature(raw)))
    } catch {
      return Promise.resolve(false)
    }
  }
  let checking: Promise<void> = Promise.resolve()
  let draining = false
  const checkQueued = () => {
    draining = true
    checking = checking.then(async () => {
      for (let part = nextPart(); part.length > 0 && !closed; part = nextPart()) {
        checkedCount += part.length
        // A flood's verdict waited for these checks: it is worked out again.
        quotaVerdicts.clear()
        const results = await Promise.all(part.map(checkOne))
        const touched = new Map<SpaceMap, string[]>()
        part.forEach(({ map, key, doc, docName, id }, i) => {
          checksOf(doc, docName).fresh.set(idText(id), { id, good: results[i]! })
          entryOf(touched, map, () => []).push(key)
        })
        // Each part is shown as soon as it is checked.
        touched.forEach((keys, map) => recheck(map, keys))
        // Keys whose replaced version was kept wait for this verdict, read by a screen or not.
        touched.forEach((keys, map) => {
          const waiting = decideAgain.get(map)
          if (waiting) for (const key of keys) if (waiting.delete(key)) read(map, key, map.shardOf(key)!)
        })
      }
      draining = false
      rememberChecks()
    })
  }

  /** Folds this session's checks (and every deleted item, which is never read again) into what is kept on disk. */
  const saveChecks = () => {
    clearTimeout(saving)
    saving = undefined
    for (const [doc, docChecks] of checks) {
      if (docChecks.fresh.size === 0) continue
      const name = [...docs.opened].find(([, open]) => open === doc)?.[0]
      if (!name) continue
      const fresh = Y.createDeleteSet()
      for (const { id, good } of docChecks.fresh.values()) {
        fresh.clients.set(id.client, [...(fresh.clients.get(id.client) ?? []), { clock: id.clock, len: 1 } as never])
        if (!good) docChecks.bad.add(idText(id))
      }
      docChecks.checked = Y.mergeDeleteSets([docChecks.checked, fresh, Y.createDeleteSetFromStructStore(doc.store)])
      docChecks.fresh.clear()
      const ds = toBase64(Y.encodeSnapshot(Y.createSnapshot(docChecks.checked, new Map())))
      memory.write(`checked.${docRoom(room, name)}`, JSON.stringify({ ds, bad: [...docChecks.bad] }))
    }
  }
  let saving: ReturnType<typeof setTimeout> | undefined
  const rememberChecks = () => {
    saving ??= setTimeout(saveChecks, 2_000)
  }
  // A phone closed within those 2 s keeps its checks too.
  const onHide = () => saving !== undefined && saveChecks()
  if (typeof window !== 'undefined') window.addEventListener('pagehide', onHide)

  /** Whether the stored item's signature holds: true, false, or undefined while it is being checked. */
  function signatureHolds(map: SpaceMap, key: string, shard: Y.Map<unknown>, item: Y.Item, raw: unknown): boolean | undefined {
    if (!hasSignature(raw)) return false
    // Every stored record passes here at each start: the common case (checked before,
    // nothing failed) makes no string and runs no regex.
    const doc = shard.doc!
    const docChecks = checks.get(doc) ?? checksOf(doc, docNameOf(key))
    if (docChecks.fresh.size === 0 && docChecks.bad.size === 0 && Y.isDeleted(docChecks.checked, item.id)) return true
    const id = idText(item.id)
    const fresh = docChecks.fresh.get(id)
    if (fresh) return fresh.good
    if (Y.isDeleted(docChecks.checked, item.id)) return !docChecks.bad.has(id)
    const queue = SHOWN_FIRST.has(map.name) ? queues.first : queues.rest
    if (!queue.has(id)) {
      queue.set(id, { map, key, doc, docName: docNameOf(key), id: item.id, raw })
      if (!draining) checkQueued()
    }
    return undefined
  }

  // ---- Signing what this device writes --------------------------------------------

  const toSign = new Map<SpaceMap, Set<string>>()
  let signing: Promise<void> = Promise.resolve()
  const signWritten = () => {
    signing = signing.then(async () => {
      keys ??= await options.keys
      if (!keys || closed) return
      const batch = [...toSign].flatMap(([map, set]) => [...set].map((key) => ({ map, key })))
      toSign.clear()
      const signed: { shard: Y.Map<unknown>; item: Y.Item; key: string; value: Record<string, unknown> }[] = []
      for (const { map, key } of batch) {
        const shard = map.shardOf(key)
        const item = shard && itemOf(shard, key)
        const raw = shard?.get(key)
        if (!shard || !item || item.deleted || typeof raw !== 'object' || raw === null || !own.has(raw) || hasSignature(raw)) continue
        const content = raw as Record<string, unknown>
        const s = await signRaw(keys.signing.privateKey, recordBytes(scope, map.name, key, content))
        const value = { ...content, sig: { by: keys.publicKey, s } }
        own.add(value)
        signed.push({ shard, item, key, value })
      }
      // A key written again while this was signing is signed in the next round.
      if (signed.length > 0) docs.transact(() => signed.forEach(({ shard, item, key, value }) => itemOf(shard, key) === item && shard.set(key, value)), SIGNING)
    })
    signing = signing.catch((error: unknown) => console.warn('signing failed', error))
  }
  const queueSign = (map: SpaceMap, key: string, value: unknown) => {
    if (typeof value === 'object' && value !== null) own.add(value)
    if (disabled || !isChecked(map.name)) return
    const set = entryOf(toSign, map, () => new Set<string>())
    const first = toSign.size === 1 && set.size === 0
    set.add(key)
    if (first) queueMicrotask(signWritten)
  }

  // ---- Healing: writing the last valid version back --------------------------------

  const toHeal = new Map<SpaceMap, Set<string>>()
  let healTimer: ReturnType<typeof setTimeout> | undefined
  const heal = () => {
    healTimer = undefined
    if (closed || disabled || !authority) return
    const writes: { shard: Y.Map<unknown>; key: string; value: Record<string, unknown> }[] = []
    const toHealOwn = new Map<SpaceMap, Set<string>>()
    for (const [map, keySet] of toHeal) {
      for (const key of keySet) {
        const shard = map.shardOf(key)
        const value = keptIn(map).get(key)
        // Only if what is stored still fails, and what is kept still passes.
        if (!shard || !value || shard.get(key) === value || map.readFrom(shard, key) !== value) continue
        writes.push({ shard, key, value })
        if (own.has(value) && !hasSignature(value)) entryOf(toHealOwn, map, () => new Set()).add(key)
      }
    }
    toHeal.clear()
    if (writes.length > 0) docs.transact(() => writes.forEach(({ shard, key, value }) => shard.set(key, value)), HEALING)
    // This device's own write, overwritten by a peer before it was signed, goes back and is signed now.
    for (const [map, keySet] of toHealOwn) for (const key of keySet) queueSign(map, key, map.shardOf(key)?.get(key))
    toHealOwn.clear()
  }
  const queueHeal = (map: SpaceMap, key: string) => {
    entryOf(toHeal, map, () => new Set<string>()).add(key)
    healTimer ??= setTimeout(heal, options.healAfterMs ?? HEAL_AFTER_MS)
  }

  /** Whether a kept version still counts (its author may since have been removed). */
  const stillCounts = (map: SpaceMap, key: string, value: Record<string, unknown>) =>
    !authority || !hasSignature(value) || (mayWrite(authority, map.name, key, value, value.sig.by) && !overQuotaIn(map, key, value.sig.by))
  const overQuotaIn = (map: SpaceMap, key: string, author: string) => {
    const shard = map.shardOf(key)
    return shard !== undefined && overQuota(map, shard, author) === true
  }

  const refuse = (map: SpaceMap, key: string, entry: RefusedRecord): unknown => {
    noteRefusal(entry, map, key)
    const last = keptIn(map).get(key)
    if (last && stillCounts(map, key, last)) {
      queueHeal(map, key)
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
    keys = loaded
    if (!loaded && !closed) {
      disabled = true
      recheckAll()
    }
  })

  function read(map: SpaceMap, key: string, shard: Y.Map<unknown>): unknown {
    if (disabled || !isChecked(map.name)) return shard.get(key)
    const item = itemOf(shard, key)
    const last = keptIn(map).get(key)
    // Nothing the app does deletes a record: a deletion is a peer's doing.
    if (!item || item.deleted) return last ? refuse(map, key, { collection: map.name, key, author: null, why: 'deleted' }) : undefined
    const raw = shard.get(key)
    // (This device's own records count too: a founder alone holds nobody else's.)
    if (waitingFor.size > 0) arrived(docNameOf(key))
    if (typeof raw === 'object' && raw !== null && own.has(raw)) return accept(map, key, raw)
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
    const flooding = overQuota(map, shard, author!)
    if (flooding === undefined) return last
    if (flooding) return refuse(map, key, entry('overQuota'))
    // (Against a kept version that still counts: a write its author may not make wins nothing.)
    if (last && last !== raw && isOlder(record, last) && stillCounts(map, key, last)) return refuse(map, key, entry('older'))
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
    const value = docs.getMap(collection).get(key)
    const first = typeof value === 'object' && value !== null ? firstStampOf(value as Record<string, unknown>) : undefined
    if (first !== undefined) parentStamps.set(`${collection}/${key}`, first)
    return first
  }
  const keep = (record: object, problem: Refusal | null) => {
    ruled.set(record, problem)
    return problem
  }


  // ---- Per-author quotas ----------------------------------------------------------

  // An author with more than QUOTA records in one collection of one doc is flooding:
  // every one of its records there is refused. It depends only on what the doc holds
  // and on the signatures in it, so every device decides the same whatever order the
  // records came in. Only records whose signature holds count: anyone can write
  // another device's key in `by`, and must not push an honest author over.
  // Counting the keys that name each author is one walk of a shard, kept until the
  // shard changes; signatures are looked at only past the bound (never, for the honest).
  const claimed = new Map<Y.Map<unknown>, Map<string, number>>()
  /** Per shard, per author named past the bound: flooding, not, or undefined while its signatures are checked. */
  const quotaVerdicts = new Map<Y.Map<unknown>, Map<string, boolean | undefined>>()
  /** Authors found flooding, per shard: their records are read again when that changes. */
  const flooded = new Map<Y.Map<unknown>, Set<string>>()
  const stopWatching = docs.onOpen((_name, doc) => {
    const forget = (transaction: Y.Transaction) => {
      for (const type of transaction.changed.keys()) {
        if (type._item !== null) continue
        claimed.delete(type as unknown as Y.Map<unknown>)
        quotaVerdicts.delete(type as unknown as Y.Map<unknown>)
      }
    }
    doc.on('beforeObserverCalls', forget)
  })
  const boundFor = (author: string, shard: Y.Map<unknown>) => {
    const role = authority?.roles.get(author) ?? authority?.removed.get(author)?.role ?? undefined
    const bound = STAFF_ROLES.has(role) ? QUOTA.staff : QUOTA.resident
    return shard.doc === docs.get(STANDING) ? bound * QUOTA.standingTimes : bound
  }
  function overQuota(map: SpaceMap, shard: Y.Map<unknown>, author: string): boolean | undefined {
    let counts = claimed.get(shard)
    if (!counts) {
      counts = new Map()
      for (const value of shard.values()) if (hasSignature(value)) counts.set(value.sig.by, (counts.get(value.sig.by) ?? 0) + 1)
      claimed.set(shard, counts)
    }
    const count = counts.get(author) ?? 0
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
      for (const [key, item] of (shard as unknown as { _map: Map<string, Y.Item> })._map) {
        if (item.deleted) continue
        const raw = item.content.getContent()[item.length - 1]
        if (!hasSignature(raw) || raw.sig.by !== author) continue
        keys.push(key)
        const holds = signatureHolds(map, key, shard, item, raw)
        if (holds) good++
        else if (holds === undefined) pending = true
      }
      verdict = good > bound ? true : pending ? undefined : false
      verdicts.set(author, verdict)
      if (verdict && !flooded.get(shard)?.has(author)) {
        entryOf(flooded, shard, () => new Set()).add(author)
        // What was shown of it before it passed the bound goes too.
        queueMicrotask(() => recheck(map, keys))
      }
    }
    if (verdict === false && flooded.get(shard)?.delete(author)) {
      const keys = [...shard.keys()].filter((key) => (shard.get(key) as { sig?: Signature } | undefined)?.sig?.by === author)
      queueMicrotask(() => recheck(map, keys))
    }
    return verdict
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
    written: queueSign,
    checkedCount: () => checkedCount,
    setAuthority(next) {
      const before = authority
      authority = next
      ruled = new WeakMap()
      parentStamps = new Map()
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
    async ownSigned() {
      // The signing of a write starts in a microtask after it.
      await Promise.resolve()
      await signing
    },
    async settled() {
      await new Promise((resolve) => setTimeout(resolve, 0))
      if (waitingFor.size > 0) openRest()
      await Promise.all([signing, checking, verifying])
      await checking
    },
    close() {
      closed = true
      stopWatching()
      claimed.clear()
      quotaVerdicts.clear()
      clearTimeout(healTimer)
      clearTimeout(restWaits)
      onHide()
      if (typeof window !== 'undefined') window.removeEventListener('pagehide', onHide)
    },
  }
}

/** Transaction origins, so storage and sync can tell a signature or a healed record from a command. */
export const SIGNING = 'signing'
export const HEALING = 'healing'

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
