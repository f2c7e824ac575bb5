import * as v from 'valibot'
import { IdSchema } from './ids'
import { compareStamps, StampSchema, type Stamp } from './hlc'
import { entryKey, type PlaceEntry } from './places'

// Giving a shift place away or swapping it (让班, 换班). A volunteer offers their
// place, to anyone or to one named volunteer; another takes it. Or two volunteers swap:
// one offers their place to the other in return for the other's place on another
// shift (of the same month), and the other agrees by offering that place back. A place
// keeps its position in the line, so whoever receives it stands where the giver stood.
// Offers and takes are each person's own entries, like sign-ups; each offer is a record
// of its own (offering again writes a new one, so a place already given stays given),
// and who holds which place is derived from all of them at read time, in HLC order,
// the same on every device:
// - a take counts if it was made after its offer and before any withdrawal of it, is the
//   first such take, and the giver still held the place then (a giver who withdrew
//   first gave nothing), and the taker held none;
// - two takers of one offer while apart: the earlier take wins, and the other is told;
// - a swap happens when the second of the two offers is made, if neither was withdrawn
//   by then and each still held their place and not the other's; both places change
//   hands together or neither does.
// A sign-up written again (after leaving, or after giving the place away) keeps the
// one before it (`previous` in places.ts), so what was given then still counts.

const personId = v.pipe(v.string(), v.minLength(1), v.maxLength(80))
const personName = v.pipe(v.string(), v.minLength(1), v.maxLength(30))
const nonce = /^[A-Za-z0-9_-]{1,40}$/

export const OfferSchema = v.pipe(
  v.object({
    /** "<shift>|<nonce>|<giver>": one record per offer, the giver's own. */
    id: v.string(),
    shiftId: IdSchema,
    giverId: personId,
    giverName: personName,
    /** A named volunteer, or '' for anyone. */
    toId: v.pipe(v.string(), v.maxLength(80)),
    toName: v.pipe(v.string(), v.maxLength(30)),
    /** A swap: the shift whose place `toId` gives in return, or '' for a plain offer. */
    swapFor: v.pipe(v.string(), v.maxLength(80)),
    /** When it was offered. */
    stamp: StampSchema,
    withdrawnAt: v.nullable(StampSchema),
    /** Changes with each version (a withdrawal), so an older version replayed is refused. */
    updatedAt: StampSchema,
    byId: v.string(),
  }),
  v.check((o) => offerParts(o.id)?.shiftId === o.shiftId && offerParts(o.id)?.giverId === o.giverId, 'id does not match what it belongs to'),
)
export type Offer = v.InferOutput<typeof OfferSchema>

export const TakeSchema = v.pipe(
  v.object({
    /** "<offer id>|<taker>". */
    id: v.string(),
    shiftId: IdSchema,
    offerId: v.string(),
    giverId: personId,
    takerId: personId,
    takerName: personName,
    stamp: StampSchema,
    /** The taker gave the place up again (withdrew), if they did. */
    releasedAt: v.nullable(StampSchema),
    updatedAt: StampSchema,
    /** Whether the taker's device saw the place among the confirmed ones (as PlaceEntry.sawPlace). */
    sawPlace: v.boolean(),
    byId: v.string(),
    byName: v.string(),
  }),
  v.check((t) => t.id === takeKey(t.offerId, t.takerId) && offerParts(t.offerId)?.shiftId === t.shiftId && offerParts(t.offerId)?.giverId === t.giverId, 'id does not match what it belongs to'),
)
export type Take = v.InferOutput<typeof TakeSchema>

/** Keys end with the person whose entry it is, as sign-ups do. */
export const offerKey = (shiftId: string, offerNonce: string, giverId: string) => `${shiftId}|${offerNonce}|${giverId}`
export const takeKey = (offerId: string, takerId: string) => `${offerId}|${takerId}`
export function offerParts(id: string): { shiftId: string; giverId: string } | null {
  const parts = id.split('|')
  return parts.length === 3 && nonce.test(parts[1]!) ? { shiftId: parts[0]!, giverId: parts[2]! } : null
}

export const isOpen = (offer: Offer) => offer.withdrawnAt === null

/** A place changing hands, for a shift's history. */
export interface Transfer {
  giverId: string
  giverName: string
  takerId: string
  takerName: string
  at: Stamp
  /** The shift the place was swapped for, or '' when it was given. */
  swapFor: string
}

export type LostReason = 'takenFirst' | 'withdrawn' | 'gone' | 'alreadyIn' | 'changed'

/** A take or a swap that did not count; whoever would have received the place is told why. */
export interface Lost {
  giverId: string
  takerId: string
  at: Stamp
  reason: LostReason
  swap: boolean
}

export interface ResolvedLine {
  /** The line as it stands: one entry per place held, at the position of the place. */
  entries: PlaceEntry[]
  transfers: Transfer[]
  lost: Lost[]
  /** Offers nobody has taken yet and still open, by giver (swap offers included). */
  open: Map<string, Offer>
  /** The take each person holds their place by, where they were given it. */
  through: Map<string, Take>
  /** Who holds their place by a swap. */
  swapped: Set<string>
}

/** What one shift's line is made of. */
export interface LineRecords {
  signups: readonly PlaceEntry[]
  offers: readonly Offer[]
  takes: readonly Take[]
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
  swapped?: boolean
}

const heldAt = (h: Holding, at: Stamp) => compareStamps(h.from, at) <= 0 && (h.until === null || compareStamps(at, h.until) < 0)
const later = (a: Stamp, b: Stamp) => (compareStamps(a, b) >= 0 ? a : b)
const withdrawnBy = (offer: Offer, at: Stamp) => offer.withdrawnAt !== null && compareStamps(offer.withdrawnAt, at) <= 0

/** What changes hands, in stamp order: a take of one offer, or a swap of two. */
type Event = { at: Stamp; id: string; take: Take } | { at: Stamp; id: string; swap: [Offer, Offer] }

/** The two offers of each swap: each names the other's giver and shift, in return for its own. */
function swapsOf(offers: readonly Offer[]): [Offer, Offer][] {
  const byMatch = new Map<string, Offer[]>()
  for (const o of offers) if (o.swapFor !== '' && o.toId !== '') byMatch.set(`${o.shiftId}|${o.giverId}|${o.toId}|${o.swapFor}`, [...(byMatch.get(`${o.shiftId}|${o.giverId}|${o.toId}|${o.swapFor}`) ?? []), o])
  const pairs: [Offer, Offer][] = []
  for (const a of offers) {
    if (a.swapFor === '' || a.toId === '') continue
    for (const b of byMatch.get(`${a.swapFor}|${a.toId}|${a.giverId}|${a.shiftId}`) ?? []) if (a.id < b.id) pairs.push([a, b])
  }
  return pairs
}

/** Where a sign-up entry held its place: the entry's own span, and the one it was written over. */
function spansOf(entry: PlaceEntry): { position: Stamp; until: Stamp | null }[] {
  const now = { position: entry.stamp, until: entry.active ? null : entry.updatedAt }
  return entry.previous ? [{ position: entry.previous.stamp, until: entry.previous.until ?? entry.stamp }, now] : [now]
}

/**
 * The lines of several shifts at once, from their sign-ups, offers and takes. A swap
 * ties two shifts' lines together, so shifts linked by swaps are worked out together
 * (`linkedShifts` says which); sign-ups alone give the same line as before offers existed.
 */
export function resolveLines(records: ReadonlyMap<string, LineRecords>): Map<string, ResolvedLine> {
  const holdings = new Map<string, Holding[]>()
  const offerOf = new Map<string, Offer>()
  const result = new Map<string, ResolvedLine>()
  const events: Event[] = []
  for (const [shiftId, line] of records) {
    holdings.set(shiftId, line.signups.flatMap((e) => spansOf(e).map((span) => ({ personId: e.personId, position: span.position, from: span.position, until: span.until, entry: { ...e, stamp: span.position } }))))
    line.offers.forEach((o) => offerOf.set(o.id, o))
    line.takes.forEach((take) => events.push({ at: take.stamp, id: take.id, take }))
    result.set(shiftId, { entries: [], transfers: [], lost: [], open: new Map(), through: new Map(), swapped: new Set() })
  }
  for (const swap of swapsOf([...offerOf.values()])) events.push({ at: later(swap[0].stamp, swap[1].stamp), id: `${swap[0].id}~${swap[1].id}`, swap })
  events.sort((a, b) => compareStamps(a.at, b.at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))

  const taken = new Set<string>()
  const holdingAt = (shiftId: string, personId: string, at: Stamp) => holdings.get(shiftId)?.find((h) => h.personId === personId && heldAt(h, at))
  const lose = (shiftId: string, lost: Lost) => result.get(shiftId)!.lost.push(lost)
  /**
   * Moves a place from its holder to someone else at `at`. A place received by a swap is
   * given up by its receiver's own leaving entry (a sign-up entry marked inactive later).
   */
  const hand = (shiftId: string, given: Holding, to: { id: string; name: string }, at: Stamp, offer: Offer, take?: Take) => {
    given.until = at
    const position = given.position
    const left = records.get(shiftId)!.signups.find((e) => e.personId === to.id && !e.active && compareStamps(e.updatedAt, at) > 0)
    const until = take ? take.releasedAt : (left?.updatedAt ?? null)
    const entry: PlaceEntry = {
      id: entryKey(shiftId, to.id),
      recordId: shiftId,
      personId: to.id,
      personName: to.name,
      stamp: position,
      active: true,
      updatedAt: at,
      byId: take?.byId ?? offer.byId,
      byName: take?.byName ?? to.name,
      sawPlace: take?.sawPlace ?? given.entry.sawPlace,
    }
    holdings.get(shiftId)!.push({ personId: to.id, position, from: at, until, entry, ...(take ? { take } : { swapped: true }) })
    result.get(shiftId)!.transfers.push({ giverId: offer.giverId, giverName: offer.giverName, takerId: to.id, takerName: to.name, at, swapFor: offer.swapFor })
  }

  for (const event of events) {
    if ('take' in event) {
      const take = event.take
      const offer = offerOf.get(take.offerId)
      const lost = (reason: LostReason) => lose(take.shiftId, { giverId: take.giverId, takerId: take.takerId, at: take.stamp, reason, swap: false })
      // A take of no offer held here, or made before its offer, never counts.
      if (!offer || compareStamps(take.stamp, offer.stamp) <= 0) {
        lost('changed')
        continue
      }
      // Nobody may take a place offered to someone else, or offered only in a swap.
      if ((offer.toId !== '' && offer.toId !== take.takerId) || offer.swapFor !== '') continue
      if (withdrawnBy(offer, take.stamp)) {
        lost('withdrawn')
        continue
      }
      if (taken.has(offer.id)) {
        lost('takenFirst')
        continue
      }
      const given = holdingAt(take.shiftId, take.giverId, take.stamp)
      if (!given) {
        lost('gone')
        continue
      }
      if (holdingAt(take.shiftId, take.takerId, take.stamp)) {
        lost('alreadyIn')
        continue
      }
      taken.add(offer.id)
      hand(take.shiftId, given, { id: take.takerId, name: take.takerName }, take.stamp, offer, take)
    } else {
      const [a, b] = event.swap
      const at = event.at
      const givenA = holdingAt(a.shiftId, a.giverId, at)
      const givenB = holdingAt(b.shiftId, b.giverId, at)
      const reason: LostReason | null =
        withdrawnBy(a, at) || withdrawnBy(b, at) ? 'withdrawn'
        : taken.has(a.id) || taken.has(b.id) ? 'takenFirst'
        : !givenA || !givenB ? 'gone'
        : holdingAt(a.shiftId, b.giverId, at) || holdingAt(b.shiftId, a.giverId, at) ? 'alreadyIn'
        : null
      if (reason !== null || !givenA || !givenB) {
        // Both are told: each would have received a place.
        lose(a.shiftId, { giverId: a.giverId, takerId: b.giverId, at, reason: reason ?? 'gone', swap: true })
        lose(b.shiftId, { giverId: b.giverId, takerId: a.giverId, at, reason: reason ?? 'gone', swap: true })
        continue
      }
      taken.add(a.id)
      taken.add(b.id)
      hand(a.shiftId, givenA, { id: b.giverId, name: b.giverName }, at, a)
      hand(b.shiftId, givenB, { id: a.giverId, name: a.giverName }, at, b)
    }
  }

  for (const [shiftId, line] of records) {
    const resolved = result.get(shiftId)!
    // Places held now, each at its position; a person holds at most one (the earliest).
    for (const h of holdings.get(shiftId)!.filter((h) => h.until === null).sort((a, b) => compareStamps(a.position, b.position))) {
      if (resolved.entries.some((e) => e.personId === h.personId)) continue
      resolved.entries.push(h.entry)
      if (h.take) resolved.through.set(h.personId, h.take)
      else if (h.swapped) resolved.swapped.add(h.personId)
    }
    // Each holder's latest offer, if it is still open and untaken (offering again supersedes the one before).
    const holders = new Set(resolved.entries.map((e) => e.personId))
    const latest = new Map<string, Offer>()
    for (const offer of line.offers) if (!latest.has(offer.giverId) || compareStamps(latest.get(offer.giverId)!.stamp, offer.stamp) < 0) latest.set(offer.giverId, offer)
    for (const [giverId, offer] of latest) if (holders.has(giverId) && isOpen(offer) && !taken.has(offer.id)) resolved.open.set(giverId, offer)
  }
  return result
}

/**
 * One shift's line, from the records of every shift a screen holds (`recordsOf`): the
 * shifts swaps link it to are worked out with it.
 */
export function lineOf(shiftId: string, recordsOf: (shiftId: string) => LineRecords, offers: readonly Offer[]): ResolvedLine {
  const linked = linkedShifts(shiftId, offers)
  return resolveLines(new Map([...linked].map((id) => [id, recordsOf(id)]))).get(shiftId)!
}

/** Records of many shifts, grouped by shift (tests and exports that read everything). */
export function recordsByShift(signups: readonly PlaceEntry[], offers: readonly Offer[], takes: readonly Take[]): (shiftId: string) => LineRecords {
  const groups = new Map<string, { signups: PlaceEntry[]; offers: Offer[]; takes: Take[] }>()
  const group = (id: string) => {
    let g = groups.get(id)
    if (!g) groups.set(id, (g = { signups: [], offers: [], takes: [] }))
    return g
  }
  signups.forEach((e) => group(e.recordId).signups.push(e))
  offers.forEach((o) => group(o.shiftId).offers.push(o))
  takes.forEach((t) => group(t.shiftId).takes.push(t))
  return (id) => groups.get(id) ?? { signups: [], offers: [], takes: [] }
}

/**
 * The shifts whose lines must be worked out together with `shiftId`: those a swap
 * offer links it to, and theirs in turn (offers may come from any shift).
 */
export function linkedShifts(shiftId: string, offers: readonly Offer[]): Set<string> {
  const linked = new Set([shiftId])
  const swaps = offers.filter((o) => o.swapFor !== '')
  for (let grew = true; grew; ) {
    grew = false
    for (const o of swaps) {
      if (linked.has(o.shiftId) !== linked.has(o.swapFor)) {
        linked.add(o.shiftId)
        linked.add(o.swapFor)
        grew = true
      }
    }
  }
  return linked
}
