import type { SpaceDocs } from './space-docs'
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
import { staysInItsMonth, today, type Day } from '../domain/calendar'
import { failed, type Checked } from '../domain/validation'
import { readCollection, readRecord, type Writer } from './collection'
import { publicSpace } from './layout'
import { joinLine, leaveLine, type Person } from './places'
import { writeCancellation } from './schedule'
import { liveCollection, type ShownMonths } from './reactive'

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

/** Signs a volunteer up (their own or on someone's behalf, 代办); works offline. */
export function signUp(docs: SpaceDocs, clock: HybridClock, shiftId: string, volunteer: Person, by: Person): Checked<PlaceEntry> {
  const shift = findShift(docs, shiftId)
  if (!shift) return notFound
  const layout = publicSpace(docs)
  if (layout.shiftCancellations.has(shiftId)) return { ok: false, problems: { shift: 'problem.shiftCancelled' } }
  return docs.transact(() => joinLine(layout.signups, clock, shiftId, shift.places, volunteer, by))
}

export function withdraw(docs: SpaceDocs, clock: HybridClock, shiftId: string, volunteerId: string, by: Person): Checked<PlaceEntry> {
  return docs.transact(() => leaveLine(publicSpace(docs).signups, clock, shiftId, volunteerId, by))
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
})

/** What staff do with shifts (only a staff device is given these). */
export const staffShiftCommands = ({ docs, clock, actor }: Writer) => ({
  publish: (draft: ShiftDraft) => publishShift(docs, clock, actor(), draft, today()),
  publishSeries: (draft: SeriesDraft) => publishSeries(docs, clock, actor(), draft, today()),
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
    attendance: [...readCollection(layout.attendance, AttendanceSchema).records.values()],
  }
}

/** The live collections the shift screens read. */
export function liveShiftData(docs: SpaceDocs, clock: HybridClock, months?: ShownMonths) {
  const layout = publicSpace(docs)
  return {
    shifts: liveCollection(layout.shifts, ShiftSchema, (s) => clock.receive(s.editedAt), months),
    cancellations: liveCollection(layout.shiftCancellations, CancellationSchema, (c) => clock.receive(c.stamp), months),
    signups: liveCollection(layout.signups, PlaceEntrySchema, (s) => clock.receive(s.updatedAt), months),
    // Read when a screen first shows hours or attendance (Today shows neither).
    attendance: liveCollection(layout.attendance, AttendanceSchema, (a) => clock.receive(a.stamp), months, true),
  }
}
export type LiveShiftData = ReturnType<typeof liveShiftData>
