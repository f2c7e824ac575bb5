import type { SpaceDocs } from './space-docs'
import type { HybridClock } from '../domain/hlc'
import type { Role } from '../domain/community'
import { type Writer } from './collection'
import { publicSpace } from './layout'
import type { Member } from '../domain/members'
import { liveOf } from './reactive'
import { feature } from './feature'

/** This device says who its person is in the community (display name and role). */
export function publishMember(docs: SpaceDocs, clock: HybridClock, name: string, role: Role): Member {
  const member: Member = { deviceId: clock.deviceId, name, role, stamp: clock.tick() }
  docs.transact(() => publicSpace(docs).members.put(member.deviceId, member))
  return member
}

export function liveMembers(docs: SpaceDocs, clock: HybridClock) {
  // Read when something first asks (after the first screen): 500 members cost a slow phone 70 ms of its start.
  return liveOf(docs, 'members', clock)
}

/** This device's person tells the community who they are. */
export const memberCommands = ({ docs, clock, actor }: Writer) => ({
  announce: (role: Role) => publishMember(docs, clock, actor().name, role),
})

/** Members: who is who, read by every feature. */
export const membersFeature = feature({
  live: ({ pub, clock }) => liveMembers(pub, clock),
  commands: ({ pub }) => memberCommands(pub),
})
