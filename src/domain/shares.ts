import * as v from 'valibot'
import { IdSchema } from './ids'
import { StampSchema } from './hlc'
import { DaySchema } from './schedule'
import { DOOR_RESULTS, ElderCodeSchema, MEALS, type DoorResult, type Elder, type Round } from './canteen'
import { FREQUENCIES, OUTCOMES, REASONS, type Household, type Visit } from './visits'
import { AGENT_STEPS, type PrivateErrand } from './errands'

// A round, or a visitor's households, sealed to their volunteer (issue 18, part 3). A
// delivery volunteer needs the names, addresses, phones and diets of their own stops,
// and a visitor those of their own households, not the staff space's whole roster.
// Staff seal them with a fresh key, and seal that key to each of the volunteer's
// devices (their key-agreement keys, from their signed device records). The share
// travels in the public space, where only those devices can open it. Door marks and
// visit logs come back sealed with the same key, and any staff device (which keeps the
// key in the staff space) opens them into the round's marks or the visits. A share ends
// with its round's day, or its month for visits: staff delete it then, and the
// volunteer's phone no longer shows it.

const SealedSchema = v.object({ from: v.string(), iv: v.string(), box: v.string() })

export const SHARE_KINDS = ['round', 'visits', 'errand'] as const
export type ShareKind = (typeof SHARE_KINDS)[number]

export const ShareSchema = v.object({
  /** "<round id>~share", "<month>_visits~<visitor>" or "<month>_errand~<errand id>.<dispatch>": filed in its month. */
  id: IdSchema,
  kind: v.picklist(SHARE_KINDS),
  /** The round's id, the visitor's person id, or the private errand's id. */
  ref: IdSchema,
  /** The volunteer (person id), for whom the share is. */
  personId: v.pipe(v.string(), v.minLength(1), v.maxLength(80)),
  /** The share's key, sealed to each of the volunteer's devices, by device signing key. */
  // (A list passes as a record: refused first, as no app writes one.)
  keys: v.pipe(v.custom<object>((keys) => typeof keys === 'object' && keys !== null && !Array.isArray(keys), 'not a map'), v.record(v.string(), SealedSchema)),
  /** The stops, AES-GCM under the share's key (base64url). */
  iv: v.string(),
  box: v.string(),
  /** The last day it may be read: the round's day. */
  until: DaySchema,
  stamp: StampSchema,
  /** Ended past its day: a signed version with nothing sealed left in it (a bare delete would be written back as a peer's). */
  ended: v.optional(v.literal(true)),
})
export type Share = v.InferOutput<typeof ShareSchema>

/** In the staff space: the key of each share, so any staff device can open what comes back. */
export const ShareKeySchema = v.object({
  id: IdSchema,
  kind: v.picklist(SHARE_KINDS),
  ref: IdSchema,
  /** Whom it was sealed for: only their replies are opened with it. */
  personId: v.pipe(v.string(), v.minLength(1), v.maxLength(80)),
  key: v.string(),
  until: DaySchema,
  stamp: StampSchema,
  /** Forgotten: a signed version with the key emptied. */
  ended: v.optional(v.literal(true)),
})
export type ShareKey = v.InferOutput<typeof ShareKeySchema>

/**
 * A door mark or a visit coming back: "<share id>|<stop tag, or visit nonce>|<person>", its
 * content sealed with the share's key. A stop is named by a tag made from its meal-card
 * code under the share's own key (trust/shares.ts `stopTag`), never by the code: the
 * public space is read by every resident, and a code there ties an elder to a round.
 */
export const ShareReplySchema = v.pipe(
  v.object({
    id: v.string(),
    shareId: IdSchema,
    personId: v.pipe(v.string(), v.minLength(1), v.maxLength(80)),
    iv: v.string(),
    box: v.string(),
    stamp: StampSchema,
  }),
  v.check((r) => r.id.startsWith(`${r.shareId}|`) && r.id.endsWith(`|${r.personId}`), 'id does not match what it belongs to'),
)
export type ShareReply = v.InferOutput<typeof ShareReplySchema>

export const shareIdOf = (roundId: string) => `${roundId}~share`
/** A visitor's households for a month: one share per visitor and month. */
export const visitShareIdOf = (month: string, visitorId: string) => `${month}_visits~${visitorId}`
/**
 * One dispatch of a private errand to a 代办员, filed in the month it was made
 * (domain/errands.ts): a share of its own for each, so two staff phones dispatching
 * apart write two shares, not one that holds half of each.
 */
export const errandShareIdOf = (month: string, errandId: string, dispatch: string) => `${month}_errand~${errandId}.${dispatch}`
/** `part`: a stop's tag (never its code), a visit's or an errand step's nonce. */
export const replyKey = (shareId: string, part: string, personId: string) => `${shareId}|${part}|${personId}`

/** What a share holds once opened: the round and each stop's details, in delivery order. */
export const SharedRoundSchema = v.object({
  round: v.object({ id: v.string(), day: DaySchema, meal: v.picklist(MEALS), name: v.string() }),
  stops: v.array(
    v.object({
      code: ElderCodeSchema,
      name: v.string(),
      building: v.string(),
      unit: v.string(),
      phone: v.string(),
      emergencyName: v.string(),
      emergencyPhone: v.string(),
      diets: v.array(v.string()),
      allergies: v.string(),
      deliveryNote: v.string(),
    }),
  ),
})
export type SharedRound = v.InferOutput<typeof SharedRoundSchema>

/** What a reply holds once opened. */
export const SharedMarkSchema = v.object({ code: ElderCodeSchema, result: v.picklist(DOOR_RESULTS), note: v.pipe(v.string(), v.maxLength(300)) })
export type SharedMark = { code: string; result: DoorResult; note: string }

/** Only what a driver needs at the door: no meal card price tier, no service mode. */
export function sharedRound(round: Round, elders: ReadonlyMap<string, Elder>): SharedRound {
  return {
    round: { id: round.id, day: round.day, meal: round.meal, name: round.name },
    stops: round.stops.flatMap((code) => {
      const e = elders.get(code)
      return e ? [{ code, name: e.name, building: e.building, unit: e.unit, phone: e.phone, emergencyName: e.emergencyName, emergencyPhone: e.emergencyPhone, diets: [...e.diets], allergies: e.allergies, deliveryNote: e.deliveryNote }] : []
    }),
  }
}

/** A visitor's households, once opened: what the visitor needs at the door, and when each was last visited. */
export const SharedVisitsSchema = v.object({
  households: v.array(
    v.object({
      id: v.string(),
      label: v.string(),
      grid: v.string(),
      building: v.string(),
      unit: v.string(),
      room: v.string(),
      phone: v.string(),
      reason: v.picklist(REASONS),
      every: v.picklist(FREQUENCIES),
      since: DaySchema,
      /** The last visit staff knew of when it was sealed, or ''. */
      last: v.string(),
    }),
  ),
})
export type SharedVisits = v.InferOutput<typeof SharedVisitsSchema>

/** A visit logged on the visitor's phone, once opened. */
export const SharedVisitSchema = v.object({ householdId: v.string(), day: DaySchema, outcome: v.picklist(OUTCOMES), note: v.pipe(v.string(), v.maxLength(300)), requestId: v.pipe(v.string(), v.maxLength(80)) })
export type SharedVisit = v.InferOutput<typeof SharedVisitSchema>

/** Only what a visitor needs: no elder code, no notes of other visitors. */
export function sharedVisits(households: readonly Household[], visits: readonly Visit[]): SharedVisits {
  return {
    households: households.map((h) => {
      const last = visits.filter((visit) => visit.householdId === h.id).reduce((day, visit) => (visit.day > day ? visit.day : day), '')
      return { id: h.id, label: h.label, grid: h.grid, building: h.building, unit: h.unit, room: h.room, phone: h.phone, reason: h.reason, every: h.every, since: h.since, last }
    }),
  }
}

/** A private errand, once opened on the 代办员's phone: what they need to do it and reach the applicant. */
export const SharedErrandSchema = v.object({
  errand: v.object({
    id: v.string(),
    number: v.string(),
    service: v.string(),
    received: DaySchema,
    applicant: v.string(),
    phone: v.string(),
    address: v.string(),
    materials: v.array(v.string()),
    due: v.string(),
    note: v.string(),
  }),
})
export type SharedErrand = v.InferOutput<typeof SharedErrandSchema>

/** A step the 代办员 sends back, once opened. */
export const SharedErrandStepSchema = v.object({ errandId: v.string(), type: v.picklist(AGENT_STEPS), result: v.pipe(v.string(), v.maxLength(300)), day: DaySchema })
export type SharedErrandStep = v.InferOutput<typeof SharedErrandStepSchema>

/** Only what the 代办员 needs: nothing of other errands, nothing of the staff space. */
export const sharedErrand = ({ id, number, service, received, applicant, phone, address, materials, due, note }: PrivateErrand): SharedErrand => ({
  errand: { id, number, service, received, applicant, phone, address, materials: [...materials], due, note },
})
