import type { SpaceDoc } from './space-doc'
import type { HybridClock } from '../domain/hlc'
import type { Role } from '../domain/community'
import { putRecord } from './collection'
import { publicSpace } from './layout'
import { MemberSchema, type Member } from '../domain/members'
import { liveCollection } from './reactive'

/** This device says who its person is in the community (display name and role). */
export function publishMember(doc: SpaceDoc, clock: HybridClock, name: string, role: Role): Member {
  const member: Member = { deviceId: clock.deviceId, name, role, stamp: clock.tick() }
  doc.transact(() => putRecord(publicSpace(doc).members, member.deviceId, member))
  return member
}

export function liveMembers(doc: SpaceDoc, clock: HybridClock) {
  return liveCollection(publicSpace(doc).members, MemberSchema, (m) => clock.receive(m.stamp))
}
