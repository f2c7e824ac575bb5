import * as v from 'valibot'
import { compareStamps, StampSchema } from './hlc'

// Who may do what in a community, with no server to ask: every device holds a
// signing key, and authority is a chain of signed records from the community's
// founder. Each device replays the chain itself and reaches the same verdict from the
// same records, whatever order they arrived in. Signatures are checked before a record
// gets here (trust/keys.ts); this file is the rules.

export const TRUST_ROLES = ['founder', 'staff', 'lead', 'hub', 'resident'] as const
export type TrustRole = (typeof TRUST_ROLES)[number]

/** Which roles a holder of each role may grant (and so revoke). */
const GRANTS: Record<TrustRole, readonly TrustRole[]> = {
  // A second founder-level device means losing one phone loses nothing.
  founder: TRUST_ROLES,
  staff: ['staff', 'lead', 'hub', 'resident'],
  lead: ['resident'],
  hub: [],
  // Residents pass on resident invites, as they do today.
  resident: ['resident'],
}

export const mayGrant = (holder: TrustRole, role: TrustRole): boolean => GRANTS[holder].includes(role)

/**
 * Whether a holder may remove a device with `role` (null: one with no role yet, such as
 * a staff link not yet used). Only staff remove: a resident who could remove residents
 * could void a neighbour's every record, or keep a newcomer out by a backdated removal.
 */
export const mayRemove = (holder: TrustRole, role: TrustRole | null): boolean => (holder === 'founder' || holder === 'staff') && (role === null || mayGrant(holder, role))

/** A role's standing: an acceptance never lowers a device's role (a link's holder may not demote a key it names). */
const RANK: Record<TrustRole, number> = { founder: 4, staff: 3, lead: 2, hub: 2, resident: 1 }

/** What every trust record carries: its community, its author's key and the author's own count of signed records. */
interface Signed {
  community: string
  /** The signing device's public key (base64url). */
  by: string
  /** The author's sequence number: a revocation names the last one it still accepts, so backdated stamps do not help a removed device. */
  seq: number
  /** HLC stamp: the replay order. */
  stamp: string
}

/** "Device `key` holds `role`." */
export interface Grant extends Signed {
  type: 'grant'
  key: string
  role: TrustRole
}

/** "Device `key` holds no role from now on; of its records, those up to `lastSeq` still count." */
export interface Revocation extends Signed {
  type: 'revoke'
  key: string
  lastSeq: number
  /**
   * Which of its records still count, exactly: the sequence numbers the remover had
   * seen (a removed device could fill a gap it left below `lastSeq` with a backdated
   * record), and the devices admitted through its invitations so far (an acceptance is
   * signed by the link's key, and a removed device could backdate one for a new key).
   */
  seqs?: number[]
  accepted?: string[]
}

/** An invite link's public half: whoever holds the link's secret may join with `role`. */
export interface Invitation extends Signed {
  type: 'invitation'
  /** The public key whose private half is in the link. */
  invitation: string
  role: TrustRole
  uses: 'once' | 'many'
}

/** A newcomer's proof that it holds the link: its own device key, signed with the invitation's key (so `by` is the invitation key). */
export interface Acceptance extends Signed {
  type: 'accept'
  key: string
  /** Who made the invitation (from the link): another record naming the same invitation key counts for nothing here. */
  inviter?: string
}

/** "This device's key-agreement key is `sealKey`", signed by the device itself, so what is sealed to it reaches it; with its person's name for the device list. */
export interface DeviceRecord extends Signed {
  type: 'device'
  sealKey: string
  label: string
  /** The person id this device writes as (its device id), so its entries can be told from others'. */
  person?: string
}

/** One new staff-space key, sealed to one device (trust/keys.ts `seal`). */
export interface SealedBox {
  /** The signing key of the device it is sealed to. */
  to: string
  from: string
  iv: string
  box: string
}

/**
 * A space made anew (room and secret), sealed to each device that keeps it: made when
 * a device that could read it is removed. Without `space` it is the staff space.
 */
export interface Rotation extends Signed {
  type: 'rotation'
  space?: 'public' | 'staff'
  boxes: SealedBox[]
}
export const spaceOfRotation = (rotation: Rotation): 'public' | 'staff' => rotation.space ?? 'staff'

export type TrustRecord = Grant | Revocation | Invitation | Acceptance | DeviceRecord | Rotation

/** The roles whose devices hold the staff space. */
export const STAFF_SPACE_ROLES: readonly TrustRole[] = ['founder', 'staff', 'hub']

export interface SpaceNow {
  rotation: Rotation | null
  holders: ReadonlySet<string>
}

export interface Verdict {
  /** Each device key's role now. */
  roles: ReadonlyMap<string, TrustRole>
  /** Removed devices, with the last of their sequence numbers that still counts. */
  revoked: ReadonlyMap<string, number>
  /** Records that did not count, with why (shown in Diagnostics). */
  refused: { record: TrustRecord; why: TrustRefusal }[]
  /** Each device's own key-agreement key and name, from its device record. */
  devices: ReadonlyMap<string, { sealKey: string; label: string; person?: string }>
  /** Who may write what (domain/authority.ts): each device's role, person and removal. */
  authority: Authority
  /** The staff space now: the latest valid rotation (null: the key from the first staff invites), and every device that may hold its key. */
  staffSpace: SpaceNow
  /** The public space now: the latest valid rotation (null: the key the community began with), and every device that may hold its key. */
  publicSpace: SpaceNow
  /** A removed device may hold the staff space's key: staff must make a new one. */
  mustRotate: boolean
  /** A removed device may hold the public space's key: staff must make a new one. */
  mustRenewPublic: boolean
  /**
   * Devices that used a staff-space link and wait for its inviter's device to confirm
   * them (a grant, and the staff space sealed to them): a link alone gives no such role.
   */
  awaiting: { invitation: string; uses: 'once' | 'many'; key: string; role: TrustRole; inviter: string }[]
  /** Invitation links still open: not withdrawn, and a one-time link not yet used (Devices lists them). */
  openInvitations: { key: string; by: string; role: TrustRole; uses: 'once' | 'many'; stamp: string; accepted: number }[]
}

/**
 * The part of a verdict that decides whose records count, small enough to keep on disk
 * so a phone can show its stored records before the trust records are checked again.
 */
export interface Authority {
  roles: ReadonlyMap<string, TrustRole>
  /** The person each device writes as; a person id claimed by two devices belongs to neither. */
  people: ReadonlyMap<string, string>
  /** Removed devices: the role they had and when they were removed. */
  removed: ReadonlyMap<string, { role: TrustRole | null; at: string }>
  /** When each device was first given a role: none of its records is dated before (the founder has none). */
  since?: ReadonlyMap<string, string>
}

export type TrustRefusal = 'otherCommunity' | 'noRole' | 'mayNotGrant' | 'afterRevocation' | 'unknownInvitation' | 'invitationUsed' | 'equivocation' | 'lowersRole' | 'flooding' | 'invitationFull'

/**
 * The most trust records one device may sign (an honest staff phone making two links a
 * day for two years stays under it): a device past it counts for nothing, so a
 * revocation never has to list more of its records than the schema keeps.
 */
export const TRUST_RECORDS_PER_AUTHOR = 2_000
/** The most devices a resident's (or lead's) links may admit in all: a removal lists them, and a resident may not raise an army of keys. */
export const ADMITTED_PER_RESIDENT = 200

/** Replay order: HLC stamp, then author, then sequence, so equal stamps break the same way everywhere. */
const order = (a: TrustRecord, b: TrustRecord) => compareStamps(a.stamp, b.stamp) || (a.by < b.by ? -1 : a.by > b.by ? 1 : a.seq - b.seq)

/**
 * The roles that hold, replaying the verified records in stamp order from the root
 * (the founder's key, which the community id is bound to). A record counts only if its
 * author held a role that may do it when it was made. A removed device could sign new
 * records with old stamps, so each revocation names the last of the device's sequence
 * numbers that counts: a second replay voids every later record of that device
 * wherever its stamp puts it.
 */
export function verdictOf(community: string, root: string, records: Iterable<TrustRecord>): Verdict {
  const all = [...records].sort(order)
  const first = replay(community, root, all, { lastSeq: new Map(), kept: new Map() })
  const { kept: _, ...verdict } = replay(community, root, all, { lastSeq: first.revoked, kept: first.kept })
  return verdict
}

/** What a removal leaves of a device's records: its sequence numbers (and devices it admitted) that still count. */
interface Kept {
  seqs?: ReadonlySet<number>
  accepted?: ReadonlySet<string>
}
interface Bounds {
  lastSeq: ReadonlyMap<string, number>
  kept: ReadonlyMap<string, Kept>
}
/**
 * The person id a device key writes as: made from the key, so no other key can claim
 * it. (A device made before this has a random id, which its device record claims;
 * such an id claimed by two keys belongs to neither.)
 */
export const personOfKey = (key: string): string => `K${key.slice(0, 22).replace(/-/g, '_')}`
const KEY_PERSON = /^K[A-Za-z0-9_]{22}$/

const both = <T>(a: ReadonlySet<T> | undefined, b: ReadonlySet<T> | undefined) => (a && b ? new Set([...a].filter((x) => b.has(x))) : (a ?? b))

const mayHoldStaffSpace = (role: TrustRole | undefined) => role !== undefined && STAFF_SPACE_ROLES.includes(role)
const isStaffLevel = (role: TrustRole | undefined) => role === 'founder' || role === 'staff'

/** Everything a replay builds up, record by record in stamp order. */
interface ReplayState {
  bounds: Bounds
  roles: Map<string, TrustRole>
  revoked: Map<string, number>
  kept: Map<string, Kept>
  // By invitation key: every valid invitation naming it (one's own record cannot take over another's link).
  invitations: Map<string, (Invitation & { used: boolean })[]>
  refused: Verdict['refused']
  devices: Map<string, { sealKey: string; label: string; person?: string }>
  /** Each person id, with the device keys whose device records claim it. */
  claims: Map<string, Set<string>>
  removed: Map<string, { role: TrustRole | null; at: string }>
  since: Map<string, string>
  rotation: Rotation | null
  publicRotation: Rotation | null
  // Who may hold the staff space's current key: everyone who has held a staff-space
  // role since it was made (before any rotation, since the community began).
  holders: Set<string>
  // Who may hold the public space's: those it was sealed to, and every device given a
  // role since (a newcomer's link carries the key of its day).
  publicHolders: Set<string>
  /** Authors whose records count for nothing (survey). */
  liars: ReadonlySet<string>
  flooders: ReadonlySet<string>
  /** Keys that signed their own device record (survey). */
  deviceKeys: ReadonlySet<string>
  // Devices admitted so far through each resident's (or lead's) links.
  admittedBy: Map<string, number>
  /** Devices admitted so far through each invitation key. */
  acceptedThrough: Map<string, number>
  /** Devices that used a staff-space link, with their acceptance: who of them still waits is decided after the replay. */
  asked: (Verdict['awaiting'][number] & { record: TrustRecord })[]
}

/** One replay of all records in stamp order, within the bounds an earlier replay's removals set. */
function replay(community: string, root: string, all: TrustRecord[], bounds: Bounds): Verdict & { kept: Map<string, Kept> } {
  const state = startReplay(root, all, bounds)
  for (const record of all) {
    const why = refusedOutright(state, community, record)
    if (why) refuse(state, record, why)
    else if (record.type === 'accept') replayAcceptance(state, record)
    else if (record.type === 'device') replayDevice(state, record)
    else {
      const holder = state.roles.get(record.by)
      if (!holder) refuse(state, record, 'noRole')
      else if (record.type === 'grant') replayGrant(state, record, holder)
      else if (record.type === 'rotation') replayRotation(state, record, holder)
      else if (record.type === 'invitation') replayInvitation(state, record, holder)
      else replayRevocation(state, record, holder)
    }
  }
  const { roles, revoked, kept, refused, devices, removed, since, rotation, publicRotation, holders, publicHolders } = state
  const mustRotate = [...holders].some((key) => revoked.has(key))
  const mustRenewPublic = [...publicHolders].some((key) => revoked.has(key))
  const people = peopleOf(state)
  const awaiting = awaitingOf(state)
  const openInvitations = openInvitationsOf(state)
  return { roles, revoked, kept, refused, devices, openInvitations, authority: { roles, people, removed, since }, staffSpace: { rotation, holders }, publicSpace: { rotation: publicRotation, holders: publicHolders }, mustRotate, mustRenewPublic, awaiting }
}

/** A replay before its first record: the root is founder and holds both spaces. */
function startReplay(root: string, all: TrustRecord[], bounds: Bounds): ReplayState {
  return {
    bounds,
    roles: new Map([[root, 'founder']]),
    revoked: new Map(),
    kept: new Map(),
    invitations: new Map(),
    refused: [],
    devices: new Map(),
    claims: new Map(),
    removed: new Map(),
    since: new Map(),
    rotation: null,
    publicRotation: null,
    holders: new Set([root]),
    publicHolders: new Set([root]),
    ...survey(all),
    admittedBy: new Map(),
    acceptedThrough: new Map(),
    asked: [],
  }
}

/** One pass over all records before the replay: which authors lied or flooded, and which keys are devices. */
function survey(all: TrustRecord[]): Pick<ReplayState, 'liars' | 'flooders' | 'deviceKeys'> {
  // Two different records with one author and sequence number: that device is lying.
  // (Acceptances are signed by an invitation's key, which many newcomers may share.)
  const seen = new Map<string, string>()
  const liars = new Set<string>()
  const signedBy = new Map<string, number>()
  // Every key that signed its own device record (only its holder can): no invitation may
  // name one (withdrawing that "link" would remove the device).
  const deviceKeys = new Set<string>()
  for (const record of all) {
    if (record.type === 'device') deviceKeys.add(record.by)
    if (record.type === 'accept') continue
    const slot = `${record.by}#${record.seq}`
    const body = JSON.stringify(record)
    if (seen.has(slot) && seen.get(slot) !== body) liars.add(record.by)
    seen.set(slot, body)
    signedBy.set(record.by, (signedBy.get(record.by) ?? 0) + 1)
  }
  const flooders = new Set([...signedBy].filter(([, count]) => count > TRUST_RECORDS_PER_AUTHOR).map(([key]) => key))
  return { liars, flooders, deviceKeys }
}

/** Why a record counts for nothing whatever its kind, if it does. */
function refusedOutright(state: ReplayState, community: string, record: TrustRecord): TrustRefusal | undefined {
  if (record.community !== community) return 'otherCommunity'
  if (state.liars.has(record.by)) return 'equivocation'
  if (state.flooders.has(record.by)) return 'flooding'
  if (voided(state, record)) return 'afterRevocation'
  return undefined
}

/** Notes a record that did not count, with why. */
function refuse(state: ReplayState, record: TrustRecord, why: TrustRefusal): void {
  state.refused.push({ record, why })
}

/** Whether a removed device's record falls outside what its removal kept. */
function voided({ kept, revoked, bounds }: ReplayState, record: TrustRecord): boolean {
  if (record.type === 'accept') return false
  const seqs = (kept.get(record.by) ?? bounds.kept.get(record.by))?.seqs
  if (seqs) return !seqs.has(record.seq)
  return record.seq > (revoked.get(record.by) ?? bounds.lastSeq.get(record.by) ?? Infinity)
}

/**
 * An acceptance counts only for a device the removal kept, once the invitation's author
 * was removed or the invitation itself withdrawn (a revocation naming its key): the
 * link's holder could backdate an acceptance to before either.
 */
const acceptedAfterRemoval = ({ kept, bounds }: ReplayState, invitation: Invitation, key: string) =>
  [invitation.by, invitation.invitation].some((holder) => {
    const accepted = (kept.get(holder) ?? bounds.kept.get(holder))?.accepted
    return accepted !== undefined && !accepted.has(key)
  })

/** Gives a device a role, and with it the spaces' keys of the day. */
function give(state: ReplayState, key: string, role: TrustRole, at: string): void {
  state.roles.set(key, role)
  if (!state.since.has(key)) state.since.set(key, at)
  if (mayHoldStaffSpace(role) && state.rotation === null) state.holders.add(key)
  state.publicHolders.add(key)
}

/** A newcomer's acceptance: its link's role, or for a staff-space role a request to the link's inviter. */
function replayAcceptance(state: ReplayState, record: Acceptance): void {
  const { roles, revoked, admittedBy, acceptedThrough } = state
  const named = state.invitations.get(record.by) ?? []
  const invitation = record.inviter === undefined ? named[0] : named.find((i) => i.by === record.inviter)
  const current = roles.get(record.key)
  if (!invitation) refuse(state, record, 'unknownInvitation')
  else if (mayHoldStaffSpace(invitation.role)) {
    // A staff-space role comes from the inviter's grant, never from the link alone:
    // whoever else holds a copy (or backdates an acceptance to come first) only asks.
    if (!roles.has(invitation.by)) refuse(state, record, 'noRole')
    else if (acceptedAfterRemoval(state, invitation, record.key)) refuse(state, record, 'afterRevocation')
    else {
      invitation.used = true
      state.asked.push({ invitation: invitation.invitation, uses: invitation.uses, key: record.key, role: invitation.role, inviter: invitation.by, record })
    }
  } else if (invitation.used && invitation.uses === 'once') refuse(state, record, 'invitationUsed')
  else if (!isStaffLevel(roles.get(invitation.by)) && (admittedBy.get(invitation.by) ?? 0) >= ADMITTED_PER_RESIDENT && !roles.has(record.key)) refuse(state, record, 'invitationFull')
  else if (!roles.has(invitation.by)) refuse(state, record, 'noRole')
  else if (acceptedAfterRemoval(state, invitation, record.key)) refuse(state, record, 'afterRevocation')
  else if (current && RANK[current] >= RANK[invitation.role]) {
    invitation.used = true
    if (current !== invitation.role) refuse(state, record, 'lowersRole')
  } else {
    invitation.used = true
    acceptedThrough.set(invitation.invitation, (acceptedThrough.get(invitation.invitation) ?? 0) + 1)
    admittedBy.set(invitation.by, (admittedBy.get(invitation.by) ?? 0) + 1)
    if (!revoked.has(record.key)) give(state, record.key, invitation.role, record.stamp)
  }
}

/** A device record: the device's key-agreement key and name, and the person id it claims. */
function replayDevice({ devices, claims }: ReplayState, record: DeviceRecord): void {
  devices.set(record.by, { sealKey: record.sealKey, label: record.label, ...(record.person ? { person: record.person } : {}) })
  // A person id made from a key is that key's alone; another key's claim of it counts for nothing.
  const claimable = record.person && (!KEY_PERSON.test(record.person) || record.person === personOfKey(record.by))
  if (record.person && claimable) claims.set(record.person, new Set([...(claims.get(record.person) ?? []), record.by]))
}

/** A grant from `holder`: a new role, a changed one, or a removed device brought back. */
function replayGrant(state: ReplayState, record: Grant, holder: TrustRole): void {
  const { roles, revoked, removed } = state
  const current = roles.get(record.key)
  const wasRemoved = removed.get(record.key)
  // Changing a device's role takes one who may give the role it has too; bringing a
  // removed device back, one who may remove it (a resident may not undo staff's removal).
  if (!mayGrant(holder, record.role) || (current && !mayGrant(holder, current))) refuse(state, record, 'mayNotGrant')
  else if ((wasRemoved || revoked.has(record.key)) && !mayRemove(holder, wasRemoved?.role ?? null)) refuse(state, record, 'mayNotGrant')
  // A removed device comes back only through a new grant from someone who may give it.
  else {
    give(state, record.key, record.role, record.stamp)
    revoked.delete(record.key)
    removed.delete(record.key)
  }
}

/** A rotation from `holder`: a space made anew, held from now on by those it is sealed to. */
function replayRotation(state: ReplayState, record: Rotation, holder: TrustRole): void {
  if (!mayGrant(holder, 'staff')) refuse(state, record, 'mayNotGrant')
  else if (spaceOfRotation(record) === 'public') {
    state.publicRotation = record
    state.publicHolders = new Set(record.boxes.map((box) => box.to))
  } else {
    state.rotation = record
    state.holders = new Set(record.boxes.map((box) => box.to))
  }
}

/** An invitation from `holder`: a link that admits newcomers with its role. */
function replayInvitation(state: ReplayState, record: Invitation, holder: TrustRole): void {
  const { invitations } = state
  if (!mayGrant(holder, record.role) || state.deviceKeys.has(record.invitation)) refuse(state, record, 'mayNotGrant')
  else {
    invitations.set(record.invitation, [...(invitations.get(record.invitation) ?? []), { ...record, used: false }])
    // A link carries the public space's key of its day: whoever holds it can read that
    // space until it is made anew. (Not a link already withdrawn: naming a revoked key,
    // dated late, would otherwise keep the space being made anew for ever.)
    if (!state.revoked.has(record.invitation)) state.publicHolders.add(record.invitation)
  }
}

/** A revocation from `holder`: the device (or link) loses its role, and only what the removal kept of its records counts. */
function replayRevocation(state: ReplayState, record: Revocation, holder: TrustRole): void {
  const { roles, revoked, removed, kept } = state
  const target = roles.get(record.key)
  if (!mayRemove(holder, target ?? null)) refuse(state, record, 'mayNotGrant')
  else {
    if (!removed.has(record.key)) removed.set(record.key, { role: target ?? null, at: record.stamp })
    roles.delete(record.key)
    revoked.set(record.key, Math.min(record.lastSeq, revoked.get(record.key) ?? Infinity))
    const before = kept.get(record.key)
    const seqs = both(record.seqs && new Set(record.seqs), before?.seqs)
    const accepted = both(record.accepted && new Set(record.accepted), before?.accepted)
    kept.set(record.key, { ...(seqs && { seqs }), ...(accepted && { accepted }) })
  }
}

/**
 * The person each device writes as. Only devices that hold or held a role claim a
 * person: a stranger's device record cannot take someone's entries away from them.
 */
function peopleOf({ claims, roles, removed }: ReplayState): Map<string, string> {
  const people = new Map<string, string>()
  for (const [person, keys] of claims) {
    const holding = [...keys].filter((key) => roles.has(key) || removed.has(key))
    if (holding.length === 1) people.set(holding[0]!, person)
  }
  return people
}

/** Who still waits for an inviter's confirmation; a one-time link's other askers are refused. */
function awaitingOf(state: ReplayState): Verdict['awaiting'] {
  const { roles, revoked, asked } = state
  const rank = (key: string) => {
    const role = roles.get(key)
    return role ? RANK[role] : -1
  }
  // A one-time link admits one device: once its inviter confirmed one, nobody else waits on it.
  const confirmed = new Set(asked.filter((a) => rank(a.key) >= RANK[a.role]).map((a) => a.invitation))
  const awaiting: Verdict['awaiting'] = []
  for (const { record, ...a } of asked) {
    if (rank(a.key) >= RANK[a.role] || revoked.has(a.key)) continue
    if (a.uses === 'once' && confirmed.has(a.invitation)) refuse(state, record, 'invitationUsed')
    else if (!revoked.has(a.invitation) && roles.has(a.inviter)) awaiting.push(a)
  }
  return awaiting
}

/** The invitation links still open, with how many devices each admitted. */
function openInvitationsOf({ invitations, revoked, roles, publicRotation, acceptedThrough }: ReplayState): Verdict['openInvitations'] {
  return [...invitations.values()]
    .flat()
    // A link made before the public space was made anew carries the old key: nobody meets its newcomer there.
    .filter((i) => !revoked.has(i.invitation) && roles.has(i.by) && !(i.uses === 'once' && i.used) && !(publicRotation && compareStamps(i.stamp, publicRotation.stamp) < 0))
    .map((i) => ({ key: i.invitation, by: i.by, role: i.role, uses: i.uses, stamp: i.stamp, accepted: acceptedThrough.get(i.invitation) ?? 0 }))
}

/**
 * The bytes a signature covers: the same value always gives the same bytes (keys
 * sorted, undefined left out), and the collection and key are part of it, so a valid
 * record cannot be replayed under another key or in another collection.
 */
export function canonicalBytes(collection: string, key: string, content: unknown): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(canonicalJson([collection, key, content]))
}

/** Where a record is kept: its community and space, which its signature covers too. */
export interface RecordScope {
  community: string
  space: 'public' | 'staff'
}

/**
 * The bytes a record's signature covers: its community, space, collection, key and
 * fields, so a valid record replays nowhere else (another community where its author
 * also holds a role, the other space, another key).
 */
export function recordBytes(scope: RecordScope, collection: string, key: string, content: unknown): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(canonicalJson([scope.community, scope.space, collection, key, content]))
}

function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('cannot sign a non-finite number')
    return JSON.stringify(value)
  }
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([name, item]) => `${JSON.stringify(name)}:${canonicalJson(item)}`).join(',')}}`
}

// ---- As stored: each record with its signature, under a key made from the signature --

const PublicKeySchema = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{43}$/))
const common = { community: v.pipe(v.string(), v.maxLength(64)), by: PublicKeySchema, seq: v.pipe(v.number(), v.integer(), v.minValue(0)), stamp: StampSchema }
const role = v.picklist(TRUST_ROLES)

export const TrustRecordSchema = v.variant('type', [
  v.object({ type: v.literal('grant'), ...common, key: PublicKeySchema, role }),
  v.object({
    type: v.literal('revoke'),
    ...common,
    key: PublicKeySchema,
    lastSeq: v.pipe(v.number(), v.integer(), v.minValue(-1)),
    seqs: v.optional(v.pipe(v.array(v.pipe(v.number(), v.integer(), v.minValue(0))), v.maxLength(2_000))),
    // (Everyone a staff phone's poster link admitted, in a large community.)
    accepted: v.optional(v.pipe(v.array(PublicKeySchema), v.maxLength(20_000))),
  }),
  v.object({ type: v.literal('invitation'), ...common, invitation: PublicKeySchema, role, uses: v.picklist(['once', 'many']) }),
  v.object({ type: v.literal('accept'), ...common, key: PublicKeySchema, inviter: v.optional(PublicKeySchema) }),
  v.object({
    type: v.literal('device'),
    ...common,
    sealKey: PublicKeySchema,
    label: v.pipe(v.string(), v.maxLength(30)),
    person: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_]{1,64}$/))),
  }),
  v.object({
    type: v.literal('rotation'),
    ...common,
    space: v.optional(v.picklist(['public', 'staff'])),
    // (The public space is sealed to every member's devices: a community of a few thousand phones.)
    boxes: v.pipe(
      v.array(v.object({ to: PublicKeySchema, from: PublicKeySchema, iv: v.pipe(v.string(), v.maxLength(20)), box: v.pipe(v.string(), v.maxLength(400)) })),
      v.maxLength(20_000),
    ),
  }),
])

export const SignedTrustSchema = v.object({
  id: v.pipe(v.string(), v.maxLength(40)),
  record: TrustRecordSchema,
  /** The author's Ed25519 signature over `trustBytes(record)` (base64url). */
  sig: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{86}$/)),
})
export type SignedTrust = v.InferOutput<typeof SignedTrustSchema>

/** Where a signed record is kept: its own key, from its signature, so nobody writes over another's. */
export const trustKey = (sig: string): string => `t.${sig.slice(0, 32)}`

/** The bytes a trust record's signature covers. */
export const trustBytes = (record: TrustRecord): Uint8Array<ArrayBuffer> => canonicalBytes('trust', record.type, record)
