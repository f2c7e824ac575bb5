import { describe, expect, it } from 'vitest'
import { inviteProblem, readInvite, inviteLink, type Invite } from '../../src/sync/invite'
import { makeKeys, newCommunityId } from '../../src/trust/keys'

// Hole: an invite without `founder` turned checking off for the device that joined
// with it ("not checked"): every record it brought was shown as it came. A link that
// names no founder, or a founder the community id was not made from, is now refused
// with a message and joins nothing (ui/app/app-state.ts joinFromInvite).

describe('a crafted invite link', () => {
  it('without a founder key, or with another key than the community id was made from, is refused', async () => {
    const [founder, other] = await Promise.all([makeKeys(), makeKeys()])
    const id = await newCommunityId(founder.publicKey)
    const honest: Invite = { v: 1, id, name: '幸福里社区', public: { room: 'public-room-0001', secret: 'public-secret-0123456789' }, signaling: [], founder: founder.publicKey }
    const roundTrip = (invite: Invite) => readInvite(inviteLink('http://127.0.0.1:5173/', invite))!
    expect(await inviteProblem(roundTrip(honest))).toBeNull()
    const { founder: _, ...unchecked } = honest
    expect(await inviteProblem(roundTrip(unchecked))).toBe('noFounder')
    expect(await inviteProblem(roundTrip({ ...honest, founder: other.publicKey }))).toBe('badInvite')
  })
})
