import * as v from 'valibot'
import { checked, textProblem, type Checked } from './validation'
import { SignedTrustSchema } from './trust'

// A community as this device knows it: which spaces it may open, and what this
// person is there. Residents hold only the public space; staff hold both.

export const ROLES = ['resident', 'volunteer', 'staff'] as const
export type Role = (typeof ROLES)[number]

export const SpaceKeySchema = v.object({
  room: v.pipe(v.string(), v.minLength(8), v.maxLength(128)),
  secret: v.pipe(v.string(), v.minLength(16), v.maxLength(256)),
})
export type SpaceKey = v.InferOutput<typeof SpaceKeySchema>

/** The most signaling servers a link may name. */
export const SIGNALING_MAX = 5

/** How many public spaces left behind are still offered, and for how long. */
export const FORMER_KEPT = 4
export const FORMER_DAYS = 60

export const SPACE_KINDS = ['public', 'staff'] as const
export type SpaceKind = (typeof SPACE_KINDS)[number]

/** Every space a membership names: its public and staff space, and public spaces it left behind. */
export function spacesOf(membership: Membership): Array<[SpaceKind, SpaceKey]> {
  const staff: Array<[SpaceKind, SpaceKey]> = membership.staff ? [['staff', membership.staff]] : []
  return [['public', membership.public], ...staff, ...(membership.formerPublic ?? []).map((f): [SpaceKind, SpaceKey] => ['public', f])]
}

/**
 * What an invite link carries of its invitation: the secret the newcomer proves it
 * holds, the record's stamp, and the signed invitation record itself, so the chain from
 * the founder reaches every device through the newcomer, even if the inviter's phone
 * never comes online again.
 */
export const InvitationSchema = v.object({
  secret: v.pipe(v.string(), v.maxLength(200)),
  at: v.pipe(v.string(), v.maxLength(64)),
  record: v.optional(v.omit(SignedTrustSchema, ['id'])),
})
export type InvitationLink = v.InferOutput<typeof InvitationSchema>

export const MembershipSchema = v.object({
  id: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  name: v.pipe(v.string(), v.minLength(1), v.maxLength(60)),
  role: v.picklist(ROLES),
  public: SpaceKeySchema,
  staff: v.optional(SpaceKeySchema),
  joinedAt: v.string(),
  /** This person's own meal card number, remembered on this device only (never in an invite). */
  mealCard: v.optional(v.pipe(v.string(), v.regex(/^[A-Z0-9]{6}$/))),
  /** This device is the community's hub: it keeps every month and stays online (staff choose this). */
  hub: v.optional(v.boolean()),
  /** The founder's public key, which the community id is bound to: the root of every grant. Absent for communities made before device keys. */
  founder: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{43}$/))),
  /** The invitation this device joined with, until its proof is written (trust/grants.ts). */
  invitation: v.optional(InvitationSchema),
  /** The signaling servers the link named, for this community only (this phone's own choice in Settings comes first). */
  signaling: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(200))), v.maxLength(SIGNALING_MAX))),
  /**
   * Public spaces this device has left for a new one (a device was removed), kept
   * until `until`: their standing doc, as it was, is still offered there, so a phone
   * that was away finds the record that seals it the new one.
   */
  formerPublic: v.optional(v.pipe(v.array(v.object({ ...SpaceKeySchema.entries, until: v.string() })), v.maxLength(FORMER_KEPT))),
})
export type Membership = v.InferOutput<typeof MembershipSchema>

export const COMMUNITY_NAME_MAX = 40
export const DISPLAY_NAME_MAX = 30

export function checkCommunityName(name: string): Checked<string, 'name'> {
  const problem = textProblem(name, { required: true, max: COMMUNITY_NAME_MAX })
  return checked(name.trim(), problem ? { name: problem } : {})
}

export function checkDisplayName(name: string): Checked<string, 'displayName'> {
  const problem = textProblem(name, { required: true, max: DISPLAY_NAME_MAX })
  return checked(name.trim(), problem ? { displayName: problem } : {})
}

/** Which role an invite of this kind grants: a staff invite carries the staff space. */
export function roleForInvite(hasStaffSpace: boolean): Role {
  return hasStaffSpace ? 'staff' : 'resident'
}

/** Residents may call themselves volunteers; only a staff invite makes someone staff. */
export function canChooseRole(current: Role, next: Role): boolean {
  if (current === 'staff') return next === 'staff'
  return next === 'resident' || next === 'volunteer'
}
