import { describe, expect, it } from 'vitest'
import { hasNativeCurves, makeInvitationKey, makeKeys, openSealed, readSecretKey, seal, signRaw, verify } from '../../src/trust/keys'

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

  it('a crafted signature WebCrypto refuses is refused by the fallback too (a nonce point moved by a point of small order)', async () => {
    const { ed25519 } = await import('@noble/curves/ed25519.js')
    const { Point } = ed25519
    const keys = await makeKeys(false)
    const { scalar, pointBytes } = ed25519.utils.getExtendedPublicKey(keys.signing.privateKey as Uint8Array)
    const ORDER = 2n ** 252n + 27742317777372353535851937790883648493n
    const le = (b: Uint8Array) => b.reduceRight((n, byte) => (n << 8n) | BigInt(byte), 0n)
    const toLe = (n: bigint) => Uint8Array.from({ length: 32 }, (_, i) => Number((n >> BigInt(8 * i)) & 255n))
    // R' = [r]B + T, with T = (0, -1) of order 2; s = r + k'a for k' over R': the cofactored
    // equation @noble/curves' own verify uses holds, the cofactorless one WebCrypto uses does not.
    const r = 123456789n
    const moved = Point.BASE.multiply(r).add(Point.fromAffine({ x: 0n, y: 2n ** 255n - 19n - 1n })).toBytes()
    const k = le(new Uint8Array(await crypto.subtle.digest('SHA-512', new Uint8Array([...moved, ...pointBytes, ...bytes])))) % ORDER
    const crafted = new Uint8Array([...moved, ...toLe((r + k * scalar) % ORDER)])
    expect(ed25519.verify(crafted, bytes, pointBytes)).toBe(true)
    expect(await verify(keys.publicKey, crafted, bytes, true)).toBe(false)
    expect(await verify(keys.publicKey, crafted, bytes, false)).toBe(false)
  })

  for (const maker of both)
    for (const reader of both)
      it(`an invitation link made with ${name(maker)} reads back with ${name(reader)} and signs for its key`, async () => {
        const { publicKey, secret } = await makeInvitationKey(maker)
        const read = await readSecretKey(secret, reader)
        expect(read?.publicKey).toBe(publicKey)
        expect(await verify(publicKey, await signRaw(read!.privateKey, bytes), bytes, !reader)).toBe(true)
        expect(await readSecretKey(secret.slice(0, -8), reader)).toBeNull()
        expect(await readSecretKey('not-a-secret', reader)).toBeNull()
      })

  it('the fallback reads a version-2 PKCS #8 key too (the public key after the seed, as some browsers export it)', async () => {
    const { publicKey, secret } = await makeInvitationKey(false)
    const v1 = Uint8Array.from(atob(secret.replace(/-/g, '+').replace(/_/g, '/') + '=='.slice(0, (4 - (secret.length % 4)) % 4)), (c) => c.charCodeAt(0))
    const pub = Uint8Array.from(atob(publicKey.replace(/-/g, '+').replace(/_/g, '/') + '='), (c) => c.charCodeAt(0))
    // SEQUENCE { 1, algorithm, seed, [1] public key }
    const body = [0x02, 0x01, 0x01, ...v1.subarray(5, 48), 0x81, 0x21, 0x00, ...pub]
    const v2 = btoa(String.fromCharCode(0x30, body.length, ...body)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
    expect((await readSecretKey(v2, false))?.publicKey).toBe(publicKey)
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
