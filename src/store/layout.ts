import * as Y from 'yjs'

// How each space is laid out in its Y.Doc: one top-level Y.Map per collection.
// Feature issues add their collections here, so this file is the whole map.

export const publicSpace = (doc: Y.Doc) => ({
  members: doc.getMap<unknown>('members'),
  notices: doc.getMap<unknown>('notices'),
  noticeWithdrawals: doc.getMap<unknown>('noticeWithdrawals'),
  shifts: doc.getMap<unknown>('shifts'),
  shiftCancellations: doc.getMap<unknown>('shiftCancellations'),
  signups: doc.getMap<unknown>('signups'),
  attendance: doc.getMap<unknown>('attendance'),
  groups: doc.getMap<unknown>('groups'),
  groupMembers: doc.getMap<unknown>('groupMembers'),
  activities: doc.getMap<unknown>('activities'),
  activityCancellations: doc.getMap<unknown>('activityCancellations'),
  rsvps: doc.getMap<unknown>('rsvps'),
  headcounts: doc.getMap<unknown>('headcounts'),
  ratings: doc.getMap<unknown>('ratings'),
  aidRequests: doc.getMap<unknown>('aidRequests'),
  aidEvents: doc.getMap<unknown>('aidEvents'),
  canteenSettings: doc.getMap<unknown>('canteenSettings'),
  menus: doc.getMap<unknown>('menus'),
  reservations: doc.getMap<unknown>('reservations'),
  standingOrders: doc.getMap<unknown>('standingOrders'),
})

// The staff space: personal data only staff devices hold (its own Y.Doc, room and
// secret). Reservations in the public space name elders by an opaque code only.
export const staffSpace = (doc: Y.Doc) => ({
  elders: doc.getMap<unknown>('elders'),
  rounds: doc.getMap<unknown>('rounds'),
  deliveryMarks: doc.getMap<unknown>('deliveryMarks'),
})
