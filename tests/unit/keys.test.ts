import { describe, expect, it } from 'vitest'
import { hasNativeCurves, makeInvitationKey, makeKeys, openSealed, readSecretKey, seal, signRaw, verify } from '../../src/sync/keys'

// A browser without WebCrypto Ed25519/X25519 makes its keys with @noble/curves. Every
// device must check its signatures, read its invitation links and open what it seals,
// and the other way round, or such a phone's writes would be refused by all others.

const bytes = new TextEncoder().encode('a sign-up for Tuesday')
const both = [true, false] as const
const name = (native: boolean) => (native ? 'WebCrypto' : '@noble/curves')

describe('keys where the browser lacks the curves', () => {
  it('this Node has the native curves, so both paths below really run', async () => {
    expect(await hasNativeCurves()).toBe(true)
    expect((await makeKeys(false)).signing.privateKey).toBeInstanceOf(Uint8Array)
    expect((await makeKeys(true)).signing.privateKey).toBeInstanceOf(CryptoKey)
  })

  for (const signer of both)
    for (const checker of both)
      it(`a signature made with ${name(signer)} checks out with ${name(checker)}; a changed byte does not`, async () => {
        const keys = await makeKeys(signer)
        const signature = await signRaw(keys.signing.privateKey, bytes)
        expect(signature.length).toBe(64)
        expect(await verify(keys.publicKey, signature, bytes, checker)).toBe(true)
        const changed = new Uint8Array(bytes)
        changed[0]! ^= 1
        expect(await verify(keys.publicKey, signature, changed, checker)).toBe(false)
        expect(await verify((await makeKeys(checker)).publicKey, signature, bytes, checker)).toBe(false)
        expect(await verify('not a key', signature, bytes, checker)).toBe(false)
      })

  for (const maker of both)
    for (const reader of both)
      it(`an invitation link made with ${name(maker)} reads back with ${name(reader)} and signs for its key`, async () => {
        const { publicKey, secret } = await makeInvitationKey(maker)
        const read = await readSecretKey(secret, reader)
        expect(read?.publicKey).toBe(publicKey)
        expect(await verify(publicKey, await signRaw(read!.privateKey, bytes), bytes, !reader)).toBe(true)
        expect(await readSecretKey(secret.slice(0, -4), reader)).toBeNull()
        expect(await readSecretKey('not-a-secret', reader)).toBeNull()
      })

  for (const sender of both)
    for (const receiver of both)
      it(`a box sealed with ${name(sender)} opens for a ${name(receiver)} device, and for no other`, async () => {
        const to = await makeKeys(receiver)
        const sealed = await seal(to.agreementKey, bytes, sender)
        expect(await openSealed(to, sealed)).toEqual(bytes)
        expect(await openSealed(await makeKeys(receiver), sealed)).toBeNull()
      })
})
