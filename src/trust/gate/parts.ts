import type * as Y from 'yjs'
import { isChecked } from '../../domain/authority'
import type { Authority } from '../../domain/trust'

// What the gate's parts share: how a signed value looks, what the gate knows now, and
// small map helpers.

/** What the gate knows now, read by each of its parts: who may write what, and whether it checks at all. */
export interface GateState {
  /** Null until the trust records are first checked (and none was kept from before). */
  authority: Authority | null
  /** No device keys (no WebCrypto): every record is read as stored. */
  disabled: boolean
  closed: boolean
}
/** Whether records of this collection are checked now. */
export const checksOn = (state: GateState, name: string) => !state.disabled && isChecked(name)

export interface Signature {
  /** The author's signing key (base64url). */
  by: string
  /** Ed25519 over recordBytes(community and space, collection, key, the record without `sig`): 64 bytes, kept as bytes. */
  s: Uint8Array
}
export type SignedValue = Record<string, unknown> & { sig: Signature }

export const hasSignature = (raw: unknown): raw is SignedValue => {
  const sig = (raw as { sig?: Signature } | null)?.sig
  return typeof sig === 'object' && sig !== null && typeof sig.by === 'string' && sig.s instanceof Uint8Array
}
export const withoutSignature = (raw: Record<string, unknown>) => {
  const { sig: _, ...content } = raw
  return content
}

/** The value under `key`, made first if there is none. */
export function entryOf<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key)
  if (value === undefined) map.set(key, (value = make()))
  return value
}

/** The Yjs item a map holds under `key` (deleted or not). */
export const itemOf = (shard: Y.Map<unknown>, key: string) => (shard as unknown as { _map: Map<string, Y.Item> })._map.get(key)
export const idText = (id: Y.ID) => `${id.client}:${id.clock}`

/** Transaction origins, so storage and sync can tell a signature or a healed record from a command. */
export const SIGNING = 'signing'
export const HEALING = 'healing'
