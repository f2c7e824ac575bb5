import { fromBase64, toBase64 } from 'lib0/buffer'
import { readSetting, writeSetting } from '../sync/device'

// This device's keys, made once and kept in IndexedDB beside its settings: an Ed25519
// pair that signs what the device writes, and an X25519 pair others seal messages to.
// WebCrypto has both in Chrome 137+, Firefox 130+, Safari 17+ and Node 20; there the
// private keys are non-extractable, so no script can read them out, only use them.
// An older browser gets the same curves from @noble/curves, loaded only then, and keeps
// its private keys as raw bytes: the same signatures and sealed boxes, checked the same
// way by every other device, with keys a script on the page could read.

/** A private key: a WebCrypto key, or its 32 raw bytes where the browser lacks the curve. */
export type PrivateKey = CryptoKey | Uint8Array<ArrayBuffer>

export interface DeviceKeys {
  signing: { privateKey: PrivateKey }
  agreement: { privateKey: PrivateKey }
  /** The signing key's public half (base64url), which names this device in trust records. */
  publicKey: string
  /** The key-agreement public half (base64url), for sealing to this device. */
  agreementKey: string
}

const KEYS = 'neighbours.keys'

export const toBase64Url = (bytes: Uint8Array): string => toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
export const fromBase64Url = (text: string): Uint8Array<ArrayBuffer> => {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/')
  return new Uint8Array(fromBase64(base64 + '='.repeat((4 - (base64.length % 4)) % 4)))
}

const rawPublic = async (key: CryptoKey) => toBase64Url(new Uint8Array(await crypto.subtle.exportKey('raw', key)))
const noble = () => import('@noble/curves/ed25519.js')
const copy = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(bytes)

let native: Promise<boolean> | undefined
/** Whether WebCrypto here has Ed25519 and X25519; asked once, by making a key of each. */
export function hasNativeCurves(): Promise<boolean> {
  native ??= Promise.all([
    crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign']),
    crypto.subtle.generateKey({ name: 'X25519' }, false, ['deriveBits']),
  ]).then(
    () => true,
    () => false,
  )
  return native
}

/** A key pair of one curve, made by WebCrypto or else by @noble/curves. */
async function makePair(curve: 'Ed25519' | 'X25519', useNative: boolean): Promise<{ privateKey: PrivateKey; publicKey: string }> {
  if (useNative) {
    const usages: KeyUsage[] = curve === 'Ed25519' ? ['sign', 'verify'] : ['deriveBits']
    const pair = (await crypto.subtle.generateKey({ name: curve }, false, usages)) as CryptoKeyPair
    return { privateKey: pair.privateKey, publicKey: await rawPublic(pair.publicKey) }
  }
  const { ed25519, x25519 } = await noble()
  const make = curve === 'Ed25519' ? ed25519 : x25519
  const privateKey = copy(make.utils.randomSecretKey())
  return { privateKey, publicKey: toBase64Url(make.getPublicKey(privateKey)) }
}

/** A new pair of device keys (loadDeviceKeys makes and keeps one per browser; tests make several). */
export async function makeKeys(useNative?: boolean): Promise<DeviceKeys> {
  const nativeCurves = useNative ?? (await hasNativeCurves())
  const [signing, agreement] = await Promise.all([makePair('Ed25519', nativeCurves), makePair('X25519', nativeCurves)])
  return { signing, agreement, publicKey: signing.publicKey, agreementKey: agreement.publicKey }
}

const isPrivateKey = (key: unknown): key is PrivateKey => key instanceof CryptoKey || (key instanceof Uint8Array && key.length === 32)
const isKeys = (value: unknown): value is DeviceKeys =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as DeviceKeys).publicKey === 'string' &&
  isPrivateKey((value as DeviceKeys).signing?.privateKey) &&
  isPrivateKey((value as DeviceKeys).agreement?.privateKey)

let loading: Promise<DeviceKeys | null> | null = null

/**
 * This device's keys: made on first use and written to disk before they are used.
 * Null where the page has no WebCrypto at all (plain http on the LAN): such a device
 * cannot sign or check.
 */
export function loadDeviceKeys(): Promise<DeviceKeys | null> {
  loading ??= (async () => {
    if (typeof crypto === 'undefined' || !crypto.subtle) return null
    const stored = await readSetting(KEYS)
    if (isKeys(stored)) return stored
    const keys = await makeKeys().catch(() => null)
    if (keys) await writeSetting(KEYS, keys)
    return keys
  })()
  return loading
}

export async function sign(privateKey: PrivateKey, bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  return toBase64Url(await signRaw(privateKey, bytes))
}

/** The 64 signature bytes themselves (records keep them as bytes: a third smaller, and nothing to decode). */
export async function signRaw(privateKey: PrivateKey, bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  if (privateKey instanceof CryptoKey) return new Uint8Array(await crypto.subtle.sign('Ed25519', privateKey, bytes))
  return copy((await noble()).ed25519.sign(bytes, privateKey))
}

// Imported public keys are kept: a community has a few hundred devices, and every
// record of one device is checked against the same key.
const imported = new Map<string, Promise<CryptoKey | null>>()
function publicKeyOf(publicKey: string): Promise<CryptoKey | null> {
  let key = imported.get(publicKey)
  if (!key) {
    key = crypto.subtle.importKey('raw', fromBase64Url(publicKey), { name: 'Ed25519' }, false, ['verify']).catch(() => null)
    imported.set(publicKey, key)
  }
  return key
}

/** Whether `signature` is `publicKey`'s over `bytes`; a malformed key or signature is simply false. */
export async function verify(publicKey: string, signature: string | Uint8Array, bytes: Uint8Array<ArrayBuffer>, useNative?: boolean): Promise<boolean> {
  const raw = typeof signature === 'string' ? fromBase64Url(signature) : new Uint8Array(signature)
  try {
    if (!(useNative ?? (await hasNativeCurves()))) return await verifyAsWebCryptoDoes(fromBase64Url(publicKey), raw, bytes)
    const key = await publicKeyOf(publicKey)
    return key !== null && (await crypto.subtle.verify('Ed25519', key, raw, bytes))
  } catch {
    return false
  }
}

const ORDER = 2n ** 252n + 27742317777372353535851937790883648493n
const littleEndian = (bytes: Uint8Array): bigint => bytes.reduceRight((n, byte) => (n << 8n) | BigInt(byte), 0n)

/**
 * Ed25519 checked the way WebCrypto checks it (Chrome, Safari and Node: strict RFC 8032
 * decoding, s below the group order, and the cofactorless equation [s]B = R + [k]A).
 * @noble/curves' own verify uses the cofactored equation, which accepts a few crafted
 * signatures WebCrypto refuses: old and new phones would then disagree on a record
 * and heal it against each other for ever.
 */
async function verifyAsWebCryptoDoes(publicKey: Uint8Array, signature: Uint8Array, bytes: Uint8Array<ArrayBuffer>): Promise<boolean> {
  const { Point } = (await noble()).ed25519
  const r = signature.subarray(0, 32)
  const s = littleEndian(signature.subarray(32))
  if (signature.length !== 64 || publicKey.length !== 32 || s >= ORDER) return false
  const a = Point.fromBytes(publicKey, false)
  const rPoint = Point.fromBytes(r, false)
  const k = littleEndian(new Uint8Array(await crypto.subtle.digest('SHA-512', new Uint8Array([...r, ...publicKey, ...bytes])))) % ORDER
  return Point.BASE.multiplyUnsafe(s).equals(rPoint.add(a.multiplyUnsafe(k)))
}

// An Ed25519 private key in PKCS #8 is this fixed header and then its 32-byte seed
// (version 1; a version-2 export adds the public key after the seed).
const PKCS8_ED25519 = fromBase64Url('MC4CAQAwBQYDK2VwBCIEIA')
const OID_ED25519 = [0x06, 0x03, 0x2b, 0x65, 0x70]
const SEED = [0x04, 0x22, 0x04, 0x20]

/** The 32-byte seed of a PKCS #8 Ed25519 key, version 1 or 2; null if it is not one. */
function seedOf(der: Uint8Array): Uint8Array<ArrayBuffer> | null {
  const find = (pattern: number[], from: number) => {
    for (let i = from; i + pattern.length <= der.length; i++) if (pattern.every((byte, j) => der[i + j] === byte)) return i
    return -1
  }
  const oid = find(OID_ED25519, 0)
  const seed = oid < 0 ? -1 : find(SEED, oid + OID_ED25519.length)
  return der[0] === 0x30 && seed >= 0 && seed + SEED.length + 32 <= der.length ? der.slice(seed + SEED.length, seed + SEED.length + 32) : null
}

/**
 * A key pair for an invitation: its public half goes into a signed invitation record,
 * its private half (PKCS #8, base64url) into the invite link, so whoever holds the
 * link can prove it by signing their own device key with it.
 */
export async function makeInvitationKey(useNative?: boolean): Promise<{ publicKey: string; secret: string }> {
  if (useNative ?? (await hasNativeCurves())) {
    const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair
    return { publicKey: await rawPublic(pair.publicKey), secret: toBase64Url(new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey))) }
  }
  const { privateKey, publicKey } = await makePair('Ed25519', false)
  return { publicKey, secret: toBase64Url(new Uint8Array([...PKCS8_ED25519, ...(privateKey as Uint8Array)])) }
}

/** An invitation's key from the secret in a link (its public half read back out); null if the secret is not a key. */
export async function readSecretKey(secret: string, useNative?: boolean): Promise<{ privateKey: PrivateKey; publicKey: string } | null> {
  try {
    if (useNative ?? (await hasNativeCurves())) {
      const privateKey = await crypto.subtle.importKey('pkcs8', fromBase64Url(secret), { name: 'Ed25519' }, true, ['sign'])
      const { x } = await crypto.subtle.exportKey('jwk', privateKey)
      return x ? { privateKey, publicKey: x } : null
    }
    const privateKey = seedOf(fromBase64Url(secret))
    if (!privateKey) return null
    return { privateKey, publicKey: toBase64Url((await noble()).ed25519.getPublicKey(privateKey)) }
  } catch {
    return null
  }
}

/**
 * A community's id, bound to its founder's key: a random salt (one device may found
 * several communities), then the first 16 bytes of SHA-256 over key and salt. Nobody
 * can name another root for the same id without finding a key with the same hash.
 */
export async function newCommunityId(founderKey: string): Promise<string> {
  const salt = toBase64Url(crypto.getRandomValues(new Uint8Array(8)))
  return salt + (await rootHash(founderKey, salt))
}

/** Whether `founderKey` is the root the community id was made from. */
export async function isRootOf(communityId: string, founderKey: string): Promise<boolean> {
  const salt = communityId.slice(0, 11)
  try {
    return communityId === salt + (await rootHash(founderKey, salt))
  } catch {
    return false
  }
}

async function rootHash(founderKey: string, salt: string): Promise<string> {
  const input = new Uint8Array([...fromBase64Url(founderKey), ...fromBase64Url(salt)])
  return toBase64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', input)).slice(0, 16))
}

// ---- Sealing to one device: X25519, HKDF-SHA-256, AES-GCM -------------------------

/** A message only the holder of one device's key-agreement key can open. */
export interface Sealed {
  /** The sender's one-time X25519 public key (base64url). */
  from: string
  iv: string
  box: string
}

const INFO = new TextEncoder().encode('neighbours sealed v1')

/** The X25519 secret shared by a private key and a peer's public one. */
async function agree(privateKey: PrivateKey, publicKey: string): Promise<Uint8Array<ArrayBuffer>> {
  if (privateKey instanceof Uint8Array) return copy((await noble()).x25519.getSharedSecret(privateKey, fromBase64Url(publicKey)))
  const peer = await crypto.subtle.importKey('raw', fromBase64Url(publicKey), { name: 'X25519' }, false, [])
  return new Uint8Array(await crypto.subtle.deriveBits({ name: 'X25519', public: peer }, privateKey, 256))
}

async function boxKey(privateKey: PrivateKey, publicKey: string, usage: KeyUsage): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', await agree(privateKey, publicKey), 'HKDF', false, ['deriveKey'])
  return crypto.subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(32), info: INFO }, material, { name: 'AES-GCM', length: 256 }, false, [usage])
}

/** Seals bytes to a device's key-agreement key, with a fresh key pair of the sender's each time. */
export async function seal(toAgreementKey: string, bytes: Uint8Array<ArrayBuffer>, useNative?: boolean): Promise<Sealed> {
  const once = await makePair('X25519', useNative ?? (await hasNativeCurves()))
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const key = await boxKey(once.privateKey, toAgreementKey, 'encrypt')
  const box = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, bytes))
  return { from: once.publicKey, iv: toBase64Url(iv), box: toBase64Url(box) }
}

/** Opens what was sealed to this device; null if it was sealed to another key or changed on the way. */
export async function openSealed(keys: DeviceKeys, sealed: Sealed): Promise<Uint8Array | null> {
  try {
    const key = await boxKey(keys.agreement.privateKey, sealed.from, 'decrypt')
    return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64Url(sealed.iv) }, key, fromBase64Url(sealed.box)))
  } catch {
    return null
  }
}
