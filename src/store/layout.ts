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
})

// The staff space (elder roster, delivery rounds) gets its collections with the
// canteen feature; until then it is an empty, separately encrypted document.
export const staffSpace = (_doc: Y.Doc) => ({})
