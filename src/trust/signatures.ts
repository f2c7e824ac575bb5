import * as Y from 'yjs'
import type { Accessor } from 'solid-js'
import type { Refusal } from '../domain/authority'
import { COLLECTION_NAMES, COLLECTIONS } from '../domain/collections'
import type { Authority } from '../domain/trust'
import { docNameOf, docRoom, type Gate, type SpaceDocs, type SpaceMap } from '../store/space-docs'
import type { DeviceKeys } from './keys'
import { localMemory, type CheckMemory } from './gate/memory'
import { authorityFrom, authorityJson, makeWaiting } from './gate/authority'
import { makeSignatureChecks } from './gate/checks'
import { makeSigner } from './gate/signer'
import { makeHealer } from './gate/healer'
import { makeQuota } from './gate/quota'
import { makeRules } from './gate/rules'
import { makeRefusals } from './gate/refusals'
import { makeReader } from './gate/reader'
import { makeReplaced } from './gate/replaced'
import { checksOn, entryOf, hasSignature, type GateState } from './gate/parts'

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
// cannot destroy what others wrote. What a record counts as is decided in
// gate/reader.ts; what a peer replaced is kept and checked in gate/replaced.ts.

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

interface GateOptions {
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
}

/** The collections every first screen starts from: checked before the rest (domain/collections.ts `first`). */
const SHOWN_FIRST: ReadonlySet<string> = new Set(COLLECTION_NAMES.filter((name) => COLLECTIONS[name].first))

/** Tells the screens these keys read differently now. */
function recheck(map: SpaceMap, keys: Iterable<string>) {
  const byDoc = new Map<string, Set<string>>()
  for (const key of keys) entryOf(byDoc, docNameOf(key), () => new Set()).add(key)
  byDoc.forEach((set, name) => map.recheck(name, set))
}
/** Tells the screens every key of these docs reads differently now. */
function recheckAll(docs: SpaceDocs) {
  for (const map of docs.collections) for (const name of [...map.docNames()]) map.recheck(name, new Set(map.keysIn(name)))
}

/**
 * The gate for one space's docs. `store` names what is kept on disk (persistence.ts `storeOf`); `community` the
 * last authority, so a phone shows its stored records at once, before the trust
 * records are checked again (a change then re-reads what it touches).
 */
export function makeSignedRecords(options: GateOptions): SignedRecords {
  const { docs, store } = options
  const scope = { community: options.community, space: options.space }
  const memory = options.memory ?? localMemory
  const state: GateState = { authority: authorityFrom(memory.read(`authority.${options.community}`)), disabled: false, closed: false }

  const signer = makeSigner({ docs, keys: options.keys, scope })
  const healer = makeHealer({
    docs,
    ...(options.healAfterMs !== undefined ? { healAfterMs: options.healAfterMs } : {}),
    active: () => !state.closed && !state.disabled && state.authority !== null,
    // This device's own write, overwritten by a peer before it was signed, goes back and is signed now.
    healedOwn: (map, key, value) => signer.isOwn(value) && !hasSignature(value) && signer.written(map, key, value, checksOn(state, map.name)),
  })
  const checks = makeSignatureChecks({
    scope,
    memory,
    docRoom: (name) => docRoom(store, name),
    first: SHOWN_FIRST,
    ...(options.firstDocs ? { firstDocs: options.firstDocs } : {}),
    ...(options.restWaitsMs !== undefined ? { restWaitsMs: options.restWaitsMs } : {}),
    // A flood's verdict waited for these checks: it is worked out again.
    starting: () => quota.forgetVerdicts(),
    checked(touched) {
      // Each part is shown as soon as it is checked.
      touched.forEach((keys, map) => recheck(map, keys))
      replaced.decide(touched)
    },
  })
  const quota = makeQuota({ docs, roleOf: (author) => state.authority?.roles.get(author) ?? state.authority?.removed.get(author)?.role ?? undefined, holds: checks.holds, recheck })
  const rules = makeRules(docs, state)
  const waiting = makeWaiting({ recheck, recheckAll: () => recheckAll(docs) })
  const refusals = makeRefusals()
  const read = makeReader({ state, signer, healer, checks, rules, quota, waiting, refusals })
  const replaced = makeReplaced({ state, keptIn: healer.keptIn, checks, rules, read })

  // Without device keys (no WebCrypto) nothing can be checked: every record is read as stored.
  void options.keys.then((loaded) => {
    if (!loaded && !state.closed) {
      state.disabled = true
      recheckAll(docs)
    }
  })

  return {
    refused: refusals.refused,
    read,
    replaced: replaced.replaced,
    written: (map, key, value) => signer.written(map, key, value, checksOn(state, map.name)),
    checkedCount: checks.count,
    setAuthority(next) {
      const before = state.authority
      state.authority = next
      rules.forget()
      quota.forgetVerdicts()
      memory.write(`authority.${options.community}`, authorityJson(next))
      if (!before) return recheckAll(docs)
      waiting.changed(before, next)
    },
    ownSigned: () => signer.signed(),
    async settled() {
      await new Promise((resolve) => setTimeout(resolve, 0))
      await Promise.all([signer.signed(), checks.settled(), replaced.settled()])
      await checks.settled()
    },
    close() {
      state.closed = true
      signer.close()
      checks.close()
      quota.close()
      healer.close()
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
