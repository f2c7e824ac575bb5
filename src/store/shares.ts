import type { SpaceDocs } from './space-docs'
import type { HybridClock } from '../domain/hlc'
import { compareStamps, parseStamp } from '../domain/hlc'
import { DeliveryMarkSchema, markKey, type DeliveryMark } from '../domain/canteen'
import { ShareKeySchema, ShareReplySchema, ShareSchema, type Share, type SharedVisit, type ShareKey, type ShareReply } from '../domain/shares'
import { VisitSchema, type Visit } from '../domain/visits'
import { monthOf } from '../domain/calendar'
import { readCollection, readRecord } from './collection'
import { publicSpace, staffSpace } from './layout'
import { liveOf, type ShownMonths } from './reactive'
import type { Person } from './places'
import { feature } from './feature'

// The records of sealed rounds (domain/shares.ts). What is sealed, and how, is
// trust/shares.ts's; here they are stored and read like any other record.

/** Staff: the share in the public space, and its key in the staff space, written together. */
export function putShare(pubDocs: SpaceDocs, staffDocs: SpaceDocs, clock: HybridClock, share: Omit<Share, 'stamp'>, key: Omit<ShareKey, 'stamp'>): Share {
  const stamp = clock.tick()
  const record: Share = { ...share, stamp }
  pubDocs.transact(() => publicSpace(pubDocs).shares.put(record.id, record))
  staffDocs.transact(() => staffSpace(staffDocs).shareKeys.put(key.id, { ...key, stamp }))
  return record
}

/** The volunteer's door mark or visit, sealed (`iv`, `box`) for its id, as their own entry. */
export function putReply(pubDocs: SpaceDocs, clock: HybridClock, id: string, shareId: string, person: Person, sealed: { iv: string; box: string }): ShareReply {
  const reply: ShareReply = { id, shareId, personId: person.id, ...sealed, stamp: clock.tick() }
  pubDocs.transact(() => publicSpace(pubDocs).shareReplies.put(reply.id, reply))
  return reply
}

/** Staff: a visit logged on a visitor's phone, opened from its reply, into the visits (once: its id comes from the reply's). */
export function importVisit(staffDocs: SpaceDocs, reply: ShareReply, visit: SharedVisit, name: string): boolean {
  const nonce = reply.id.split('|')[1] ?? ''
  const id = `${monthOf(visit.day)}_${nonce}`
  const visits = staffSpace(staffDocs).visits
  if (visits.has(id) || !/^[A-Za-z0-9_-]{1,40}$/.test(nonce)) return false
  const record: Visit = { id, householdId: visit.householdId, day: visit.day, outcome: visit.outcome, note: visit.note, visitorId: reply.personId, visitorName: name.slice(0, 30), requestId: visit.requestId, stamp: reply.stamp }
  // Written only if it reads back as a visit (a bad one would otherwise block its id for good).
  if (readRecord(VisitSchema, id, record) === null) return false
  staffDocs.transact(() => visits.put(id, record))
  return true
}

/** Staff: a door mark opened from a reply, stamped as the volunteer's device made it (the newest per device counts). */
export function importMark(staffDocs: SpaceDocs, roundId: string, reply: ShareReply, mark: { code: string; result: DeliveryMark['result']; note: string }, name: string): boolean {
  const device = parseStamp(reply.stamp)?.deviceId
  if (!device) return false
  const id = markKey(roundId, mark.code, device)
  const marks = staffSpace(staffDocs).deliveryMarks
  const before = readRecord(DeliveryMarkSchema, id, marks.get(id))
  if (before && compareStamps(before.stamp, reply.stamp) >= 0) return false
  const record: DeliveryMark = { id, roundId, elderCode: mark.code, result: mark.result, note: mark.note, byId: reply.personId, byName: name, stamp: reply.stamp }
  staffDocs.transact(() => marks.put(id, record))
  return true
}

// A record ends by a signed version, never a bare delete: a delete carries no
// signature, so every gate (staff's own too) would write the last version back.

/** Staff: a share past its day is emptied of what it sealed, and marked ended. */
export function endShare(pubDocs: SpaceDocs, clock: HybridClock, share: Share): void {
  const ended: Share = { ...share, keys: {}, iv: '', box: '', ended: true, stamp: clock.tick() }
  pubDocs.transact(() => publicSpace(pubDocs).shares.put(share.id, ended))
}

/** Staff: ends a private errand's shares (withdrawn, its receipt back, or dispatched to someone else): its details leave those phones. */
export function endErrandShares(pubDocs: SpaceDocs, clock: HybridClock, errandId: string, keep = ''): void {
  for (const share of readShareData(pubDocs).shares) if (share.kind === 'errand' && share.ref === errandId && share.personId !== keep) endShare(pubDocs, clock, share)
}

/** Staff: a share's key, once nothing sent back late can still need it, is emptied and marked ended. */
export function forgetShareKey(staffDocs: SpaceDocs, clock: HybridClock, key: ShareKey): void {
  const ended: ShareKey = { ...key, key: '', ended: true, stamp: clock.tick() }
  staffDocs.transact(() => staffSpace(staffDocs).shareKeys.put(key.id, ended))
}

/** The shares and keys not ended, and every reply. */
export function readShareData(pubDocs: SpaceDocs, staffDocs?: SpaceDocs) {
  return {
    shares: [...readCollection(publicSpace(pubDocs).shares, ShareSchema).records.values()].filter((s) => !s.ended),
    replies: [...readCollection(publicSpace(pubDocs).shareReplies, ShareReplySchema).records.values()],
    keys: staffDocs ? [...readCollection(staffSpace(staffDocs).shareKeys, ShareKeySchema).records.values()].filter((k) => !k.ended) : [],
  }
}

/** The shares and replies of the months shown (public space). */
export function liveShareData(pubDocs: SpaceDocs, clock: HybridClock, months: ShownMonths) {
  return {
    shares: liveOf(pubDocs, 'shares', clock, months),
    replies: liveOf(pubDocs, 'shareReplies', clock, months),
  }
}
export type LiveShareData = ReturnType<typeof liveShareData>

/** The staff space's share keys, as a live collection (Diagnostics counts what it skips). */
export const liveShareKeys = (staffDocs: SpaceDocs, clock: HybridClock) => liveOf(staffDocs, 'shareKeys', clock)

/** Rounds and visits sealed to a volunteer's devices (trust/shares.ts): the shares and replies of the months shown. */
export const sharesFeature = feature({
  live: ({ pub, clock, shown }) => liveShareData(pub, clock, shown.canteen),
  staffLive: ({ staff, clock }) => ({ keys: liveShareKeys(staff, clock) }),
})
