import { createSignal, type Accessor } from 'solid-js'
import * as v from 'valibot'
import { SpaceKeySchema, type InvitationLink, type SpaceKey } from '../domain/community'
import type { HybridClock } from '../domain/hlc'
import { newId, newSecret } from '../domain/ids'
import { mayGrant, mayRemove, SignedTrustSchema, STAFF_SPACE_ROLES, TRUST_RECORDS_PER_AUTHOR, trustBytes, trustKey, verdictOf, type SealedBox, type SignedTrust, type SpaceNow, type TrustRecord, type TrustRole, type Verdict } from '../domain/trust'
import { publicSpace } from '../store/layout'
import type { SpaceDocs } from '../store/space-docs'
import { putTrust, readTrust, restoreTrust } from '../store/trust'
import { makeInvitationKey, openSealed, readSecretKey, seal, sign, verify, type DeviceKeys } from './keys'
import { readSetting, updateSetting, writeSetting } from '../sync/device'
import { HEALING } from './signatures'

// Signing and checking trust records (domain/trust.ts has the rules). A record is
// signed by the key it names as its author; an acceptance by the invitation's key,
// which only the holder of the invite link has.

type Unsigned<T> = T extends unknown ? Omit<T, 'by' | 'seq'> : never

const SEQ = 'neighbours.seq'
let counting: Promise<number> = Promise.resolve(-1)

/**
 * This device's next sequence number, on disk before it is used, so no two records
 * share one (two records with one number would make every device count this one a
 * liar): read and raised in one transaction, so two tabs never take the same.
 */
export function nextSeq(): Promise<number> {
  counting = counting.then((last) => updateSetting(SEQ, (stored) => Math.max(last, typeof stored === 'number' ? stored : -1) + 1))
  return counting
}

/** Signs a record as this device, with its next sequence number. */
export async function signTrust(keys: DeviceKeys, record: Unsigned<Exclude<TrustRecord, { type: 'accept' }>>): Promise<Omit<SignedTrust, 'id'>> {
  const full = { ...record, by: keys.publicKey, seq: await nextSeq() } as TrustRecord
  return { record: full, sig: await sign(keys.signing.privateKey, trustBytes(full)) }
}

/** The proof that this device holds an invite link: its own key, signed with the link's secret. Null if the secret is broken. */
export async function acceptInvitation(secret: string, fields: { community: string; key: string; stamp: string; inviter?: string }): Promise<Omit<SignedTrust, 'id'> | null> {
  const invitation = await readSecretKey(secret)
  if (!invitation) return null
  const record: TrustRecord = { type: 'accept', ...fields, by: invitation.publicKey, seq: 0 }
  return { record, sig: await sign(invitation.privateKey, trustBytes(record)) }
}

/** What a trust record's signature vouches for: the signature and the exact bytes it covers. */
const contentOf = (signed: Omit<SignedTrust, 'id'>) => `${signed.sig}.${new TextDecoder().decode(trustBytes(signed.record))}`

// Each record is checked once per session, remembered by what was verified: never by
// its id, which whoever writes the record chooses (a verdict kept by id once accepted
// whatever was later stored under a checked id).
const checked = new Map<string, Promise<boolean>>()

/** Whether the record's author (the key it names) signed exactly this record, stored under the key its signature gives. */
export function verifyTrust(signed: SignedTrust): Promise<boolean> {
  if (signed.id !== trustKey(signed.sig)) return Promise.resolve(false)
  const content = contentOf(signed)
  let verdict = checked.get(content)
  if (!verdict) {
    verdict = verify(signed.record.by, signed.sig, trustBytes(signed.record))
    checked.set(content, verdict)
  }
  return verdict
}

/**
 * Where a device keeps every trust record that checked out, apart from the doc: a
 * peer may delete or overwrite a record in the doc (Yjs has no permissions), and the
 * doc as stored then holds that too. What is kept here still counts, and is written back.
 */
export interface KeptTrust {
  read(): Promise<SignedTrust[]>
  write(records: SignedTrust[]): Promise<void>
}

/** Kept in this device's settings (IndexedDB, flushed), one list per community. */
export const keptInSettings = (community: string): KeptTrust => ({
  read: async () => {
    const stored = await readSetting(`trust.${community}`)
    return Array.isArray(stored) ? stored.filter((t): t is SignedTrust => v.is(SignedTrustSchema, t)) : []
  },
  write: (records) => writeSetting(`trust.${community}`, records),
})


// ---- One community's trust, for the session ---------------------------------------

export type TrustState =
  /** Nothing is checked: the community was made before device keys, or this browser cannot check signatures. */
  | { checked: false; why: 'noFounder' | 'noCrypto' }
  | { checked: true; verdict: Verdict; me: string; mine: TrustRole | null; refused: number }

export interface CommunityTrust {
  state: Accessor<TrustState>
  /** An invitation for an invite link (its secret and stamp), if this device may grant the role. */
  invite(role: TrustRole, uses: 'once' | 'many'): Promise<InvitationLink | null>
  /** Gives a device a role (a second founder-level device, say); false if this device may not. */
  grant(key: string, role: TrustRole): Promise<boolean>
  /**
   * Removes a device: a signed revocation, a new public space sealed to every device
   * that remains, and, if it could hold the staff space, a new staff space sealed to
   * every staff device that remains. False if this device may not.
   */
  remove(key: string): Promise<boolean>
  /**
   * Withdraws an invitation link: nobody joins with it from now on; those who did stay.
   * The spaces it opened are made anew. False if this device may not.
   */
  withdraw(invitationKey: string): Promise<boolean>
  /** Resolves once the records in the doc now have been checked and acted on. */
  settled(): Promise<void>
  close(): void
}

/** How long a removed device may still hold a space's key before another staff device makes a new one. */
const ROTATION_GRACE_MS = 30_000

/** A space's key sealed to this device in a rotation's box: null if it does not open or is not a space key. */
export async function openSpaceKey(keys: DeviceKeys, box: SealedBox): Promise<SpaceKey | null> {
  const opened = await openSealed(keys, box)
  if (!opened) return null
  try {
    const parsed = v.safeParse(SpaceKeySchema, JSON.parse(new TextDecoder().decode(opened)))
    return parsed.success ? parsed.output : null
  } catch {
    return null
  }
}

interface CommunityTrustOptions {
  community: string
  founder: string | undefined
  docs: SpaceDocs
  clock: HybridClock
  keys: Promise<DeviceKeys | null>
  /**
   * Resolves once the stored trust records are in the docs. Nothing is judged or
   * written before: a check of the empty doc would find no record of this device and
   * write one more at every start.
   */
  loaded: Promise<void>
  /** This device's person's name, for the device list staff see. */
  label: () => string
  /** The person id this device writes as (its device id). */
  person: string
  /** Called with each new verdict (signed records are read by it). */
  onVerdict?: (verdict: Verdict) => void
  pending?: InvitationLink
  onAccepted?: () => void
  /** The staff space this device holds now, and what to do when it changes (null: removed from it). */
  staffKey: () => SpaceKey | null
  onStaffKey: (key: SpaceKey | null) => void
  /** The public space this device holds now, and what to do when it is made anew. */
  publicKey?: () => SpaceKey
  onPublicKey?: (key: SpaceKey) => void
  /** Where the records that checked out are kept (this device's settings unless given). */
  kept?: KeptTrust
}

/**
 * Reads the community's trust records as they arrive, checks each signature once,
 * and replays the checked records into a verdict. Then it acts on it: it writes this
 * device's own record (its sealing key and name) once, the proof of the invitation it
 * joined with, and opens a new staff space sealed to it (or lets the old one go when
 * this device was removed).
 */
export function makeCommunityTrust(options: CommunityTrustOptions): CommunityTrust {
  const { community, founder, docs, clock } = options
  // Every record that checked out, by id: what the verdict is made from, whatever the doc holds now.
  const known = new Map<string, SignedTrust>()
  const kept = options.kept ?? keptInSettings(community)
  const keptLoaded = kept.read().then(
    (records) => records.forEach((t) => known.set(t.id, t)),
    (error: unknown) => console.warn('kept trust records could not be read', error),
  )
  const [state, setState] = createSignal<TrustState>({ checked: false, why: 'noFounder' })
  let running: Promise<void> = Promise.resolve()
  let lateCheck: ReturnType<typeof setTimeout> | undefined
  let closed = false

  const check = () => {
    running = running.then(async () => {
      if (!founder || closed) return
      await options.loaded
      await keptLoaded
      const keys = await options.keys
      if (!keys) {
        setState({ checked: false, why: 'noCrypto' })
        return
      }
      const invalid = await gather(docs, known, kept)
      const records = [...known.values()].map((t) => t.record)
      records.forEach((record) => clock.receive(record.stamp))
      const verdict = verdictOf(community, founder, records)
      const mine = verdict.roles.get(keys.publicKey) ?? null
      setState({ checked: true, verdict, me: keys.publicKey, mine, refused: verdict.refused.length + invalid })
      options.onVerdict?.(verdict)
      await actOn(keys, verdict, mine)
    })
    // One failed check (a storage error, say) must not stop every later one.
    running = running.catch((error: unknown) => console.warn('trust check failed', error))
    return running
  }

  async function actOn(keys: DeviceKeys, verdict: Verdict, mine: TrustRole | null) {
    await writeOwnDevice(options, keys, verdict)
    if (verdict.revoked.has(keys.publicKey)) {
      if (options.staffKey()) options.onStaffKey(null)
      return
    }
    await openSpaces(options, keys, verdict)
    await confirmAwaiting(options, keys, verdict, mine)
    if (renewsLate(keys, verdict, mine) && !lateCheck) {
      lateCheck = setTimeout(() => {
        lateCheck = undefined
        void check().then(() => renewLate(keys))
      }, ROTATION_GRACE_MS)
    }
  }

  /** A space a removed device still holds, made anew, if this device is still the first to do it. */
  async function renewLate(keys: DeviceKeys) {
    const now = state()
    if (!now.checked || renewers(now.verdict)[0] !== keys.publicKey) return
    const anew = [now.verdict.mustRotate && (await renewal(options, keys, now.verdict, 'staff')), now.verdict.mustRenewPublic && (await renewal(options, keys, now.verdict, 'public'))]
    putTogether(docs, anew)
  }

  const onChange = () => void check()
  publicSpace(docs).trust.observe(onChange)
  void check()
  if (options.pending && founder) acceptPending(options, options.pending)

  return {
    state,
    ...trustCommands(options, { state, known, check, settled: () => running }),
    settled: () => running,
    close() {
      closed = true
      clearTimeout(lateCheck)
      publicSpace(docs).trust.unobserve(onChange)
    },
  }
}

/**
 * Checks the records the doc holds now, adds the new ones to `known` (and keeps them),
 * and writes back what the doc lost. Returns how many in the doc did not check out.
 */
async function gather(docs: SpaceDocs, known: Map<string, SignedTrust>, kept: KeptTrust): Promise<number> {
  const stored = readTrust(docs)
  const valid = await Promise.all(stored.map(verifyTrust))
  const fresh = stored.filter((t, i) => valid[i] && !known.has(t.id))
  fresh.forEach((t) => known.set(t.id, t))
  if (fresh.length > 0) void kept.write([...known.values()]).catch((error: unknown) => console.warn('trust records could not be kept', error))
  // A record that checked out once is never lost: one the doc no longer holds as it was
  // (a peer's delete or overwrite, here or on a device that synced it) is written back.
  const storedAs = new Map(stored.map((t) => [t.id, contentOf(t)]))
  const lost = [...known.values()].filter((t) => storedAs.get(t.id) !== contentOf(t))
  if (lost.length > 0) restoreTrust(docs, lost, HEALING)
  return valid.filter((ok) => !ok).length
}

/** Signed records written in one update, so no peer sees one without the others. */
function putTogether(docs: SpaceDocs, records: (Omit<SignedTrust, 'id'> | null | false | undefined)[]) {
  docs.transact(() => records.forEach((signed) => signed && putTrust(docs, signed)))
}

const write = async (docs: SpaceDocs, keys: DeviceKeys, record: Parameters<typeof signTrust>[1]) => putTrust(docs, await signTrust(keys, record))

/** This device's own record (its sealing key, person and name): written when the verdict has none, or an outdated one. */
async function writeOwnDevice(options: CommunityTrustOptions, keys: DeviceKeys, verdict: Verdict) {
  const { community, docs, clock, person } = options
  const own = verdict.devices.get(keys.publicKey)
  const label = options.label()
  // A key every device counts as lying (two records with one number: its data copied to a
  // second process, say) gains nothing by signing more, and would sign one at every check.
  const refusedAll = verdict.refused.some(({ record, why }) => record.by === keys.publicKey && (why === 'equivocation' || why === 'flooding'))
  if (!refusedAll && (!own || own.sealKey !== keys.agreementKey || own.person !== person || (label && own.label !== label))) {
    await write(docs, keys, { type: 'device', community, stamp: clock.tick(), sealKey: keys.agreementKey, label: label.slice(0, 30), person })
  }
}

/** The spaces sealed to this device in their latest rotation, taken where they are new to it. */
async function openSpaces(options: CommunityTrustOptions, keys: DeviceKeys, verdict: Verdict) {
  const held = options.staffKey()
  const staffKey = await keyFor(keys, verdict.staffSpace)
  if (staffKey && staffKey.room !== held?.room) options.onStaffKey(staffKey)
  const publicKey = await keyFor(keys, verdict.publicSpace)
  if (publicKey && options.publicKey && publicKey.room !== options.publicKey().room) options.onPublicKey?.(publicKey)
}

/**
 * A device that used a staff link this device made is confirmed: a grant, and the
 * staff space sealed to it with the others. Only when it is the one device that used
 * the link so far (two phones with one link wait for staff to choose in Devices), and
 * its device record is in, so there is a key to seal to.
 */
async function confirmAwaiting(options: CommunityTrustOptions, keys: DeviceKeys, verdict: Verdict, mine: TrustRole | null) {
  const held = options.staffKey()
  const byLink = new Map<string, Verdict['awaiting']>()
  for (const asked of verdict.awaiting) if (asked.inviter === keys.publicKey) byLink.set(asked.invitation, [...(byLink.get(asked.invitation) ?? []), asked])
  for (const [, [asked, ...others]] of byLink) {
    if (!asked || others.length > 0 || !mine || !mayGrant(mine, asked.role) || !verdict.devices.has(asked.key)) continue
    const grant = await signTrust(keys, { type: 'grant', community: options.community, stamp: options.clock.tick(), key: asked.key, role: asked.role })
    const sealed = held ? await sealSpace(options, keys, verdict, 'staff', held, { adding: asked.key }) : null
    putTogether(options.docs, [grant, sealed])
  }
}

/** The proof of the invitation this device joined with, written with the invitation once the keys are loaded. */
function acceptPending(options: CommunityTrustOptions, { secret, at, record }: InvitationLink) {
  const { community, docs, clock } = options
  void options.keys.then(async (keys) => {
    if (!keys) return
    clock.receive(at)
    const proof = await acceptInvitation(secret, { community, key: keys.publicKey, stamp: clock.tick(), ...(record ? { inviter: record.record.by } : {}) })
    // The invitation goes with the proof: the inviter's phone may never be online with anyone again.
    if (proof) putTogether(docs, [record, proof])
    options.onAccepted?.()
  })
}

/** The key sealed to this device in a space's latest rotation, if there is one and it opens. */
async function keyFor(keys: DeviceKeys, space: SpaceNow): Promise<SpaceKey | null> {
  const box = space.rotation?.boxes.find((b) => b.to === keys.publicKey)
  return box ? openSpaceKey(keys, box) : null
}

/** The devices that should hold the staff space: a staff-space role, not removed. */
const staffDevices = (verdict: Verdict) =>
  [...verdict.roles].filter(([key, role]) => STAFF_SPACE_ROLES.includes(role) && !verdict.revoked.has(key)).map(([key]) => key).sort()
/** The devices that may make a space anew (a hub holds the staff space but signs no rotation): the first of them does it late. */
const renewers = (verdict: Verdict) => staffDevices(verdict).filter((key) => mayGrant(verdict.roles.get(key)!, 'staff'))
/** The devices that should hold the public space: every role, not removed. */
const memberDevices = (verdict: Verdict) => [...verdict.roles.keys()].filter((key) => !verdict.revoked.has(key))

/**
 * Two staff who removed devices at once may each have missed the other's removal: if
 * a removed device still holds a space's key a while later, the staff device whose key
 * sorts first makes that space anew. (A removal sends its own new spaces in the same
 * update, so this waits for nothing in the usual case.)
 */
const renewsLate = (keys: DeviceKeys, verdict: Verdict, mine: TrustRole | null) =>
  (verdict.mustRotate || verdict.mustRenewPublic) && mine && STAFF_SPACE_ROLES.includes(mine) && renewers(verdict)[0] === keys.publicKey

/** A space made anew, sealed to each device that keeps it, signed, ready to write. */
const renewal = (options: CommunityTrustOptions, keys: DeviceKeys, verdict: Verdict, space: 'public' | 'staff', leaving?: string) =>
  sealSpace(options, keys, verdict, space, { room: newId(), secret: newSecret() }, { leaving })

/** A space's key sealed to each device that should hold it (less one leaving, plus one coming), signed, ready to write. */
async function sealSpace({ community, clock }: CommunityTrustOptions, keys: DeviceKeys, verdict: Verdict, space: 'public' | 'staff', spaceKey: SpaceKey, { leaving, adding }: { leaving?: string; adding?: string }) {
  const bytes = new TextEncoder().encode(JSON.stringify(spaceKey))
  const boxes: SealedBox[] = []
  const holders = new Set([...(space === 'staff' ? staffDevices(verdict) : memberDevices(verdict)), ...(adding ? [adding] : [])])
  holders.delete(leaving ?? '')
  for (const key of holders) {
    const device = verdict.devices.get(key)
    // A device record whose sealing key does not work (a crafted one) gets no box; it stops nobody's removal.
    try {
      if (device) boxes.push({ to: key, ...(await seal(device.sealKey, bytes)) })
    } catch {
      console.warn('no box for a device whose sealing key does not work', key)
    }
  }
  return signTrust(keys, { type: 'rotation', community, stamp: clock.tick(), ...(space === 'public' ? { space } : {}), boxes })
}

/**
 * What a removal names of the device it removes: the records of its this device has
 * seen, which still count, and the devices its links admitted that hold a role; nothing
 * it signs later counts.
 */
function removalOf(known: Map<string, SignedTrust>, key: string, verdict: Verdict) {
  const records = [...known.values()].map((t) => t.record)
  // (A device that signed more than any honest one counts for nothing already: none of its records is listed.)
  const signed = records.filter((r) => r.by === key && r.type !== 'accept').map((r) => r.seq)
  const seqs = signed.length > TRUST_RECORDS_PER_AUTHOR ? [] : signed
  const invitations = new Set(records.flatMap((r) => (r.type === 'invitation' && r.by === key ? [r.invitation] : [])))
  // Only the devices its links admitted that hold a role (a resident's links admit a bounded number).
  const accepted = [...new Set(records.flatMap((r) => (r.type === 'accept' && invitations.has(r.by) && (r.inviter ?? key) === key && verdict.roles.has(r.key) ? [r.key] : [])))]
  const lastSeq = seqs.reduce((last, seq) => Math.max(last, seq), -1)
  return { lastSeq, seqs, accepted }
}

/** What staff do with trust: invite, grant a role, remove a device, withdraw a link. */
function trustCommands(
  options: CommunityTrustOptions,
  { state, known, check, settled }: { state: Accessor<TrustState>; known: Map<string, SignedTrust>; check: () => Promise<void>; settled: () => Promise<void> },
): Pick<CommunityTrust, 'invite' | 'grant' | 'remove' | 'withdraw'> {
  const { community, docs, clock } = options
  /** This device's keys and the verdict as it stands once checks so far are done; null where nothing is checked. */
  async function acting() {
    await settled()
    const current = state()
    const keys = await options.keys
    return keys && current.checked ? { keys, current } : null
  }
  return {
    async invite(role, uses) {
      const current = state()
      const keys = await options.keys
      if (!keys || !current.checked || !current.mine || !mayGrant(current.mine, role)) return null
      const invitation = await makeInvitationKey()
      const signed = await signTrust(keys, { type: 'invitation', community, stamp: clock.tick(), invitation: invitation.publicKey, role, uses })
      putTrust(docs, signed)
      return { secret: invitation.secret, at: signed.record.stamp, record: signed }
    },
    async grant(key, role) {
      const { keys, current } = (await acting()) ?? {}
      if (!keys || !current?.mine || !mayGrant(current.mine, role)) return false
      await write(docs, keys, { type: 'grant', community, stamp: clock.tick(), key, role })
      await check()
      return true
    },
    async remove(key) {
      const { keys, current } = (await acting()) ?? {}
      if (!keys || !current?.mine || key === keys.publicKey) return false
      const role = current.verdict.roles.get(key) ?? null
      if (!mayRemove(current.mine, role)) return false
      const revocation = await signTrust(keys, { type: 'revoke', community, stamp: clock.tick(), key, ...removalOf(known, key, current.verdict) })
      // Every space it could read is made anew, in the same update as the removal, so no
      // peer sees one without the other: the public space always, the staff space if it
      // held it (a device with no confirmed role may still have used a staff link).
      const anew = [await renewal(options, keys, current.verdict, 'public', key), !role || STAFF_SPACE_ROLES.includes(role) ? await renewal(options, keys, current.verdict, 'staff', key) : null]
      putTogether(docs, [revocation, ...anew])
      await check()
      return true
    },
    async withdraw(invitationKey) {
      const { keys, current } = (await acting()) ?? {}
      if (!keys || !current?.mine || !mayRemove(current.mine, null)) return false
      if (!current.verdict.openInvitations.some((i) => i.key === invitationKey)) return false
      // The devices that joined with it so far stay; an acceptance signed later (or backdated) does not count.
      const accepted = [...known.values()].flatMap((t) => (t.record.type === 'accept' && t.record.by === invitationKey ? [t.record.key] : []))
      const revocation = await signTrust(keys, { type: 'revoke', community, stamp: clock.tick(), key: invitationKey, lastSeq: -1, seqs: [], accepted })
      // Whoever holds the link could read the public space (a link carries no staff key): it is made anew.
      const anew = await renewal(options, keys, current.verdict, 'public')
      putTogether(docs, [revocation, anew])
      await check()
      return true
    },
  }
}
