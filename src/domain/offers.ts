import * as v from 'valibot'
import { IdSchema } from './ids'
import { compareStamps, StampSchema, type Stamp } from './hlc'
import { entryKey, type PlaceEntry } from './places'

// Giving a shift place away (让班). A volunteer offers their place, to anyone or to
// one named volunteer; another takes it. The place keeps its position in the line,
// so the taker stands where the giver stood. Offers and takes are each person's own
// entries, like sign-ups, and who holds which place is derived from all of them at
// read time, by HLC order, the same on every device:
// - a take counts if it answers the offer as it stands (the version it saw), was
//   made after that offer and before any withdrawal of it, is the first such take,
//   and the giver still held the place then (a giver who withdrew first gave nothing);
// - two takers of one offer while apart: the earlier take wins, and the other is told.

const personId = v.pipe(v.string(), v.minLength(1), v.maxLength(80))
const personName = v.pipe(v.string(), v.minLength(1), v.maxLength(30))

export const OfferSchema = v.pipe(
  v.object({
    id: v.string(),
    shiftId: IdSchema,
    giverId: personId,
    giverName: personName,
    /** A named volunteer, or '' for anyone. */
    toId: v.pipe(v.string(), v.maxLength(80)),
    toName: v.pipe(v.string(), v.maxLength(30)),
    /** The place's position in the line when it was offered (the giver's own word for it). */
    position: StampSchema,
    /** When it was offered (a new offer of the same place replaces it, with a new stamp). */
    stamp: StampSchema,
    withdrawnAt: v.nullable(StampSchema),
    byId: v.string(),
  }),
  v.check((o) => o.id === offerKey(o.shiftId, o.giverId), 'id does not match what it belongs to'),
)
export type Offer = v.InferOutput<typeof OfferSchema>

export const TakeSchema = v.pipe(
  v.object({
    id: v.string(),
    shiftId: IdSchema,
    giverId: personId,
    takerId: personId,
    takerName: personName,
    /** The offer as the taker saw it: a take answers that version only. */
    offerStamp: StampSchema,
    stamp: StampSchema,
    /** The taker gave the place up again (withdrew), if they did. */
    releasedAt: v.nullable(StampSchema),
    /** Whether the taker's device saw the place among the confirmed ones (as PlaceEntry.sawPlace). */
    sawPlace: v.boolean(),
    byId: v.string(),
    byName: v.string(),
  }),
  v.check((t) => t.id === takeKey(t.shiftId, t.giverId, t.takerId), 'id does not match what it belongs to'),
)
export type Take = v.InferOutput<typeof TakeSchema>

/** Keys end with the person whose entry it is, as sign-ups do ("<shift>|<giver>", "<shift>|<giver>|<taker>"). */
export const offerKey = (shiftId: string, giverId: string) => entryKey(shiftId, giverId)
export const takeKey = (shiftId: string, giverId: string, takerId: string) => `${offerKey(shiftId, giverId)}|${takerId}`

export const isOpen = (offer: Offer) => offer.withdrawnAt === null

/** A place changing hands, for a shift's history. */
export interface Transfer {
  giverId: string
  giverName: string
  takerId: string
  takerName: string
  at: Stamp
}

export type LostReason = 'takenFirst' | 'withdrawn' | 'gone' | 'alreadyIn' | 'changed'

export interface ResolvedLine {
  /** The line as it stands: one entry per place held, at the position of the place. */
  entries: PlaceEntry[]
  transfers: Transfer[]
  /** Takes that did not count, and why (their takers are told). */
  lost: { take: Take; reason: LostReason }[]
  /** Offers nobody has taken yet and still open, by giver. */
  open: Map<string, Offer>
  /** The take each person holds their place by, where they were given it. */
  through: Map<string, Take>
}

interface Holding {
  personId: string
  /** Where the place stands in the line (the stamp of the sign-up it began as). */
  position: Stamp
  from: Stamp
  /** When it ended (given away, withdrawn, released); null while held. */
  until: Stamp | null
  entry: PlaceEntry
  take?: Take
}

const heldAt = (h: Holding, at: Stamp) => compareStamps(h.from, at) <= 0 && (h.until === null || compareStamps(at, h.until) < 0)
const byStampThenId = (a: Take, b: Take) => compareStamps(a.stamp, b.stamp) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/**
 * One shift's line from its sign-ups, offers and takes. Sign-ups alone give the same
 * line as before offers existed.
 */
export function resolveLine(signups: readonly PlaceEntry[], offers: readonly Offer[], takes: readonly Take[]): ResolvedLine {
  const holdings: Holding[] = signups.map((e) => ({ personId: e.personId, position: e.stamp, from: e.stamp, until: e.active ? null : e.updatedAt, entry: e }))
  const offerOf = new Map(offers.map((o) => [o.giverId, o]))
  const taken = new Set<string>()
  const transfers: Transfer[] = []
  const lost: ResolvedLine['lost'] = []
  const holdingAt = (personId: string, at: Stamp) => holdings.find((h) => h.personId === personId && heldAt(h, at))

  for (const take of [...takes].sort(byStampThenId)) {
    const offer = offerOf.get(take.giverId)
    // A take that answers another version of the offer, or is not addressed to anyone who may take it, never counts.
    if (!offer || offer.stamp !== take.offerStamp || compareStamps(take.stamp, offer.stamp) <= 0) {
      lost.push({ take, reason: 'changed' })
      continue
    }
    if (offer.toId !== '' && offer.toId !== take.takerId) continue
    if (offer.withdrawnAt !== null && compareStamps(offer.withdrawnAt, take.stamp) <= 0) {
      lost.push({ take, reason: 'withdrawn' })
      continue
    }
    if (taken.has(offer.id)) {
      lost.push({ take, reason: 'takenFirst' })
      continue
    }
    const given = holdingAt(take.giverId, take.stamp)
    // A giver who signed up again after the take has overwritten the sign-up it gave: the
    // offer says which place that was.
    const rejoined = !given && signups.some((e) => e.personId === take.giverId && compareStamps(e.stamp, take.stamp) > 0)
    if (!given && !rejoined) {
      lost.push({ take, reason: 'gone' })
      continue
    }
    if (holdingAt(take.takerId, take.stamp)) {
      lost.push({ take, reason: 'alreadyIn' })
      continue
    }
    taken.add(offer.id)
    const position = given ? given.position : offer.position
    if (given) given.until = take.stamp
    const entry: PlaceEntry = {
      id: entryKey(take.shiftId, take.takerId),
      recordId: take.shiftId,
      personId: take.takerId,
      personName: take.takerName,
      stamp: position,
      active: true,
      updatedAt: take.stamp,
      byId: take.byId,
      byName: take.byName,
      sawPlace: take.sawPlace,
    }
    holdings.push({ personId: take.takerId, position, from: take.stamp, until: take.releasedAt, entry, take })
    transfers.push({ giverId: take.giverId, giverName: offer.giverName, takerId: take.takerId, takerName: take.takerName, at: take.stamp })
  }

  // Places held now, each at its position; a person holds at most one (the earliest).
  const entries: PlaceEntry[] = []
  const through = new Map<string, Take>()
  for (const h of holdings.filter((h) => h.until === null).sort((a, b) => compareStamps(a.position, b.position))) {
    if (entries.some((e) => e.personId === h.personId)) continue
    entries.push(h.entry)
    if (h.take) through.set(h.personId, h.take)
  }
  const seen = new Set(entries.map((e) => e.personId))
  const open = new Map<string, Offer>()
  for (const offer of offers) if (isOpen(offer) && !taken.has(offer.id) && seen.has(offer.giverId)) open.set(offer.giverId, offer)
  return { entries, transfers, lost, open, through }
}
