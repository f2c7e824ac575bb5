import * as v from 'valibot'
import { MemberSchema } from './members'
import { SignedTrustSchema } from './trust'
import { NoticeSchema, NoticeWithdrawalSchema } from './notices'
import { AttendanceSchema, ShiftSchema } from './shifts'
import { CancellationSchema } from './schedule'
import { PlaceEntrySchema } from './places'
import { OfferSchema, TakeSchema } from './offers'
import { ActivitySchema, GroupSchema, HeadcountSchema, RatingSchema } from './activities'
import { AidEventSchema, AidRequestSchema } from './aid'
import { DeliveryMarkSchema, DropboxKeySchema, DropboxSchema, ElderSchema, MenuSchema, OrderDetailSchema, PricesSchema, ReservationSchema, RoundSchema, StandingOrderSchema } from './canteen'
import { ShareKeySchema, ShareReplySchema, ShareSchema } from './shares'
import { FollowUpSchema, HouseholdSchema, VisitSchema } from './visits'
import { ConcernCategorySchema, ConcernEventSchema, ConcernPhotoSchema, ConcernSchema, isStaffStep } from './concerns'
import { AgentSchema, PrivateErrandSchema, PrivateStepSchema, ServiceSchema } from './errands'

// Every collection, declared once: which space holds it, whether its records are filed
// by month or in the standing doc, what a record must be, the stamp a device's clock
// takes in from it, who may write it, the record an entry belongs to, and when it is
// read. The Yjs layout (store/layout.ts), the write rules (authority.ts), the
// signature gate's order of checks, replication's list of collections a peer may send
// and every feature's live data are made from this table. A new collection is one entry.

type Row = Record<string, unknown>

/** Which person a record belongs to (it must be the author's own, unless staff wrote it). */
export interface Owned {
  owner: (record: Row) => unknown
  staffOnlyIf?: (record: Row) => boolean
  /**
   * The person a record's key names, checked beside the owner field. Without it, a
   * resident could write their own name into a record under someone else's key: where
   * the schema ties key to owner, the record would pass the rule and then be skipped as
   * malformed (the person's own version lost, nothing healed); where it does not, every
   * device that never saw the first version would accept it.
   */
  keyOwner?: (key: string) => string | null
  /**
   * Whom else a resident may write a record for: a record that names a person it is for
   * (a help request, a concern) names its writer, or someone without a phone
   * (`name:…`, domain/places.ts), never another member, whose own list it would enter.
   */
  forWhom?: (record: Row, person: string) => boolean
}
/** Who may write a collection's records: staff, a staff-space role, or the person a record is of. */
export type Rule = { staffOnly: true } | { staffSpace: true } | Owned

const staffOnly: Rule = { staffOnly: true }
const staffSpace: Rule = { staffSpace: true }
const ownedBy = (field: string, more: Omit<Owned, 'owner'> = {}): Rule => ({ owner: (record) => record[field], ...more })
/** For oneself, or for a resident without a phone (an offline person's id names them). */
const forSelfOrOffline = (record: Row, person: string): boolean => record.forId === person || (typeof record.forId === 'string' && record.forId.startsWith('name:'))

/**
 * A help request's id begins with its poster's person id and a dot (store/aid.ts).
 * Requests posted before ids did so have no dot; they keep the rule they were written
 * under (the owner field alone), so a phone that updates loses none of them.
 */
export const requestOwner = (key: string): string | null => {
  const dot = key.indexOf('.')
  return dot < 0 ? null : key.slice(0, dot)
}
/** An entry's key ends with its person ("<shift id>|<person id>"): domain/places.ts. */
const entryOwner = (key: string): string => key.slice(key.lastIndexOf('|') + 1)
/** A help event's key ends with its stamp, whose last part is the device that wrote it, which is its person. */
const eventOwner = (key: string): string => key.slice(key.lastIndexOf('-') + 1)

export interface Collection<T> {
  space: 'public' | 'staff'
  /**
   * 'month': a record's key begins with its day or month and it lives in that month's doc
   * (an order's detail is filed like its order: a standing order's in the standing doc).
   */
  filed: 'month' | 'standing'
  schema: v.GenericSchema<unknown, T>
  /** The stamp this device's clock takes in when it reads a record (its latest). */
  stamp: (record: T) => string
  /** Who may write it; 'trust': signed records that carry their own signatures (domain/trust.ts). */
  rule: Rule | 'trust'
  /** The collection of the record an entry belongs to: its key begins with that record's id and "|". */
  parent?: string
  /** Read by the first screen: checked before the rest when a year arrives. */
  first?: true
  /**
   * Read only when a screen first asks for it, not at start. 'byKey': one key when a
   * screen looks one up (a member, a day's menu, a person's own sign-up), one record's
   * entries when a screen shows that record (a shift's sign-ups), the whole only when a
   * screen lists it.
   */
  lazy?: true | 'byKey'
  /**
   * Written once: a step, a rating, a report. A later version under the same key with
   * other content is refused and the first written back (else its author could rewrite
   * a rating staff acted on, or a step under an equal stamp, which no order check sees).
   */
  once?: true
  /** Fields no later version may change: a record's first stamp (its place, what its entries are measured against), whose it is. */
  fixed?: readonly string[]
}

/** One entry, with its record type taken from its schema and its space kept as written. */
const collection = <T, S extends Collection<T>['space']>(declared: Collection<T> & { space: S }): Collection<T> & { space: S } => declared

export const COLLECTIONS = {
  // ---- The public space ----
  // A member entry may call itself staff only when staff wrote it.
  members: collection({ space: 'public', filed: 'standing', schema: MemberSchema, stamp: (m) => m.stamp, rule: ownedBy('deviceId', { staffOnlyIf: (member) => member.role === 'staff', keyOwner: (key) => key }), lazy: 'byKey' }),
  trust: collection({ space: 'public', filed: 'standing', schema: SignedTrustSchema, stamp: (t) => t.record.stamp, rule: 'trust' }),
  notices: collection({ space: 'public', filed: 'standing', schema: NoticeSchema, stamp: (n) => n.editedAt, rule: staffOnly, first: true }),
  noticeWithdrawals: collection({ space: 'public', filed: 'standing', schema: NoticeWithdrawalSchema, stamp: (w) => w.stamp, rule: staffOnly, first: true }),
  shifts: collection({ space: 'public', filed: 'month', schema: ShiftSchema, stamp: (s) => s.editedAt, rule: staffOnly, first: true }),
  shiftCancellations: collection({ space: 'public', filed: 'month', schema: CancellationSchema, stamp: (c) => c.stamp, rule: staffOnly, first: true }),
  signups: collection({ space: 'public', filed: 'month', schema: PlaceEntrySchema, stamp: (s) => s.updatedAt, rule: ownedBy('personId', { keyOwner: entryOwner }), parent: 'shifts', lazy: 'byKey' }),
  // "<shift>|<giver>" and "<shift>|<giver>|<taker>": each the giver's or the taker's own.
  shiftOffers: collection({ space: 'public', filed: 'month', schema: OfferSchema, stamp: (o) => o.withdrawnAt ?? o.stamp, rule: ownedBy('giverId', { keyOwner: entryOwner }), parent: 'shifts' }),
  shiftTakes: collection({ space: 'public', filed: 'month', schema: TakeSchema, stamp: (t) => t.releasedAt ?? t.stamp, rule: ownedBy('takerId', { keyOwner: entryOwner }), parent: 'shifts' }),
  attendance: collection({ space: 'public', filed: 'month', schema: AttendanceSchema, stamp: (a) => a.stamp, rule: staffOnly, lazy: true }),
  groups: collection({ space: 'public', filed: 'standing', schema: GroupSchema, stamp: (g) => g.editedAt, rule: staffOnly, first: true }),
  groupMembers: collection({ space: 'public', filed: 'standing', schema: PlaceEntrySchema, stamp: (m) => m.updatedAt, rule: ownedBy('personId', { keyOwner: entryOwner }), parent: 'groups' }),
  activities: collection({ space: 'public', filed: 'month', schema: ActivitySchema, stamp: (a) => a.editedAt, rule: staffOnly, first: true }),
  activityCancellations: collection({ space: 'public', filed: 'month', schema: CancellationSchema, stamp: (c) => c.stamp, rule: staffOnly, first: true }),
  rsvps: collection({ space: 'public', filed: 'month', schema: PlaceEntrySchema, stamp: (r) => r.updatedAt, rule: ownedBy('personId', { keyOwner: entryOwner }), parent: 'activities', lazy: 'byKey' }),
  headcounts: collection({ space: 'public', filed: 'month', schema: HeadcountSchema, stamp: (h) => h.stamp, rule: staffOnly, lazy: 'byKey' }),
  ratings: collection({ space: 'public', filed: 'month', schema: RatingSchema, stamp: (r) => r.stamp, rule: ownedBy('personId', { keyOwner: entryOwner }), parent: 'activities', lazy: true }),
  aidRequests: collection({ space: 'public', filed: 'standing', schema: AidRequestSchema, stamp: (r) => r.editedAt, rule: ownedBy('postedBy', { keyOwner: requestOwner, forWhom: forSelfOrOffline }), fixed: ['stamp', 'postedBy', 'forId', 'number'], lazy: true }),
  // Dispatching a volunteer is the coordinator's step.
  aidEvents: collection({ space: 'public', filed: 'standing', schema: AidEventSchema, stamp: (e) => e.stamp, rule: ownedBy('byId', { staffOnlyIf: (event) => event.type === 'dispatch' || event.type === 'receiptBack', keyOwner: eventOwner }), parent: 'aidRequests', once: true, lazy: true }),
  // The 代办 point's list of services, and the 代办员 staff appoint (domain/errands.ts).
  errandServices: collection({ space: 'public', filed: 'standing', schema: ServiceSchema, stamp: (s) => s.stamp, rule: staffOnly, lazy: true }),
  errandAgents: collection({ space: 'public', filed: 'standing', schema: AgentSchema, stamp: (a) => a.stamp, rule: staffOnly, lazy: true }),
  // A concern's id begins with its reporter's person id, like a help request's; staff's steps are staff's alone.
  /** The categories staff keep for concerns (added ones, and built-in ones taken off the list). */
  concernCategories: collection({ space: 'public', filed: 'standing', schema: ConcernCategorySchema, stamp: (c) => c.stamp, rule: staffOnly, lazy: true }),
  concerns: collection({ space: 'public', filed: 'standing', schema: ConcernSchema, stamp: (c) => c.stamp, rule: ownedBy('reportedBy', { keyOwner: requestOwner, forWhom: forSelfOrOffline }), once: true, lazy: true }),
  concernEvents: collection({ space: 'public', filed: 'standing', schema: ConcernEventSchema, stamp: (e) => e.stamp, rule: ownedBy('byId', { staffOnlyIf: (event) => isStaffStep(String(event.type)), keyOwner: eventOwner }), parent: 'concerns', once: true, lazy: true }),
  // A photo goes with its concern: its key is the concern's, so only the reporter writes one.
  concernPhotos: collection({ space: 'public', filed: 'standing', schema: ConcernPhotoSchema, stamp: (p) => p.stamp, rule: ownedBy('byId', { keyOwner: requestOwner }), parent: 'concerns', once: true, lazy: true }),
  // (The drop box's public key lives here too: a record of its own, not a malformed price.)
  canteenSettings: collection({ space: 'public', filed: 'standing', schema: v.variant('id', [PricesSchema, DropboxSchema]), stamp: (p) => p.stamp, rule: staffOnly, first: true }),
  menus: collection({ space: 'public', filed: 'month', schema: MenuSchema, stamp: (m) => m.stamp, rule: staffOnly, first: true, lazy: 'byKey' }),
  // A reservation's key names a meal card (by its tag), not a person: a family member, a neighbour
  // or staff may each reserve or cancel for an elder (代办), so any member may change one
  // another member made. Each version still names, and is signed by, who wrote it.
  // (Every shown month's, read when a screen first asks; a day's are read by key: store/canteen.ts.)
  reservations: collection({ space: 'public', filed: 'month', schema: ReservationSchema, stamp: (r) => r.updatedAt, rule: ownedBy('byId'), lazy: true }),
  standingOrders: collection({ space: 'public', filed: 'standing', schema: StandingOrderSchema, stamp: (s) => s.updatedAt, rule: ownedBy('byId') }),
  // Staff seal a round to its volunteer; the volunteer's door marks come back as their own entries.
  shares: collection({ space: 'public', filed: 'month', schema: ShareSchema, stamp: (s) => s.stamp, rule: staffOnly }),
  shareReplies: collection({ space: 'public', filed: 'month', schema: ShareReplySchema, stamp: (r) => r.stamp, rule: ownedBy('personId', { keyOwner: entryOwner }) }),

  // ---- The staff space: personal data only staff devices hold ----
  // The roster, rounds and door marks are read when a canteen screen first shows them.
  elders: collection({ space: 'staff', filed: 'standing', schema: ElderSchema, stamp: (e) => e.stamp, rule: staffSpace, lazy: true }),
  rounds: collection({ space: 'staff', filed: 'month', schema: RoundSchema, stamp: (r) => r.stamp, rule: staffSpace, lazy: true }),
  deliveryMarks: collection({ space: 'staff', filed: 'month', schema: DeliveryMarkSchema, stamp: (m) => m.stamp, rule: staffSpace, lazy: true }),
  households: collection({ space: 'staff', filed: 'standing', schema: HouseholdSchema, stamp: (h) => h.stamp, rule: staffSpace }),
  visits: collection({ space: 'staff', filed: 'month', schema: VisitSchema, stamp: (v) => v.stamp, rule: staffSpace }),
  visitFollowUps: collection({ space: 'staff', filed: 'month', schema: FollowUpSchema, stamp: (f) => f.stamp, rule: staffSpace }),
  /** Each share's key, so any staff device can open what comes back. */
  shareKeys: collection({ space: 'staff', filed: 'month', schema: ShareKeySchema, stamp: (k) => k.stamp, rule: staffSpace }),
  /** The canteen drop box's private halves, and what staff opened of each meal order (domain/canteen.ts). */
  dropboxKeys: collection({ space: 'staff', filed: 'standing', schema: DropboxKeySchema, stamp: (k) => k.stamp, rule: staffSpace }),
  // A month of them is thousands (one per order a staff phone opened): read when a canteen screen first asks.
  orderDetails: collection({ space: 'staff', filed: 'month', schema: OrderDetailSchema, stamp: (d) => d.stamp, rule: staffSpace, lazy: true }),
  /** Errands that touch eligibility or health, and their steps (domain/errands.ts): a few a month, so all in the standing doc. */
  privateErrands: collection({ space: 'staff', filed: 'standing', schema: PrivateErrandSchema, stamp: (e) => e.stamp, rule: staffSpace, lazy: true }),
  privateErrandSteps: collection({ space: 'staff', filed: 'standing', schema: PrivateStepSchema, stamp: (s) => s.stamp, rule: staffSpace, once: true, lazy: true }),
}

export type CollectionName = keyof typeof COLLECTIONS
/** The record type of a collection, from its schema. */
export type RecordOf<N extends CollectionName> = (typeof COLLECTIONS)[N] extends Collection<infer T> ? T : never

export const COLLECTION_NAMES = Object.keys(COLLECTIONS) as CollectionName[]
export const isCollection = (name: string): name is CollectionName => Object.hasOwn(COLLECTIONS, name)
/** The collections one space holds. */
export const collectionsIn = (space: 'public' | 'staff'): CollectionName[] => COLLECTION_NAMES.filter((name) => COLLECTIONS[name].space === space)
