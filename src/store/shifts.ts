import type { SpaceDoc } from './space-doc'
import type { HybridClock } from '../domain/hlc'
import { datedId, newId } from '../domain/ids'
import {
  AttendanceSchema,
  checkSeriesDraft,
  checkShiftDraft,
  ShiftSchema,
  type Attendance,
  type SeriesDraft,
  type Shift,
  type ShiftDraft,
} from '../domain/shifts'
import { entryKey, PlaceEntrySchema, type PlaceEntry } from '../domain/places'
import { CancellationSchema, seriesDates, type Cancellation } from '../domain/schedule'
import { staysInItsMonth, type Day } from '../domain/calendar'
import { failed, type Checked } from '../domain/validation'
import { inTransaction, putRecord, readCollection, readRecord } from './collection'
import { publicSpace } from './layout'
import { joinLine, leaveLine, type Person } from './places'
import { writeCancellation } from './schedule'
import { liveCollection, type ShownPeriods } from './reactive'

const notFound = failed('shift', 'problem.notFound')

export function publishShift(doc: SpaceDoc, clock: HybridClock, by: Person, draft: ShiftDraft, today: Day): Checked<Shift> {
  const check = checkShiftDraft(draft, today, true)
  if (!check.ok) return check
  const stamp = clock.tick()
  const shift: Shift = { id: datedId(check.value.date), ...check.value, createdBy: by.id, stamp, editedAt: stamp }
  doc.transact(() => putRecord(publicSpace(doc).shifts, shift.id, shift))
  return { ok: true, value: shift }
}

/** A weekly series becomes one record per date, so each can be edited or cancelled alone. */
export function publishSeries(doc: SpaceDoc, clock: HybridClock, by: Person, draft: SeriesDraft, today: Day): Checked<Shift[]> {
  const check = checkSeriesDraft(draft, today)
  if (!check.ok) return check
  const { weekdays, from, until, ...common } = check.value
  const seriesId = newId()
  const shifts = seriesDates(weekdays, from, until).map((date): Shift => {
    const stamp = clock.tick()
    return { id: datedId(date), seriesId, ...common, date, createdBy: by.id, stamp, editedAt: stamp }
  })
  doc.transact(() => shifts.forEach((shift) => putRecord(publicSpace(doc).shifts, shift.id, shift)))
  return { ok: true, value: shifts }
}

export function findShift(doc: SpaceDoc, id: string): Shift | null {
  return readRecord(ShiftSchema, id, publicSpace(doc).shifts.get(id))
}

export function editShift(doc: SpaceDoc, clock: HybridClock, id: string, draft: ShiftDraft, today: Day): Checked<Shift> {
  const shift = findShift(doc, id)
  if (!shift) return notFound
  const check = checkShiftDraft(draft, today, draft.date !== shift.date)
  if (!check.ok) return check
  if (!staysInItsMonth(id, check.value.date)) return { ok: false, problems: { date: 'problem.otherMonth' } }
  const edited: Shift = { ...shift, ...check.value, editedAt: clock.tick() }
  doc.transact(() => putRecord(publicSpace(doc).shifts, id, edited))
  return { ok: true, value: edited }
}

export function cancelShift(doc: SpaceDoc, clock: HybridClock, by: Person, id: string, reason: string): Checked<Cancellation> {
  if (!findShift(doc, id)) return notFound
  return { ok: true, value: inTransaction(doc, () => writeCancellation(publicSpace(doc).shiftCancellations, clock, by.id, id, reason)) }
}

/** Signs a volunteer up (their own or on someone's behalf, 代办); works offline. */
export function signUp(doc: SpaceDoc, clock: HybridClock, shiftId: string, volunteer: Person, by: Person): Checked<PlaceEntry> {
  const shift = findShift(doc, shiftId)
  if (!shift) return notFound
  const layout = publicSpace(doc)
  if (layout.shiftCancellations.has(shiftId)) return { ok: false, problems: { shift: 'problem.shiftCancelled' } }
  return inTransaction(doc, () => joinLine(layout.signups, clock, shiftId, shift.places, volunteer, by))
}

export function withdraw(doc: SpaceDoc, clock: HybridClock, shiftId: string, volunteerId: string, by: Person): Checked<PlaceEntry> {
  return inTransaction(doc, () => leaveLine(publicSpace(doc).signups, clock, shiftId, volunteerId, by))
}

export function markAttendance(
  doc: SpaceDoc,
  clock: HybridClock,
  shiftId: string,
  volunteerId: string,
  status: Attendance['status'],
  by: Person,
  today: Day,
): Checked<Attendance> {
  const shift = findShift(doc, shiftId)
  if (!shift) return notFound
  if (shift.date > today) return { ok: false, problems: { shift: 'problem.attendanceTooEarly' } }
  const key = entryKey(shiftId, volunteerId)
  const record: Attendance = { id: key, shiftId, volunteerId, status, byId: by.id, stamp: clock.tick() }
  doc.transact(() => putRecord(publicSpace(doc).attendance, key, record))
  return { ok: true, value: record }
}

/** Everything about shifts in one doc, read fresh (tests and exports). */
export function readShiftData(doc: SpaceDoc) {
  const layout = publicSpace(doc)
  return {
    shifts: [...readCollection(layout.shifts, ShiftSchema).records.values()],
    cancellations: readCollection(layout.shiftCancellations, CancellationSchema).records,
    signups: [...readCollection(layout.signups, PlaceEntrySchema).records.values()],
    attendance: [...readCollection(layout.attendance, AttendanceSchema).records.values()],
  }
}

/** The live collections the shift screens read. */
export function liveShiftData(doc: SpaceDoc, clock: HybridClock, periods?: ShownPeriods) {
  const layout = publicSpace(doc)
  return {
    shifts: liveCollection(layout.shifts, ShiftSchema, (s) => clock.receive(s.editedAt), periods),
    cancellations: liveCollection(layout.shiftCancellations, CancellationSchema, (c) => clock.receive(c.stamp), periods),
    signups: liveCollection(layout.signups, PlaceEntrySchema, (s) => clock.receive(s.updatedAt), periods),
    attendance: liveCollection(layout.attendance, AttendanceSchema, (a) => clock.receive(a.stamp), periods),
  }
}
export type LiveShiftData = ReturnType<typeof liveShiftData>
