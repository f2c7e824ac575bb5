import type { SpaceDocs } from './space-docs'

// How each space is laid out: one map per collection (each spread over the
// space's docs by month, see space-docs.ts).
// Feature issues add their collections here, so this file is the whole map.

export const publicSpace = (docs: SpaceDocs) => ({
  members: docs.getMap('members'),
  /** Signed grants, invitations, acceptances and revocations (domain/trust.ts). */
  trust: docs.getMap('trust'),
  notices: docs.getMap('notices'),
  noticeWithdrawals: docs.getMap('noticeWithdrawals'),
  shifts: docs.getMap('shifts'),
  shiftCancellations: docs.getMap('shiftCancellations'),
  signups: docs.getMap('signups'),
  /** Shift places offered to others, and their takes (domain/offers.ts). */
  shiftOffers: docs.getMap('shiftOffers'),
  shiftTakes: docs.getMap('shiftTakes'),
  attendance: docs.getMap('attendance'),
  groups: docs.getMap('groups'),
  groupMembers: docs.getMap('groupMembers'),
  activities: docs.getMap('activities'),
  activityCancellations: docs.getMap('activityCancellations'),
  rsvps: docs.getMap('rsvps'),
  headcounts: docs.getMap('headcounts'),
  ratings: docs.getMap('ratings'),
  aidRequests: docs.getMap('aidRequests'),
  aidEvents: docs.getMap('aidEvents'),
  canteenSettings: docs.getMap('canteenSettings'),
  menus: docs.getMap('menus'),
  reservations: docs.getMap('reservations'),
  standingOrders: docs.getMap('standingOrders'),
  /** Rounds sealed to their volunteer's devices, and the door marks that come back (domain/shares.ts). */
  shares: docs.getMap('shares'),
  shareReplies: docs.getMap('shareReplies'),
})

// The staff space: personal data only staff devices hold (its own docs, rooms and
// secret). Reservations in the public space name elders by a tag; their codes are sealed.
export const staffSpace = (docs: SpaceDocs) => ({
  elders: docs.getMap('elders'),
  rounds: docs.getMap('rounds'),
  deliveryMarks: docs.getMap('deliveryMarks'),
  /** Grids and household visits (domain/visits.ts): who is visited, each visit, urgent ones dealt with. */
  households: docs.getMap('households'),
  visits: docs.getMap('visits'),
  visitFollowUps: docs.getMap('visitFollowUps'),
  /** Each share's key, so any staff device can open what comes back. */
  shareKeys: docs.getMap('shareKeys'),
  /** The canteen drop box's private halves, and what staff opened of each meal order (domain/canteen.ts). */
  dropboxKeys: docs.getMap('dropboxKeys'),
  orderDetails: docs.getMap('orderDetails'),
})

/** The collection names a layout declares (its maps are asked of a stand-in that only notes the names). */
function namesOf(layout: (docs: SpaceDocs) => object): string[] {
  const names: string[] = []
  layout({ getMap: (name: string) => names.push(name) } as unknown as SpaceDocs)
  return names
}

/** Every collection either space holds: a peer's update that makes any other top-level type is refused (sync/replication.ts). */
export const COLLECTIONS: ReadonlySet<string> = new Set([...namesOf(publicSpace), ...namesOf(staffSpace)])
