import { compareStamps, formatStamp, isStamp, MAX_DRIFT_MS } from './hlc'
import type { Authority, TrustRole } from './trust'

// Whose signature a record needs to count (issue 17). Every record carries its
// author's device key and signature (trust/signatures.ts checks those); these rules say
// whether that author may write it: staff-only records need a staff grant, and a
// person's entries need that person's own device or a staff device acting for them.

const STAFF: readonly TrustRole[] = ['founder', 'staff']
/** The staff space is held by staff and the community hub only; its secret already keeps others out. */
const STAFF_SPACE: readonly TrustRole[] = ['founder', 'staff', 'hub']

type Row = Record<string, unknown>
/** Which person a record belongs to (it must be the author's own, unless staff wrote it). */
type Owner = (record: Row) => unknown
interface Owned {
  owner: Owner
  staffOnlyIf?: (record: Row) => boolean
  /**
   * The person a record's key names, checked beside the owner field. Without it, a
   * resident could write their own name into a record under someone else's key: where
   * the schema ties key to owner, the record would pass here and then be skipped as
   * malformed (the person's own version lost, nothing healed); where it does not, every
   * device that never saw the first version would accept it.
   */
  keyOwner?: (key: string) => string | null
}
type Rule = { staffOnly: true } | { staffSpace: true } | Owned

const staffOnly: Rule = { staffOnly: true }
const staffSpace: Rule = { staffSpace: true }
const ownedBy = (field: string, more: Omit<Owned, 'owner'> = {}): Rule => ({ owner: (record) => record[field], ...more })
/**
 * A help request's id begins with its poster's person id and a dot (store/aid.ts).
 * Requests posted before ids did so have no dot; they keep the rule they were written
 * under (the owner field alone), so a phone that updates loses none of them.
 */
export const requestOwner = (key: string): string | null => {
  const dot = key.indexOf('.')
  return dot < 0 ? null : key.slice(0, dot)
}
/** An entry's key ends with its person ("<shift id>|<person id>"): domain/places.ts. */
const entryOwner = (key: string): string => key.slice(key.lastIndexOf('|') + 1)
/** A help event's key ends with its stamp, whose last part is the device that wrote it, which is its person. */
const eventOwner = (key: string): string => key.slice(key.lastIndexOf('-') + 1)

/** One rule per collection in store/layout.ts; a collection with no rule accepts nothing signed. */
export const RULES: Record<string, Rule> = {
  // A member entry may call itself staff only when staff wrote it.
  members: ownedBy('deviceId', { staffOnlyIf: (member) => member.role === 'staff', keyOwner: (key) => key }),
  notices: staffOnly,
  noticeWithdrawals: staffOnly,
  shifts: staffOnly,
  shiftCancellations: staffOnly,
  signups: ownedBy('personId', { keyOwner: entryOwner }),
  // "<shift>|<giver>" and "<shift>|<giver>|<taker>": each the giver's or the taker's own.
  shiftOffers: ownedBy('giverId', { keyOwner: entryOwner }),
  shiftTakes: ownedBy('takerId', { keyOwner: entryOwner }),
  attendance: staffOnly,
  groups: staffOnly,
  groupMembers: ownedBy('personId', { keyOwner: entryOwner }),
  activities: staffOnly,
  activityCancellations: staffOnly,
  rsvps: ownedBy('personId', { keyOwner: entryOwner }),
  headcounts: staffOnly,
  ratings: ownedBy('personId', { keyOwner: entryOwner }),
  aidRequests: ownedBy('postedBy', { keyOwner: requestOwner }),
  // Dispatching a volunteer is the coordinator's step.
  aidEvents: ownedBy('byId', { staffOnlyIf: (event) => event.type === 'dispatch', keyOwner: eventOwner }),
  canteenSettings: staffOnly,
  menus: staffOnly,
  // A reservation's key names a meal card (by its tag), not a person: a family member, a neighbour
  // or staff may each reserve or cancel for an elder (代办), so any member may change one
  // another member made. Each version still names, and is signed by, who wrote it.
  reservations: ownedBy('byId'),
  standingOrders: ownedBy('byId'),
  // Staff seal a round to its volunteer; the volunteer's door marks come back as their own entries.
  shares: staffOnly,
  shareReplies: ownedBy('personId', { keyOwner: entryOwner }),
  elders: staffSpace,
  rounds: staffSpace,
  deliveryMarks: staffSpace,
  households: staffSpace,
  visits: staffSpace,
  visitFollowUps: staffSpace,
  shareKeys: staffSpace,
  dropboxKeys: staffSpace,
  orderDetails: staffSpace,
}

/** Whether a collection's records are signed and checked (trust records carry their own signatures). */
export const isChecked = (collection: string): boolean => collection in RULES

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

export type Refusal = 'unsigned' | 'badSignature' | 'notAllowed' | 'older' | 'ahead' | 'backdated'

// ---- Stamps are claims too ----------------------------------------------------------
// Whoever writes a record chooses its stamps. A backdated entry jumps every queue
// (first come decides shift places, seats, who takes a request), and an edit dated in
// 2099 makes every later honest edit "older". So where a stamp decides something it is
// bounded by what can be checked the same way everywhere: not before the record it
// belongs to, not before its author held a role, not over a day ahead of the reader.

/** Each entry collection's record it belongs to: its key begins with that record's id. */
const PARENTS: Record<string, string> = {
  signups: 'shifts',
  shiftOffers: 'shifts',
  shiftTakes: 'shifts',
  rsvps: 'activities',
  ratings: 'activities',
  groupMembers: 'groups',
  aidEvents: 'aidRequests',
}

/** Where the record an entry belongs to is kept, or null for a record that belongs to none. */
export function parentOf(collection: string, key: string): { collection: string; key: string } | null {
  const parent = PARENTS[collection]
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
  const rule = RULES[collection]
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
  return person !== undefined && rule.owner(record) === person && (rule.keyOwner?.(key) ?? person) === person
}
