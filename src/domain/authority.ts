import { compareStamps, formatStamp, isStamp, MAX_DRIFT_MS } from './hlc'
import type { Authority, TrustRole } from './trust'
import { COLLECTIONS, isCollection, type Rule } from './collections'

// Whose signature a record needs to count (issue 17). Every record carries its
// author's device key and signature (trust/signatures.ts checks those); these rules say
// whether that author may write it: staff-only records need a staff grant, and a
// person's entries need that person's own device or a staff device acting for them.

const STAFF: readonly TrustRole[] = ['founder', 'staff']
/** The staff space is held by staff and the community hub only; its secret already keeps others out. */
const STAFF_SPACE: readonly TrustRole[] = ['founder', 'staff', 'hub']

type Row = Record<string, unknown>

/** Each collection's rule is declared with it (domain/collections.ts); a collection with no rule accepts nothing signed. */
const ruleOf = (collection: string): Rule | null => {
  const rule = isCollection(collection) ? COLLECTIONS[collection].rule : null
  return rule === 'trust' ? null : rule
}

/** Whether a collection's records are signed and checked (trust records carry their own signatures). */
export const isChecked = (collection: string): boolean => ruleOf(collection) !== null

/** A record's version: its latest stamp (an edit's, else its first). A valid record never gives way to an older one. */
export function versionOf(record: Row): string | undefined {
  for (const field of ['updatedAt', 'editedAt', 'stamp']) {
    const value = record[field]
    if (isStamp(value)) return value
  }
  return undefined
}

/** Whether `older` is a strictly earlier version than `newer` (a replayed or rolled-back record). */
export function isOlder(older: Row, newer: Row): boolean {
  const a = versionOf(older)
  const b = versionOf(newer)
  return a !== undefined && b !== undefined && compareStamps(a, b) < 0
}

export type Refusal = 'unsigned' | 'badSignature' | 'notAllowed' | 'older' | 'changed' | 'ahead' | 'backdated'

// ---- Stamps are claims too ----------------------------------------------------------
// Whoever writes a record chooses its stamps. A backdated entry jumps every queue
// (first come decides shift places, seats, who takes a request), and an edit dated in
// 2099 makes every later honest edit "older". So where a stamp decides something it is
// bounded by what can be checked the same way everywhere: not before the record it
// belongs to, not before its author held a role, not over a day ahead of the reader.

/** Where the record an entry belongs to is kept (its key begins with that record's id), or null for a record that belongs to none. */
export function parentOf(collection: string, key: string): { collection: string; key: string } | null {
  const parent = isCollection(collection) ? COLLECTIONS[collection].parent : undefined
  const bar = key.indexOf('|')
  return parent && bar > 0 ? { collection: parent, key: key.slice(0, bar) } : null
}

const STAMP_FIELDS = ['stamp', 'updatedAt', 'editedAt', 'withdrawnAt', 'releasedAt'] as const
/** When a record says it began: its first stamp (its place in a queue), else its version. */
export const firstStampOf = (record: Row): string | undefined => (isStamp(record.stamp) ? record.stamp : versionOf(record))

/** The bound a stamp may not pass (a day past `nowMs`), made once per second: a start reads thousands of records. */
let latestAt = { second: Number.NaN, bound: '' }
function latestStamp(nowMs: number): string {
  const second = Math.floor(nowMs / 1000)
  if (second !== latestAt.second) latestAt = { second, bound: `${formatStamp(nowMs + MAX_DRIFT_MS, 0, '').slice(0, 11)}~` }
  return latestAt.bound
}

/**
 * Why a record's stamps cannot be true, or null: one dated more than a day past this
 * device's clock (`nowMs`), or a first stamp before its parent record's (`parentFirst`)
 * or before its author's role was given (`since`). Runs for each record a device reads
 * first, so the day's bound is a string compare: a stamp's wall time leads it, fixed width.
 */
export function stampProblem(record: Row, nowMs: number, parentFirst: string | undefined, since: string | undefined): 'ahead' | 'backdated' | null {
  const latest = latestStamp(nowMs)
  for (const field of STAMP_FIELDS) {
    const value = record[field]
    if (typeof value === 'string' && value > latest) return 'ahead'
  }
  const first = firstStampOf(record)
  if (first === undefined) return null
  if (parentFirst !== undefined && compareStamps(first, parentFirst) < 0) return 'backdated'
  if (since !== undefined && compareStamps(first, since) < 0) return 'backdated'
  return null
}

/** Whether the device with signing key `author` may have written `record` under `key` in `collection`. */
export function mayWrite(authority: Authority, collection: string, key: string, record: Row, author: string): boolean {
  const rule = ruleOf(collection)
  if (!rule) return false
  const removed = authority.removed.get(author)
  const role = authority.roles.get(author) ?? removed?.role ?? null
  if (!role) return false
  // A removed device's records count up to its removal. (It could backdate its stamps;
  // docs/trust.md ("A removed device") says what that can and cannot reach.)
  if (removed) {
    const version = versionOf(record)
    if (version === undefined || compareStamps(version, removed.at) >= 0) return false
  }
  if ('staffSpace' in rule) return STAFF_SPACE.includes(role)
  if (STAFF.includes(role)) return true
  if ('staffOnly' in rule || rule.staffOnlyIf?.(record)) return false
  const person = authority.people.get(author)
  return person !== undefined && rule.owner(record) === person && (rule.keyOwner?.(key) ?? person) === person && (rule.forWhom?.(record, person) ?? true)
}

/** The same record, signature aside (a copy of a valid version, not a new one). */
function sameContent(a: Row, b: Row): boolean {
  const keys = (row: Row) => Object.keys(row).filter((k) => k !== 'sig').sort()
  const [ka, kb] = [keys(a), keys(b)]
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && JSON.stringify(a[k]) === JSON.stringify(b[k]))
}

/**
 * Whether `next` may take the place of `kept`, the valid version this device holds: a
 * record written once stays as written; a later version keeps the fields that say when
 * it began and whose it is (domain/collections.ts `once`, `fixed`). Else 'changed'.
 */
export function replacementProblem(collection: string, kept: Row, next: Row): 'changed' | null {
  if (!isCollection(collection)) return null
  const declared = COLLECTIONS[collection] as { once?: true; fixed?: readonly string[] }
  if (declared.once) return sameContent(kept, next) ? null : 'changed'
  for (const field of declared.fixed ?? []) if (JSON.stringify(kept[field]) !== JSON.stringify(next[field])) return 'changed'
  return null
}
