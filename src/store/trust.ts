import { SignedTrustSchema, trustKey, type SignedTrust } from '../domain/trust'
import type { HybridClock } from '../domain/hlc'
import { readCollection } from './collection'
import { publicSpace } from './layout'
import { liveOf } from './reactive'
import type { SpaceDocs } from './space-docs'

// Trust records live in the public space's standing doc, each under a key made from
// its signature: a device adds records and never replaces one.

export function putTrust(docs: SpaceDocs, signed: Omit<SignedTrust, 'id'>): SignedTrust {
  const stored: SignedTrust = { id: trustKey(signed.sig), ...signed }
  const trust = publicSpace(docs).trust
  if (!trust.has(stored.id)) docs.transact(() => trust.put(stored.id, stored))
  return stored
}

/** Writes records back as they were (a peer deleted or overwrote them), as a healing write. */
export function restoreTrust(docs: SpaceDocs, records: readonly SignedTrust[], origin: unknown): void {
  const trust = publicSpace(docs).trust
  docs.transact(() => records.forEach((t) => trust.put(t.id, t)), origin)
}

export const readTrust = (docs: SpaceDocs): SignedTrust[] => [...readCollection(publicSpace(docs).trust, SignedTrustSchema).records.values()]

export const liveTrust = (docs: SpaceDocs, clock: HybridClock) => liveOf(docs, 'trust', clock)
