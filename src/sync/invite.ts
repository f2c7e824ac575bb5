import * as v from 'valibot'
import { InvitationSchema, SpaceKeySchema, type Membership } from '../domain/community'
import { isRootOf } from '../trust/keys'

// An invite is a link whose fragment (after '#') carries the community's rooms and
// secrets. Browsers never send the fragment to a server, so the web server that
// hands out the app never learns a secret. The same link goes into the QR code.

export const InviteSchema = v.object({
  v: v.literal(1),
  // (Community ids are base64url; anything else in one is someone's path or name trick.)
  id: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/)),
  name: v.pipe(v.string(), v.minLength(1), v.maxLength(60)),
  public: SpaceKeySchema,
  staff: v.optional(SpaceKeySchema),
  // (Checked as Settings checks them when the link is used: joinFromInvite says what is wrong.)
  signaling: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(200))), v.maxLength(50))),
  /** The founder's public key: the root the newcomer checks every grant against. */
  founder: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{43}$/))),
  /** The invitation: the newcomer proves it holds the link by signing its own key with its secret. */
  invitation: v.optional(InvitationSchema),
})
export type Invite = v.InferOutput<typeof InviteSchema>

export type InviteKind = 'resident' | 'staff'

const PREFIX = '#join='

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text)
  let binary = ''
  for (const b of bytes) binary += String.fromCharCode(b)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function fromBase64Url(text: string): string {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/')
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4))
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)))
}

export function makeInvite(community: Membership, kind: InviteKind, signaling: string[], invitation?: Invite['invitation']): Invite {
  const invite: Invite = { v: 1, id: community.id, name: community.name, public: community.public, signaling }
  // Where roles are signed, a staff link carries no staff key: the inviter's device seals
  // it to the one device that used the link (trust/grants.ts), so a copy of the link, or
  // a holder who never joins, reads nothing of the staff space.
  if (kind === 'staff' && community.staff && !community.founder) invite.staff = community.staff
  if (community.founder) invite.founder = community.founder
  if (invitation) invite.invitation = invitation
  return invite
}

/** Whether a link makes staff: it carries the staff key (a community without signed roles) or a staff invitation. */
export function isStaffInvite(invite: Invite): boolean {
  const record = invite.invitation?.record?.record
  return invite.staff !== undefined || (record?.type === 'invitation' && record.role !== 'resident' && record.role !== 'lead')
}

export function inviteLink(appUrl: string, invite: Invite): string {
  return appUrl.split('#')[0] + PREFIX + toBase64Url(JSON.stringify(invite))
}

/** The invite in a link or a bare fragment, or null when it is missing or damaged. */
export function readInvite(linkOrHash: string): Invite | null {
  const at = linkOrHash.indexOf(PREFIX)
  if (at < 0) return null
  try {
    const parsed = v.safeParse(InviteSchema, JSON.parse(fromBase64Url(linkOrHash.slice(at + PREFIX.length).trim())))
    return parsed.success ? parsed.output : null
  } catch {
    return null
  }
}

/**
 * Whether a link may be joined: it must name the founder's key (every grant chains to
 * it; without one nothing the link brings could be checked) and the community id must
 * have been made from that key.
 */
export async function inviteProblem(invite: Invite): Promise<'noFounder' | 'badInvite' | null> {
  if (!invite.founder) return 'noFounder'
  return (await isRootOf(invite.id, invite.founder)) ? null : 'badInvite'
}
