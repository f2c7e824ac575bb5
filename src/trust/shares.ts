import * as v from 'valibot'
import type { HybridClock } from '../domain/hlc'
import { RoundSchema, type Elder, type Round } from '../domain/canteen'
import type { Verdict } from '../domain/trust'
import { failed, type Checked } from '../domain/validation'
import { errandShareIdOf, replyKey, sharedErrand, SharedErrandSchema, SharedErrandStepSchema, sharedRound, sharedVisits, shareIdOf, SharedMarkSchema, SharedRoundSchema, SharedVisitSchema, SharedVisitsSchema, visitShareIdOf, type Share, type SharedErrand, type SharedErrandStep, type SharedMark, type SharedRound, type SharedVisit, type SharedVisits, type ShareKey, type ShareKind, type ShareReply } from '../domain/shares'
import { privateErrandStatus, privateStepAllowed } from '../domain/errands'
import { putPrivateStep, readPrivateErrand, readPrivateSteps } from '../store/errands'
import { checkVisitNote, HouseholdSchema, type Household, type Visit } from '../domain/visits'
import { lastDayOf, monthOf, plusDays, type Day } from '../domain/calendar'
import { newId } from '../domain/ids'
import type { SpaceDocs } from '../store/space-docs'
import { readRecord } from '../store/collection'
import { staffSpace } from '../store/layout'
import type { Person } from '../store/places'
import { endShare, forgetShareKey, importMark, importVisit, putReply, putShare, readShareData } from '../store/shares'
import { fromBase64Url, openSealed, seal, toBase64Url, type DeviceKeys } from './keys'

// Sealing a round to its volunteer's devices, and opening what comes back
// (domain/shares.ts). The share's own key is a fresh AES-GCM key; it is sealed to each
// of the volunteer's devices with their key-agreement key (trust/keys.ts), and kept in
// the staff space for the staff devices.

const encoder = new TextEncoder()
const decoder = new TextDecoder()

const aesKey = (raw: Uint8Array<ArrayBuffer>, usage: KeyUsage) => crypto.subtle.importKey('raw', raw, 'AES-GCM', false, [usage])

/** Sealed for one record: `boundTo` (its id) is authenticated with it, so the box cannot be moved to another record. */
async function encrypt(raw: Uint8Array<ArrayBuffer>, value: unknown, boundTo: string): Promise<{ iv: string; box: string }> {
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const box = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(boundTo) }, await aesKey(raw, 'encrypt'), encoder.encode(JSON.stringify(value)))
  return { iv: toBase64Url(iv), box: toBase64Url(new Uint8Array(box)) }
}

/**
 * A stop's name in the public space: HMAC-SHA-256 of its meal-card code under the share's
 * key (22 characters). The same stop always gives the same tag, so a volunteer's latest
 * mark for a stop still replaces their earlier one (one reply key per stop and person),
 * and staff, who keep the key, recompute it to check a reply's key against the code
 * sealed inside; a resident who reads the public space learns no code from it.
 */
export async function stopTag(raw: Uint8Array<ArrayBuffer>, code: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(`stop|${code}`)))
  return toBase64Url(mac.subarray(0, 16))
}

/** Opens and validates; null if the key is wrong, the box was changed, or what is inside is not what it should be. */
async function decrypt<T>(raw: Uint8Array<ArrayBuffer>, sealed: { id: string; iv: string; box: string }, schema: v.GenericSchema<unknown, T>): Promise<T | null> {
  try {
    const bytes = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64Url(sealed.iv), additionalData: encoder.encode(sealed.id) }, await aesKey(raw, 'decrypt'), fromBase64Url(sealed.box))
    const parsed = v.safeParse(schema, JSON.parse(decoder.decode(bytes)))
    return parsed.success ? parsed.output : null
  } catch {
    return null
  }
}

interface ShareOf {
  id: string
  kind: ShareKind
  ref: string
  personId: string
  until: string
}

/**
 * Staff: seals what one volunteer needs to the devices of that person, by their signed
 * device records. A volunteer whose phone has no device record yet (it has not joined
 * since device keys came in) cannot be sealed to. Sent again, a share keeps its key, so
 * what the volunteer's phone sealed with it before still opens (unless `fresh`: each
 * dispatch of a private errand has its own).
 */
async function sealTo(pubDocs: SpaceDocs, staffDocs: SpaceDocs, clock: HybridClock, of: ShareOf, content: unknown, verdict: Verdict, fresh = false): Promise<Checked<Share>> {
  // Only devices the community's signed records say are this person's and hold a role
  // (a self-made device record claiming their name, or a removed phone, gets nothing).
  const theirs = [...verdict.devices].filter(([key, device]) => device.person === of.personId && verdict.authority.people.get(key) === of.personId && verdict.roles.has(key) && !verdict.revoked.has(key))
  if (theirs.length === 0) return failed('share', 'problem.noDeviceKey')
  // Sent again to the same person, the key stays, so what their phone sealed with it still opens.
  const kept = fresh ? undefined : readShareData(pubDocs, staffDocs).keys.find((k) => k.id === of.id && k.personId === of.personId)
  const raw = kept ? fromBase64Url(kept.key) : crypto.getRandomValues(new Uint8Array(32))
  const sealed = await encrypt(raw, content, of.id)
  const keys: Share['keys'] = {}
  for (const [deviceKey, device] of theirs) keys[deviceKey] = await seal(device.sealKey, raw)
  return { ok: true, value: putShare(pubDocs, staffDocs, clock, { ...of, keys, ...sealed }, { id: of.id, kind: of.kind, ref: of.ref, personId: of.personId, key: toBase64Url(raw), until: of.until }) }
}

/** Staff: a round's stops, to its volunteer's phones, until the round's day ends. */
export function shareRound(pubDocs: SpaceDocs, staffDocs: SpaceDocs, clock: HybridClock, round: Round, elders: ReadonlyMap<string, Elder>, verdict: Verdict): Promise<Checked<Share>> {
  if (!round.volunteerId) return Promise.resolve(failed('round', 'problem.noVolunteer'))
  return sealTo(pubDocs, staffDocs, clock, { id: shareIdOf(round.id), kind: 'round', ref: round.id, personId: round.volunteerId, until: round.day }, sharedRound(round, elders), verdict)
}

/** Staff: a visitor's households, to their phones, until this month ends. */
export function shareVisits(pubDocs: SpaceDocs, staffDocs: SpaceDocs, clock: HybridClock, visitorId: string, households: readonly Household[], visits: readonly Visit[], verdict: Verdict, today: Day): Promise<Checked<Share>> {
  const theirs = households.filter((h) => h.visitorId === visitorId && !h.ended)
  if (theirs.length === 0) return Promise.resolve(failed('share', 'problem.notFound'))
  const month = monthOf(today)
  return sealTo(pubDocs, staffDocs, clock, { id: visitShareIdOf(month, visitorId), kind: 'visits', ref: visitorId, personId: visitorId, until: lastDayOf(month) }, sharedVisits(theirs, visits), verdict)
}

/**
 * Staff: a private errand, to the 代办员's phones (what they need, the applicant's phone
 * among it), for a month past its due date; written as dispatched once it is sealed.
 */
export async function shareErrand(pubDocs: SpaceDocs, staffDocs: SpaceDocs, clock: HybridClock, errandId: string, agent: Person, by: Person, verdict: Verdict, today: Day): Promise<Checked<Share>> {
  const errand = readPrivateErrand(staffDocs, errandId)
  if (!errand) return failed('errand', 'problem.notFound')
  if (!privateStepAllowed(privateErrandStatus(readPrivateSteps(staffDocs, errandId)), { type: 'dispatched', byId: by.id })) return failed('errand', 'problem.notAllowed')
  const until = plusDays(errand.due !== '' && errand.due > today ? errand.due : today, 30)
  // A key of its own for each dispatch, even to the same 代办员 again: a reply sealed for an
  // earlier one (a second "passed on" kept back) would otherwise count for this one.
  const shared = await sealTo(pubDocs, staffDocs, clock, { id: errandShareIdOf(monthOf(today), errand.id, newId(6)), kind: 'errand', ref: errand.id, personId: agent.id, until }, sharedErrand(errand), verdict, true)
  if (!shared.ok) return shared
  const step = putPrivateStep(staffDocs, clock, { errandId, type: 'dispatched', agentId: agent.id, agentName: agent.name, shareId: shared.value.id, day: today, byId: by.id, byName: by.name })
  if (!step.ok) {
    // Withdrawn (or finished) while it was being sealed: what was just sealed must not stay on the 代办员's phone.
    endShare(pubDocs, clock, shared.value)
    const key = readShareData(pubDocs, staffDocs).keys.find((k) => k.id === shared.value.id)
    if (key) forgetShareKey(staffDocs, clock, key)
    return step
  }
  // Dispatched to someone else, or in another month: the shares and keys of earlier dispatches end.
  endEarlierDispatches(pubDocs, staffDocs, clock, readShareData(pubDocs, staffDocs))
  return shared
}

/**
 * Staff: ends what is left of a private errand's earlier dispatches, read from its steps
 * as merged from every staff phone, not from what this phone did: a withdrawal on one
 * phone and a dispatch on another (or two dispatches apart) otherwise left the
 * applicant's details sealed to a 代办员 for a month, and an earlier dispatch's key live,
 * so what was sealed with it counted once the errand came back to that 代办员. A share
 * (or key) stays only while its errand is neither withdrawn nor closed, and it is the
 * dispatch in force or newer than it (a dispatch whose step has not arrived yet).
 * Returns the ids of the shares ended and the keys forgotten.
 */
function endEarlierDispatches(pubDocs: SpaceDocs, staffDocs: SpaceDocs, clock: HybridClock, { shares, keys }: { shares: Share[]; keys: ShareKey[] }): { shares: Set<string>; keys: Set<string> } {
  const statuses = new Map<string, ReturnType<typeof privateErrandStatus> | null>()
  const statusOf = (errandId: string) => {
    if (!statuses.has(errandId)) statuses.set(errandId, readPrivateErrand(staffDocs, errandId) ? privateErrandStatus(readPrivateSteps(staffDocs, errandId)) : null)
    return statuses.get(errandId)!
  }
  const stale = (of: { id: string; kind: ShareKind; ref: string; personId: string; stamp: string }) => {
    const status = of.kind === 'errand' ? statusOf(of.ref) : null
    if (!status) return false
    if (status.state === 'withdrawn' || status.receiptBack !== '') return true
    if (status.dispatchedAt === '') return false
    const inForce = of.id === status.shareId && of.personId === status.agentId
    return !inForce && of.stamp < status.dispatchedAt
  }
  const ended = { shares: new Set<string>(), keys: new Set<string>() }
  for (const share of shares.filter(stale)) {
    endShare(pubDocs, clock, share)
    ended.shares.add(share.id)
  }
  for (const key of keys.filter(stale)) {
    forgetShareKey(staffDocs, clock, key)
    ended.keys.add(key.id)
  }
  return ended
}

export type OpenedShare = { share: Share; key: Uint8Array<ArrayBuffer> } & ({ kind: 'round'; round: SharedRound } | { kind: 'visits'; visits: SharedVisits } | { kind: 'errand'; errand: SharedErrand['errand'] })

/** The volunteer's device: opens a share sealed to it; null if it is not for this device or does not open. */
export async function openShare(keys: DeviceKeys, share: Share): Promise<OpenedShare | null> {
  const sealed = share.keys[keys.publicKey]
  if (!sealed) return null
  const opened = await openSealed(keys, sealed)
  if (!opened || opened.length !== 32) return null
  const key = new Uint8Array(opened)
  if (share.kind === 'round') {
    const round = await decrypt(key, share, SharedRoundSchema)
    return round ? { share, key, kind: 'round', round } : null
  }
  if (share.kind === 'errand') {
    const shared = await decrypt(key, share, SharedErrandSchema)
    return shared && shared.errand.id === share.ref ? { share, key, kind: 'errand', errand: shared.errand } : null
  }
  const visits = await decrypt(key, share, SharedVisitsSchema)
  return visits ? { share, key, kind: 'visits', visits } : null
}

/** The volunteer's door mark, sealed with the share's key (the latest per stop counts). */
export async function markSharedDoor(pubDocs: SpaceDocs, clock: HybridClock, opened: OpenedShare, mark: SharedMark & { name: string }, person: Person): Promise<Checked<ShareReply>> {
  if (opened.kind !== 'round' || !opened.round.stops.some((stop) => stop.code === mark.code)) return failed('stop', 'problem.notFound')
  if (mark.result === 'concern' && !mark.note.trim()) return failed('note', 'problem.concernNeedsNote')
  const id = replyKey(opened.share.id, await stopTag(opened.key, mark.code), person.id)
  const sealed = await encrypt(opened.key, { ...mark, note: mark.note.trim().slice(0, 300) }, id)
  return { ok: true, value: putReply(pubDocs, clock, id, opened.share.id, person, sealed) }
}

/** The visitor's visit log, sealed with the share's key (each visit a reply of its own). */
export async function logSharedVisit(pubDocs: SpaceDocs, clock: HybridClock, opened: OpenedShare, visit: SharedVisit & { name: string }, person: Person): Promise<Checked<ShareReply>> {
  if (opened.kind !== 'visits' || !opened.visits.households.some((h) => h.id === visit.householdId)) return failed('household', 'problem.notFound')
  const problems = checkVisitNote(visit.outcome, visit.note)
  if (problems.note) return failed('note', problems.note)
  const id = replyKey(opened.share.id, newId(12), person.id)
  const sealed = await encrypt(opened.key, { ...visit, note: visit.note.trim() }, id)
  return { ok: true, value: putReply(pubDocs, clock, id, opened.share.id, person, sealed) }
}

/** The 代办员's step on a private errand (passed on, finished), sealed with the share's key. */
export async function sendErrandStep(pubDocs: SpaceDocs, clock: HybridClock, opened: OpenedShare, step: Omit<SharedErrandStep, 'errandId'> & { name: string }, person: Person): Promise<Checked<ShareReply>> {
  if (opened.kind !== 'errand') return failed('errand', 'problem.notFound')
  if (step.type === 'finished' && !step.result.trim()) return failed('result', 'problem.required')
  const id = replyKey(opened.share.id, newId(12), person.id)
  const sealed = await encrypt(opened.key, { ...step, errandId: opened.errand.id, result: step.result.trim().slice(0, 300) }, id)
  return { ok: true, value: putReply(pubDocs, clock, id, opened.share.id, person, sealed) }
}

const MarkReply = v.object({ ...SharedMarkSchema.entries, name: v.optional(v.string()) })
const VisitReply = v.object({ ...SharedVisitSchema.entries, name: v.optional(v.string()) })

/** Opens one door mark with a share's key (the volunteer's own, to show what they marked; staff's, to import it). */
export const openReply = (key: Uint8Array<ArrayBuffer>, reply: ShareReply) => decrypt(key, reply, MarkReply)
/** Opens one visit log with a share's key. */
export const openVisitReply = (key: Uint8Array<ArrayBuffer>, reply: ShareReply) => decrypt(key, reply, VisitReply)
const ErrandReply = v.object({ ...SharedErrandStepSchema.entries, name: v.optional(v.string()) })
/** Opens one errand step with a share's key. */
export const openErrandReply = (key: Uint8Array<ArrayBuffer>, reply: ShareReply) => decrypt(key, reply, ErrandReply)

/**
 * A 代办员's step dated one day before the dispatch (or "passed on") it follows is taken
 * as of that day: a phone whose clock is a day behind staff's is honest, and its step
 * would otherwise be dropped while its own screen says it was sent. Further back, the
 * day stays as sent and the step is refused (privateStepAllowed).
 */
function notEarlier(staffDocs: SpaceDocs, step: SharedErrandStep): Day {
  const status = privateErrandStatus(readPrivateSteps(staffDocs, step.errandId))
  const floor = step.type === 'finished' && status.passedOn > status.dispatched ? status.passedOn : status.dispatched
  return floor !== '' && step.day < floor && step.day >= plusDays(floor, -1) ? floor : step.day
}

/** How long a share's key is kept after its day, so marks and visits sent back late still open. */
export const KEY_GRACE_DAYS = 14

/**
 * A staff device: opens every reply it holds a key for into the round's door marks or
 * the visits, and ends shares past their day (the share at once, its key after a grace
 * period). Idempotent: any staff device may run it, and running it twice writes nothing new.
 */
export async function settleShares(pubDocs: SpaceDocs, staffDocs: SpaceDocs, clock: HybridClock, today: Day): Promise<{ imported: number; ended: number }> {
  const data = readShareData(pubDocs, staffDocs)
  // First what is left of a private errand's earlier dispatches, so nothing is opened with their keys.
  const gone = endEarlierDispatches(pubDocs, staffDocs, clock, data)
  const shares = data.shares.filter((s) => !gone.shares.has(s.id))
  const keys = data.keys.filter((k) => !gone.keys.has(k.id))
  const { replies } = data
  const byId = new Map<string, ShareKey>(keys.map((k) => [k.id, k]))
  let imported = 0
  // What was sent is checked again here, against the staff space: the volunteer's app
  // checks it too, but a modified one could widen the share it opened and answer for
  // an elder on nobody's round, or a household someone else visits.
  const staffLayout = staffSpace(staffDocs)
  const roundOf = (id: string) => readRecord(RoundSchema, id, staffLayout.rounds.get(id))
  const householdOf = (id: string) => readRecord(HouseholdSchema, id, staffLayout.households.get(id))
  // In the order they were sent: a 代办员's "passed on" comes before their "finished".
  for (const reply of [...replies].sort((a, b) => (a.stamp < b.stamp ? -1 : a.stamp > b.stamp ? 1 : 0))) {
    const key = byId.get(reply.shareId)
    // Only the person a share is for answers it (the reply is their own signed entry, bound to its id).
    if (!key || reply.personId !== key.personId) continue
    if (key.kind === 'round') {
      const raw = fromBase64Url(key.key)
      const mark = await openReply(raw, reply)
      // The box names the stop; the reply's key must be that stop's tag (a box moved to another stop's key does not open anyway).
      if (!mark || !roundOf(key.ref)?.stops.includes(mark.code)) continue
      if (reply.id === replyKey(reply.shareId, await stopTag(raw, mark.code), reply.personId) && importMark(staffDocs, key.ref, reply, mark, mark.name || reply.personId)) imported++
    } else if (key.kind === 'errand') {
      const step = await openErrandReply(fromBase64Url(key.key), reply)
      // A day the 代办员's phone could not have seen is not taken (a backdated one is theirs to answer for: the ledger shows it).
      if (!step || step.errandId !== key.ref || step.day > plusDays(today, 1)) continue
      // The reply's own nonce names the step, so bringing it in again writes nothing; whether it may follow is checked there (only the 代办员 dispatched to).
      const nonce = reply.id.slice(reply.shareId.length + 1, reply.id.length - reply.personId.length - 1).slice(0, 40)
      const { name, ...sent } = step
      if (putPrivateStep(staffDocs, clock, { ...sent, day: notEarlier(staffDocs, step), byId: reply.personId, byName: (name || reply.personId).slice(0, 30) }, `r${nonce}`).ok) imported++
    } else {
      const visit = await openVisitReply(fromBase64Url(key.key), reply)
      if (!visit || householdOf(visit.householdId)?.visitorId !== reply.personId) continue
      if (importVisit(staffDocs, reply, visit, visit.name || reply.personId)) imported++
    }
  }
  let ended = 0
  for (const share of shares.filter((s) => s.until < today)) {
    endShare(pubDocs, clock, share)
    ended++
  }
  for (const key of keys.filter((k) => plusDays(k.until, KEY_GRACE_DAYS) < today)) forgetShareKey(staffDocs, clock, key)
  return { imported, ended }
}
