import type { SpaceDoc } from './space-doc'

// How each space is laid out: one map per collection (each spread over the
// space's docs by month, see space-doc.ts).
// Feature issues add their collections here, so this file is the whole map.

export const publicSpace = (doc: SpaceDoc) => ({
  members: doc.getMap('members'),
  notices: doc.getMap('notices'),
  noticeWithdrawals: doc.getMap('noticeWithdrawals'),
  shifts: doc.getMap('shifts'),
  shiftCancellations: doc.getMap('shiftCancellations'),
  signups: doc.getMap('signups'),
  attendance: doc.getMap('attendance'),
  groups: doc.getMap('groups'),
  groupMembers: doc.getMap('groupMembers'),
  activities: doc.getMap('activities'),
  activityCancellations: doc.getMap('activityCancellations'),
  rsvps: doc.getMap('rsvps'),
  headcounts: doc.getMap('headcounts'),
  ratings: doc.getMap('ratings'),
  aidRequests: doc.getMap('aidRequests'),
  aidEvents: doc.getMap('aidEvents'),
  canteenSettings: doc.getMap('canteenSettings'),
  menus: doc.getMap('menus'),
  reservations: doc.getMap('reservations'),
  standingOrders: doc.getMap('standingOrders'),
})

// The staff space: personal data only staff devices hold (its own docs, rooms and
// secret). Reservations in the public space name elders by an opaque code only.
export const staffSpace = (doc: SpaceDoc) => ({
  elders: doc.getMap('elders'),
  rounds: doc.getMap('rounds'),
  deliveryMarks: doc.getMap('deliveryMarks'),
})
