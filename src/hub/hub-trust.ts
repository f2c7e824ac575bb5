import type { InvitationLink, SpaceKind } from '../domain/community'
import { compareStamps, HybridClock } from '../domain/hlc'
import { personOfKey, type Rotation, type TrustRole, type Verdict } from '../domain/trust'
import { makeCommunityTrust, openSpaceKey, type CommunityTrust, type KeptTrust } from '../trust/grants'
import type { DeviceKeys } from '../trust/keys'
import type { HubSpaces } from './spaces'
import { bridgeStanding } from './standing-bridge'

// The hub process as a member, judged like any device: it has its own keys, accepts
// its invitation with the link's secret and writes its own signed device record (the
// app's trust code, trust/grants.ts, does both, as on a phone), so staff see it in
// Devices and can remove it. From each verdict it learns whether it was removed (it
// then leaves, deleting its staff copy) and whether a space was made anew with a key
// sealed to it (it then moves that space to the new room).

export interface HubTrust {
  trust: CommunityTrust
  /** Moves a space to the room a rotation seals to this hub, if it seals one and it is new. Resolves once done. */
  follow(kind: SpaceKind, rotation: Rotation | null): Promise<void>
  /** Resolves once the trust records so far are checked and the hub has acted on them. */
  settled(): Promise<void>
  close(): void
}

const rotationId = (rotation: Rotation) => `${rotation.by}#${rotation.seq}`

/** What the hub runs as a member with. */
interface HubTrustOptions {
  community: string
  name: string
  founder: string
  keys: DeviceKeys
  spaces: HubSpaces
  /** The name it shows in Devices (a device record holds 30 characters). */
  label: string
  /** The invitation in its link, until its proof is written. */
  pending?: InvitationLink
  kept: KeptTrust
  log: (...parts: unknown[]) => void
  /** Staff removed the hub: it has left every room. */
  onRemoved?: () => void
  clock?: HybridClock
}

/** The hub as a member from one verdict to the next: what it runs with, and what the verdicts so far told it. */
interface Member {
  options: HubTrustOptions
  me: string
  label: string
  role: TrustRole | null | undefined
  /** When the records first gave this hub a role. */
  since: string | undefined
  latest: Verdict | undefined
  removed: boolean
  // Rotations already acted on (each is opened once, not at every verdict).
  followed: Set<string>
}

export function startHubTrust(options: HubTrustOptions): HubTrust {
  const { keys, spaces, log, name } = options
  const me = keys.publicKey
  const label = options.label.slice(0, 30)
  const publicShelf = spaces.shelf('public')
  if (!publicShelf) throw new Error('the hub serves no public space')
  const bridge = bridgeStanding(publicShelf)
  spaces.onShelf((kind, shelf) => kind === 'public' && bridge.attach(shelf))
  const clock = options.clock ?? new HybridClock(personOfKey(me))
  const member: Member = { options, me, label, role: undefined, since: undefined, latest: undefined, removed: spaces.removed !== undefined, followed: new Set() }
  let acting: Promise<void> = Promise.resolve()

  const trust = makeCommunityTrust({
    community: options.community,
    founder: options.founder,
    docs: bridge.docs,
    clock,
    keys: Promise.resolve(keys),
    // The shelf read its docs from disk before this.
    loaded: Promise.resolve(),
    label: () => label,
    person: personOfKey(me),
    // One at a time, in order: a move must finish before the next verdict is acted on.
    onVerdict: (verdict) => {
      acting = acting.then(() => actOn(member, verdict)).catch((error: unknown) => log('error acting on the trust records:', error instanceof Error ? error.message : error))
    },
    ...(options.pending && !spaces.accepted && !member.removed ? { pending: options.pending } : {}),
    onAccepted: () => {
      spaces.markAccepted()
      log(`This hub accepted its invitation to "${name}" (its key, signed with the link's secret); its device record names it "${label}".`)
    },
    // Both spaces are followed from the verdict (follow below), the same way for each.
    staffKey: () => spaces.key('staff'),
    onStaffKey: () => {},
    kept: options.kept,
  })

  return {
    trust,
    follow: (kind, rotation) => (acting = acting.then(() => follow(member, kind, rotation))),
    async settled() {
      for (let i = 0; i < 3; i++) {
        await trust.settled()
        await acting
      }
    },
    close() {
      trust.close()
      bridge.close()
    },
  }
}

/** Acts on one verdict: leaves if staff removed the hub, notes a change of role, and follows each space made anew. */
async function actOn(member: Member, verdict: Verdict): Promise<void> {
  if (member.removed) return
  const { me, options } = member
  const revoked = verdict.authority.removed.get(me)
  if (revoked) {
    await leave(member, revoked.at)
    return
  }
  const now = verdict.roles.get(me) ?? null
  if (now !== member.role) {
    if (now) options.log(`The community's signed records name this hub "${verdict.devices.get(me)?.label ?? member.label}", with the role ${now}: staff see it in Devices.`)
    else if (member.role) options.log('This hub no longer holds a role in the community.')
    member.role = now
  }
  member.since = verdict.authority.since?.get(me)
  member.latest = verdict
  await follow(member, 'staff', verdict.staffSpace.rotation)
  await follow(member, 'public', verdict.publicSpace.rotation)
}

/** Leaves every room (deleting the staff copy) once staff removed the hub. */
async function leave(member: Member, at: string): Promise<void> {
  const { spaces, log, name } = member.options
  member.removed = true
  const staffCopy = spaces.folder('staff')
  await spaces.removedAt(at)
  log(
    `Staff removed this hub from "${name}": it has left the public space${staffCopy ? ` and the staff space, and deleted its copy of the staff space (${staffCopy})` : ''}. ` +
      'To serve this community again, run it with a new invite link. 工作人员已将本中转站移出社区，它已退出' +
      (staffCopy ? '并删除了工作人员空间的资料。' : '。'),
  )
  member.options.onRemoved?.()
}

/** Moves a space to the room a rotation seals to this hub, if it seals one and it is new. */
async function follow(member: Member, kind: SpaceKind, rotation: Rotation | null): Promise<void> {
  if (!rotation || member.followed.has(rotationId(rotation)) || member.removed) return
  const { keys, spaces, log } = member.options
  member.followed.add(rotationId(rotation))
  const held = spaces.key(kind)
  const box = rotation.boxes.find((b) => b.to === member.me)
  if (!box) {
    // (A space made anew before this hub joined is no news: its link carried the key of its day.)
    if (held && member.since && compareStamps(rotation.stamp, member.since) > 0) log(`The ${kind} space was made anew without a key for this hub; it stays in the old room until staff give it one.`)
    return
  }
  const key = await openSpaceKey(keys, box)
  if (!key) return log(`The ${kind} space was made anew, but the key sealed to this hub does not open; it stays in the old room.`)
  if (key.room === held?.room) return
  const { docs, moved } = await spaces.hold(kind, key)
  const by = member.latest?.devices.get(rotation.by)?.label || rotation.by.slice(0, 8)
  const count = `${docs} doc${docs === 1 ? '' : 's'}`
  if (!moved) log(`This hub now serves the ${kind} space too (its key was sealed to it by ${by}).`)
  else if (kind === 'staff') log(`The staff space was made anew (by ${by}): this hub moved its ${count} to the new room, left the old room and deleted the old copy. 工作人员空间已更新，中转站已转到新的房间。`)
  else log(`The public space was made anew (by ${by}): this hub moved its ${count} to the new room; the old room keeps only its standing doc, offered for a while to phones that were away. 公共空间已更新，中转站已转到新的房间。`)
}
