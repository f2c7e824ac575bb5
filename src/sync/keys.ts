import { fromBase64, toBase64 } from 'lib0/buffer'
import { readSetting, writeSetting } from './device'

// This device's keys, made once and kept in IndexedDB beside its settings: an Ed25519
// pair that signs what the device writes, and an X25519 pair others seal messages to.
// The private keys are made non-extractable, so no script can read them out, only use
// them. WebCrypto has both in Chrome 137+, Firefox 129+, Safari 17+ and Node 20.

export interface DeviceKeys {
  signing: CryptoKeyPair
  agreement: CryptoKeyPair
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

/** A new pair of device keys (loadDeviceKeys makes and keeps one per browser; tests make several). */
export async function makeKeys(): Promise<DeviceKeys> {
  const signing = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])) as CryptoKeyPair
  const agreement = (await crypto.subtle.generateKey({ name: 'X25519' }, false, ['deriveBits'])) as CryptoKeyPair
  return { signing, agreement, publicKey: await rawPublic(signing.publicKey), agreementKey: await rawPublic(agreement.publicKey) }
}

const isKeys = (value: unknown): value is DeviceKeys =>
  typeof value === 'object' && value !== null && typeof (value as DeviceKeys).publicKey === 'string' && (value as DeviceKeys).signing?.privateKey instanceof CryptoKey

let loading: Promise<DeviceKeys | null> | null = null

/**
 * This device's keys: made on first use and written to disk before they are used.
 * Null where the browser has no WebCrypto (a plain-http page on the LAN) or no
 * Ed25519 (browsers older than those above): such a device cannot sign or check.
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

export async function sign(privateKey: CryptoKey, bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  return toBase64Url(await signRaw(privateKey, bytes))
}

/** The 64 signature bytes themselves (records keep them as bytes: a third smaller, and nothing to decode). */
export async function signRaw(privateKey: CryptoKey, bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await crypto.subtle.sign('Ed25519', privateKey, bytes))
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
export async function verify(publicKey: string, signature: string | Uint8Array, bytes: Uint8Array<ArrayBuffer>): Promise<boolean> {
  const key = await publicKeyOf(publicKey)
  if (!key) return false
  try {
    return await crypto.subtle.verify('Ed25519', key, typeof signature === 'string' ? fromBase64Url(signature) : new Uint8Array(signature), bytes)
  } catch {
    return false
  }
}

/**
 * A key pair for an invitation: its public half goes into a signed invitation record,
 * its private half (PKCS #8, base64url) into the invite link, so whoever holds the
 * link can prove it by signing their own device key with it.
 */
export async function makeInvitationKey(): Promise<{ publicKey: string; secret: string }> {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair
  return { publicKey: await rawPublic(pair.publicKey), secret: toBase64Url(new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey))) }
}

/** An invitation's key from the secret in a link (its public half read back out); null if the secret is not a key. */
export async function readSecretKey(secret: string): Promise<{ privateKey: CryptoKey; publicKey: string } | null> {
  try {
    const privateKey = await crypto.subtle.importKey('pkcs8', fromBase64Url(secret), { name: 'Ed25519' }, true, ['sign'])
    const { x } = await crypto.subtle.exportKey('jwk', privateKey)
    return x ? { privateKey, publicKey: x } : null
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

async function boxKey(privateKey: CryptoKey, publicKey: string, usage: KeyUsage): Promise<CryptoKey> {
  const peer = await crypto.subtle.importKey('raw', fromBase64Url(publicKey), { name: 'X25519' }, false, [])
  const shared = await crypto.subtle.deriveBits({ name: 'X25519', public: peer }, privateKey, 256)
  const material = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey'])
  return crypto.subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(32), info: INFO }, material, { name: 'AES-GCM', length: 256 }, false, [usage])
}

/** Seals bytes to a device's key-agreement key, with a fresh key pair of the sender's each time. */
export async function seal(toAgreementKey: string, bytes: Uint8Array<ArrayBuffer>): Promise<Sealed> {
  const once = (await crypto.subtle.generateKey({ name: 'X25519' }, false, ['deriveBits'])) as CryptoKeyPair
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const key = await boxKey(once.privateKey, toAgreementKey, 'encrypt')
  const box = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, bytes))
  return { from: await rawPublic(once.publicKey), iv: toBase64Url(iv), box: toBase64Url(box) }
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
