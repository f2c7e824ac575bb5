import type { SpaceDocs } from './space-docs'
import type { HybridClock } from '../domain/hlc'
import { datedId, newId } from '../domain/ids'
import {
  AttendanceSchema,
  checkSeriesDraft,
  checkShiftDraft,
  viewOfLine,
  ShiftSchema,
  type Attendance,
  type SeriesDraft,
  type Shift,
  type ShiftDraft,
} from '../domain/shifts'
import { entryKey, PlaceEntrySchema, type PlaceEntry } from '../domain/places'
import { lineOf, offerKey, OfferSchema, takeKey, TakeSchema, type LineRecords, type Offer, type Take } from '../domain/offers'
import type { ShiftView } from '../domain/shifts'
import { CancellationSchema, seriesDates, type Cancellation, type Repeat } from '../domain/schedule'
import { monthOf, staysInItsMonth, today, type Day } from '../domain/calendar'
import { failed, type Checked } from '../domain/validation'
import { readByPrefix, readCollection, readRecord, type Writer } from './collection'
import { publicSpace } from './layout'
import { entriesOf, joinLine, leaveLine, type Person } from './places'
import { writeCancellation } from './schedule'
import { liveOf, type ShownMonths } from './reactive'
import { feature } from './feature'

const notFound = failed('shift', 'problem.notFound')

export function publishShift(docs: SpaceDocs, clock: HybridClock, by: Person, draft: ShiftDraft, today: Day): Checked<Shift> {
  const check = checkShiftDraft(draft, today, true)
  if (!check.ok) return check
  const stamp = clock.tick()
  const shift: Shift = { id: datedId(check.value.date), ...check.value, createdBy: by.id, stamp, editedAt: stamp }
  docs.transact(() => publicSpace(docs).shifts.put(shift.id, shift))
  return { ok: true, value: shift }
}

/** A weekly series becomes one record per date, so each can be edited or cancelled alone. */
export function publishSeries(docs: SpaceDocs, clock: HybridClock, by: Person, draft: SeriesDraft, today: Day): Checked<Shift[]> {
  const check = checkSeriesDraft(draft, today)
  if (!check.ok) return check
  const { weekdays, from, until, ...common } = check.value
  const seriesId = newId()
  const shifts = seriesDates(weekdays, from, until).map((date): Shift => {
    const stamp = clock.tick()
    return { id: datedId(date), seriesId, ...common, date, createdBy: by.id, stamp, editedAt: stamp }
  })
  docs.transact(() => shifts.forEach((shift) => publicSpace(docs).shifts.put(shift.id, shift)))
  return { ok: true, value: shifts }
}

export function findShift(docs: SpaceDocs, id: string): Shift | null {
  return readRecord(ShiftSchema, id, publicSpace(docs).shifts.get(id))
}

export function editShift(docs: SpaceDocs, clock: HybridClock, id: string, draft: ShiftDraft, today: Day): Checked<Shift> {
  const shift = findShift(docs, id)
  if (!shift) return notFound
  const check = checkShiftDraft(draft, today, draft.date !== shift.date)
  if (!check.ok) return check
  if (!staysInItsMonth(id, check.value.date)) return { ok: false, problems: { date: 'problem.otherMonth' } }
  const edited: Shift = { ...shift, ...check.value, editedAt: clock.tick() }
  docs.transact(() => publicSpace(docs).shifts.put(id, edited))
  return { ok: true, value: edited }
}

export function cancelShift(docs: SpaceDocs, clock: HybridClock, by: Person, id: string, reason: string): Checked<Cancellation> {
  if (!findShift(docs, id)) return notFound
  return { ok: true, value: docs.transact(() => writeCancellation(publicSpace(docs).shiftCancellations, clock, by.id, id, reason)) }
}

/**
 * A shift's line as it stands (sign-ups, offers and takes, with the shifts swaps tie
 * it to), read fresh for a command. Every stamp read goes into the clock, so what the
 * command writes comes after it.
 */
function currentView(docs: SpaceDocs, clock: HybridClock, shift: Shift): ShiftView {
  const layout = publicSpace(docs)
  const recordsOf = (shiftId: string): LineRecords => {
    const prefix = `${shiftId}|`
    const records = {
      signups: entriesOf(layout.signups, shiftId),
      offers: readByPrefix(layout.shiftOffers, OfferSchema, prefix),
      takes: readByPrefix(layout.shiftTakes, TakeSchema, prefix),
    }
    records.signups.forEach((e) => clock.receive(e.updatedAt))
    records.offers.forEach((o) => clock.receive(o.withdrawnAt ?? o.stamp))
    records.takes.forEach((t) => clock.receive(t.releasedAt ?? t.stamp))
    return records
  }
  // Only swap offers can tie shifts together, and there are few offers: all are read.
  const offers = [...readCollection(layout.shiftOffers, OfferSchema).records.values()]
  return viewOfLine(shift, lineOf(shift.id, recordsOf, offers), layout.shiftCancellations.has(shift.id))
}

const inLine = (view: ShiftView, personId: string) => [...view.confirmed, ...view.waitlist].find((e) => e.personId === personId)

/** Signs a volunteer up (their own or on someone's behalf, 代办); works offline. */
export function signUp(docs: SpaceDocs, clock: HybridClock, shiftId: string, volunteer: Person, by: Person): Checked<PlaceEntry> {
  const shift = findShift(docs, shiftId)
  if (!shift) return notFound
  const view = currentView(docs, clock, shift)
  if (view.cancelled) return failed('shift', 'problem.shiftCancelled')
  return docs.transact(() => joinLine(publicSpace(docs).signups, clock, shiftId, shift.places, volunteer, by, [...view.confirmed, ...view.waitlist]))
}

/** Gives up a place (the first one waiting moves up), with any offer of it. */
export function withdraw(docs: SpaceDocs, clock: HybridClock, shiftId: string, volunteerId: string, by: Person): Checked<PlaceEntry> {
  const shift = findShift(docs, shiftId)
  if (!shift) return notFound
  const view = currentView(docs, clock, shift)
  const held = inLine(view, volunteerId)
  if (!held) return failed('entry', 'problem.notSignedUp')
  const layout = publicSpace(docs)
  const take = view.through.get(volunteerId)
  const offer = view.offers.get(volunteerId)
  return docs.transact(() => {
    const stamp = clock.tick()
    if (offer) layout.shiftOffers.put(offer.id, { ...offer, withdrawnAt: stamp, updatedAt: stamp })
    const left: PlaceEntry = { ...held, active: false, updatedAt: stamp, byId: by.id, byName: by.name }
    if (take) {
      // A place someone was given is given up on their take.
      layout.shiftTakes.put(take.id, { ...take, releasedAt: stamp, updatedAt: stamp })
    } else if (view.swapped.has(volunteerId)) {
      // A place received in a swap is given up by an entry saying this person left then
      // (the sign-up it is written over is kept as its previous).
      const key = entryKey(shiftId, volunteerId)
      const before = readRecord(PlaceEntrySchema, key, layout.signups.get(key))
      layout.signups.put(key, { ...left, stamp, sawPlace: false, ...(before ? { previous: { stamp: before.stamp, until: before.active ? null : before.updatedAt } } : {}) })
    } else {
      return leaveLine(layout.signups, clock, shiftId, volunteerId, by)
    }
    return { ok: true, value: left }
  })
}

/**
 * Offers a place in the line to anyone, or to one volunteer (`to`); it keeps its
 * position. With `swapFor`, it is offered to `to` only in return for their place on
 * that shift (a swap, which happens once they offer theirs back: `acceptSwap`).
 */
export function offerPlace(docs: SpaceDocs, clock: HybridClock, shiftId: string, giver: Person, to: Person | null, by: Person, today: Day, swapFor = ''): Checked<Offer> {
  const shift = findShift(docs, shiftId)
  if (!shift) return notFound
  if (shift.date < today) return failed('shift', 'problem.shiftOver')
  const view = currentView(docs, clock, shift)
  if (view.cancelled) return failed('shift', 'problem.shiftCancelled')
  const held = inLine(view, giver.id)
  if (!held) return failed('entry', 'problem.notSignedUp')
  if (to && inLine(view, to.id)) return failed('to', 'problem.alreadyIn')
  if (swapFor !== '') {
    const other = findShift(docs, swapFor)
    if (!other || !to) return notFound
    // Both shifts of a swap are read together, so screens showing one month see both.
    if (monthOf(other.date) !== monthOf(shift.date)) return failed('to', 'problem.otherMonth')
    if (other.date < today) return failed('shift', 'problem.shiftOver')
    const otherView = currentView(docs, clock, other)
    if (otherView.cancelled) return failed('shift', 'problem.shiftCancelled')
    if (!inLine(otherView, to.id)) return failed('to', 'problem.notSignedUp')
    if (inLine(otherView, giver.id)) return failed('to', 'problem.alreadyIn')
  }
  const stamp = clock.tick()
  const offer: Offer = {
    id: offerKey(shiftId, newId(8), giver.id),
    shiftId,
    giverId: giver.id,
    giverName: giver.name,
    toId: to?.id ?? '',
    toName: to?.name ?? '',
    swapFor,
    stamp,
    withdrawnAt: null,
    updatedAt: stamp,
    byId: by.id,
  }
  // Offering again takes back the offer before it.
  const before = view.offers.get(giver.id)
  docs.transact(() => {
    if (before) publicSpace(docs).shiftOffers.put(before.id, { ...before, withdrawnAt: stamp, updatedAt: stamp })
    publicSpace(docs).shiftOffers.put(offer.id, offer)
  })
  return { ok: true, value: offer }
}

/** Agrees to a proposed swap: offers my place on the shift asked for back to its proposer. */
export function acceptSwap(docs: SpaceDocs, clock: HybridClock, proposal: Offer, me: Person, today: Day): Checked<Offer> {
  const shift = findShift(docs, proposal.shiftId)
  if (!shift) return notFound
  const open = currentView(docs, clock, shift).offers.get(proposal.giverId)
  if (!open || open.id !== proposal.id || open.toId !== me.id || open.swapFor === '') return failed('offer', 'problem.offerGone')
  return offerPlace(docs, clock, open.swapFor, me, { id: open.giverId, name: open.giverName }, me, today, open.shiftId)
}

/** Takes back an offer nobody has taken yet. */
export function withdrawOffer(docs: SpaceDocs, clock: HybridClock, shiftId: string, giverId: string): Checked<Offer> {
  const shift = findShift(docs, shiftId)
  if (!shift) return notFound
  const offer = currentView(docs, clock, shift).offers.get(giverId)
  if (!offer) return failed('offer', 'problem.offerGone')
  const stamp = clock.tick()
  const withdrawn: Offer = { ...offer, withdrawnAt: stamp, updatedAt: stamp }
  docs.transact(() => publicSpace(docs).shiftOffers.put(offer.id, withdrawn))
  return { ok: true, value: withdrawn }
}

/** Takes the place a volunteer offers; while apart, the first take wins (domain/offers.ts). */
export function takePlace(docs: SpaceDocs, clock: HybridClock, shiftId: string, giverId: string, taker: Person, by: Person, today: Day): Checked<Take> {
  const shift = findShift(docs, shiftId)
  if (!shift) return notFound
  if (shift.date < today) return failed('shift', 'problem.shiftOver')
  const view = currentView(docs, clock, shift)
  if (view.cancelled) return failed('shift', 'problem.shiftCancelled')
  const offer = view.offers.get(giverId)
  if (!offer) return failed('offer', 'problem.offerGone')
  if ((offer.toId !== '' && offer.toId !== taker.id) || offer.swapFor !== '') return failed('offer', 'problem.offerNotForYou')
  if (inLine(view, taker.id)) return failed('offer', 'problem.alreadyIn')
  const stamp = clock.tick()
  const take: Take = {
    id: takeKey(offer.id, taker.id),
    shiftId,
    offerId: offer.id,
    giverId,
    takerId: taker.id,
    takerName: taker.name,
    stamp,
    releasedAt: null,
    updatedAt: stamp,
    sawPlace: view.confirmed.some((e) => e.personId === giverId),
    byId: by.id,
    byName: by.name,
  }
  docs.transact(() => publicSpace(docs).shiftTakes.put(take.id, take))
  return { ok: true, value: take }
}

export function markAttendance(
  docs: SpaceDocs,
  clock: HybridClock,
  shiftId: string,
  volunteerId: string,
  status: Attendance['status'],
  by: Person,
  today: Day,
): Checked<Attendance> {
  const shift = findShift(docs, shiftId)
  if (!shift) return notFound
  if (shift.date > today) return { ok: false, problems: { shift: 'problem.attendanceTooEarly' } }
  const key = entryKey(shiftId, volunteerId)
  // Stamped after the mark it replaces, whatever a screen has read.
  const before = readRecord(AttendanceSchema, key, publicSpace(docs).attendance.get(key))
  if (before) clock.receive(before.stamp)
  const record: Attendance = { id: key, shiftId, volunteerId, status, byId: by.id, stamp: clock.tick() }
  docs.transact(() => publicSpace(docs).attendance.put(key, record))
  return { ok: true, value: record }
}

/** What anyone may do with shifts, bound to the public space and the person acting. */
export const shiftCommands = ({ docs, clock, actor }: Writer) => ({
  signUp: (shiftId: string) => signUp(docs, clock, shiftId, actor(), actor()),
  withdraw: (shiftId: string) => withdraw(docs, clock, shiftId, actor().id, actor()),
  /** Offers my place to anyone, or to one volunteer. */
  offer: (shiftId: string, to: Person | null) => offerPlace(docs, clock, shiftId, actor(), to, actor(), today()),
  /** Proposes to swap my place for `to`'s place on another shift. */
  proposeSwap: (shiftId: string, to: Person, forShiftId: string) => offerPlace(docs, clock, shiftId, actor(), to, actor(), today(), forShiftId),
  acceptSwap: (proposal: Offer) => acceptSwap(docs, clock, proposal, actor(), today()),
  withdrawOffer: (shiftId: string) => withdrawOffer(docs, clock, shiftId, actor().id),
  take: (shiftId: string, giverId: string) => takePlace(docs, clock, shiftId, giverId, actor(), actor(), today()),
})

/** What staff do with shifts (only a staff device is given these). */
export const staffShiftCommands = ({ docs, clock, actor }: Writer) => ({
  publish: (draft: ShiftDraft) => publishShift(docs, clock, actor(), draft, today()),
  /** Every chosen weekday from `repeat.from`: the form's date is where the series starts. */
  publishSeries: ({ date: _date, ...draft }: ShiftDraft, repeat: Repeat) => publishSeries(docs, clock, actor(), { ...draft, ...repeat }, today()),
  edit: (id: string, draft: ShiftDraft) => editShift(docs, clock, id, draft, today()),
  cancel: (id: string, reason: string) => cancelShift(docs, clock, actor(), id, reason),
  /** Signs up someone without a phone (代办). */
  signUpFor: (shiftId: string, volunteer: Person) => signUp(docs, clock, shiftId, volunteer, actor()),
  markAttendance: (shiftId: string, volunteerId: string, status: Attendance['status']) => markAttendance(docs, clock, shiftId, volunteerId, status, actor(), today()),
})

/** Everything about shifts in a space, read fresh (tests and exports). */
export function readShiftData(docs: SpaceDocs) {
  const layout = publicSpace(docs)
  return {
    shifts: [...readCollection(layout.shifts, ShiftSchema).records.values()],
    cancellations: readCollection(layout.shiftCancellations, CancellationSchema).records,
    signups: [...readCollection(layout.signups, PlaceEntrySchema).records.values()],
    offers: [...readCollection(layout.shiftOffers, OfferSchema).records.values()],
    takes: [...readCollection(layout.shiftTakes, TakeSchema).records.values()],
    attendance: [...readCollection(layout.attendance, AttendanceSchema).records.values()],
  }
}

/** The live collections the shift screens read. */
export function liveShiftData(docs: SpaceDocs, clock: HybridClock, months?: ShownMonths) {
  return {
    shifts: liveOf(docs, 'shifts', clock, months),
    cancellations: liveOf(docs, 'shiftCancellations', clock, months),
    signups: liveOf(docs, 'signups', clock, months),
    offers: liveOf(docs, 'shiftOffers', clock, months),
    takes: liveOf(docs, 'shiftTakes', clock, months),
    // Read when a screen first shows hours or attendance (Today shows neither).
    attendance: liveOf(docs, 'attendance', clock, months),
  }
}
export type LiveShiftData = ReturnType<typeof liveShiftData>

export const shiftsFeature = feature({
  live: ({ pub, clock, shown }) => liveShiftData(pub, clock, shown.shifts),
  commands: ({ pub }) => shiftCommands(pub),
  staffCommands: ({ pub }) => staffShiftCommands(pub),
})
