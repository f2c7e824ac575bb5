import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import * as v from 'valibot'
import { fromBase64Url, hasNativeCurves, toBase64Url, type DeviceKeys, type PrivateKey } from '../trust/keys'

// The hub process's device keys: made once, like a phone's, and kept in its data
// folder in a file only its own user may read (a phone keeps them in IndexedDB, where
// no script can read them out; a process has its file). Stored as JSON Web Keys, which
// Node's WebCrypto imports as non-extractable keys; where a Node lacks the curves, the
// same 32 bytes serve @noble/curves, as on an old browser.

const Jwk = v.object({ kty: v.literal('OKP'), crv: v.picklist(['Ed25519', 'X25519']), d: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{43}$/)), x: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{43}$/)) })
type Jwk = v.InferOutput<typeof Jwk>
const KeyFile = v.object({ v: v.literal(1), signing: Jwk, agreement: Jwk })

const usagesOf = (curve: Jwk['crv']): KeyUsage[] => (curve === 'Ed25519' ? ['sign'] : ['deriveBits'])

async function makeJwk(curve: Jwk['crv'], native: boolean): Promise<Jwk> {
  if (native) {
    const pair = (await crypto.subtle.generateKey({ name: curve }, true, curve === 'Ed25519' ? ['sign', 'verify'] : ['deriveBits'])) as CryptoKeyPair
    const { d, x } = await crypto.subtle.exportKey('jwk', pair.privateKey)
    return { kty: 'OKP', crv: curve, d: d!, x: x! }
  }
  const { ed25519, x25519 } = await import('@noble/curves/ed25519.js')
  const make = curve === 'Ed25519' ? ed25519 : x25519
  const secret = make.utils.randomSecretKey()
  return { kty: 'OKP', crv: curve, d: toBase64Url(secret), x: toBase64Url(make.getPublicKey(secret)) }
}

async function privateKeyOf(jwk: Jwk, native: boolean): Promise<PrivateKey> {
  if (!native) return fromBase64Url(jwk.d)
  return crypto.subtle.importKey('jwk', { ...jwk, ext: false }, { name: jwk.crv }, false, usagesOf(jwk.crv))
}

/** Writes the file readable by its owner only, flushed, then renamed into place. */
function writePrivate(path: string, text: string): void {
  const fresh = `${path}.new`
  mkdirSync(dirname(path), { recursive: true })
  const fd = openSync(fresh, 'w', 0o600)
  writeSync(fd, text)
  fsyncSync(fd)
  closeSync(fd)
  chmodSync(fresh, 0o600) // a umask cannot widen it, but an old file of that name could have another mode
  renameSync(fresh, path)
}

/** The hub's keys from `path`, made and written there first if there are none. */
export async function loadHubKeys(path: string): Promise<DeviceKeys> {
  const native = await hasNativeCurves()
  if (!existsSync(path)) {
    const [signing, agreement] = await Promise.all([makeJwk('Ed25519', native), makeJwk('X25519', native)])
    writePrivate(path, JSON.stringify({ v: 1, signing, agreement }))
  }
  const parsed = v.safeParse(KeyFile, JSON.parse(readFileSync(path, 'utf8')))
  if (!parsed.success) throw new Error(`${path} does not hold this hub's keys (it is damaged)`)
  chmodSync(path, 0o600)
  const { signing, agreement } = parsed.output
  return {
    signing: { privateKey: await privateKeyOf(signing, native) },
    agreement: { privateKey: await privateKeyOf(agreement, native) },
    publicKey: signing.x,
    agreementKey: agreement.x,
  }
}
