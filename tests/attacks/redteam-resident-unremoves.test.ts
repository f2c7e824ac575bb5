import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { putTrust } from '../../src/store/trust'
import { signTrust } from '../../src/trust/grants'
import { trustCommunity } from './trust-phone'

// Red team: only staff may remove a device (mayRemove), but any resident may grant the
// role resident, and a grant to a removed key clears its removal (revoked and removed
// are deleted in verdictOf's grant branch). A resident (a friend of the removed person,
// or a second device the removed person admitted through his own resident link, which
// the removal keeps) signs one grant: the removed device is a resident again, its
// records count again, Devices no longer lists it as removed, and the next renewal of
// the public space is sealed to it. Now bringing a removed device back takes someone who
// may remove it.

describe('red team: a resident grants a removed neighbour back', () => {
  it('a removal by staff is not undone by a resident', async () => {
    const { id, other, resident, phone, roles, verdict } = await trustCommunity()
    expect(await phone.trust.remove(other.publicKey)).toBe(true)
    await phone.settled()
    expect(roles().has(other.publicKey)).toBe(false)

    putTrust(phone.docs, await signTrust(resident, { type: 'grant', community: id, stamp: phone.clock.tick(), key: other.publicKey, role: 'resident' }))
    await phone.settled()
    // Expected: still removed.
    expect({ role: roles().get(other.publicKey), removed: verdict().authority.removed.has(other.publicKey) }).toEqual({ role: undefined, removed: true })
  })
})
