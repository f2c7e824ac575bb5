import { createSignal, type Accessor } from 'solid-js'
import type { HybridClock } from '../domain/hlc'
import { mayGrant, trustBytes, verdictOf, type SignedTrust, type TrustRecord, type TrustRole, type Verdict } from '../domain/trust'
import { publicSpace } from '../store/layout'
import type { SpaceDocs } from '../store/space-docs'
import { putTrust, readTrust } from '../store/trust'
import { makeInvitationKey, readSecretKey, sign, verify, type DeviceKeys } from './keys'
import { readSetting, writeSetting } from './device'

// Signing and checking trust records (domain/trust.ts has the rules). A record is
// signed by the key it names as its author; an acceptance by the invitation's key,
// which only the holder of the invite link has.

type Unsigned<T> = T extends unknown ? Omit<T, 'by' | 'seq'> : never

const SEQ = 'neighbours.seq'
let counting: Promise<number> = Promise.resolve(-1)

/** This device's next sequence number, on disk before it is used, so no two records share one. */
export function nextSeq(): Promise<number> {
  counting = counting.then(async (last) => {
    const stored = await readSetting(SEQ)
    const next = Math.max(last, typeof stored === 'number' ? stored : -1) + 1
    await writeSetting(SEQ, next)
    return next
  })
  return counting
}

/** Signs a record as this device, with its next sequence number. */
export async function signTrust(keys: DeviceKeys, record: Unsigned<Exclude<TrustRecord, { type: 'accept' }>>): Promise<Omit<SignedTrust, 'id'>> {
  const full = { ...record, by: keys.publicKey, seq: await nextSeq() } as TrustRecord
  return { record: full, sig: await sign(keys.signing.privateKey, trustBytes(full)) }
}

/** The proof that this device holds an invite link: its own key, signed with the link's secret. Null if the secret is broken. */
export async function acceptInvitation(secret: string, fields: { community: string; key: string; stamp: string }): Promise<Omit<SignedTrust, 'id'> | null> {
  const invitation = await readSecretKey(secret)
  if (!invitation) return null
  const record: TrustRecord = { type: 'accept', ...fields, by: invitation.publicKey, seq: 0 }
  return { record, sig: await sign(invitation.privateKey, trustBytes(record)) }
}

// Each record is checked once per session; its key is made from its signature.
const checked = new Map<string, Promise<boolean>>()

/** Whether the record's author (the key it names) signed exactly this record. */
export function verifyTrust(signed: SignedTrust): Promise<boolean> {
  let verdict = checked.get(signed.id)
  if (!verdict) {
    verdict = verify(signed.record.by, signed.sig, trustBytes(signed.record))
    checked.set(signed.id, verdict)
  }
  return verdict
}


// ---- One community's trust, for the session ---------------------------------------

export type TrustState =
  /** Nothing is checked: the community was made before device keys, or this browser cannot check signatures. */
  | { checked: false; why: 'noFounder' | 'noCrypto' }
  | { checked: true; verdict: Verdict; mine: TrustRole | null; refused: number }

export interface CommunityTrust {
  state: Accessor<TrustState>
  /** An invitation for an invite link (its secret and stamp), if this device may grant the role. */
  invite(role: TrustRole, uses: 'once' | 'many'): Promise<{ secret: string; at: string } | null>
  /** Resolves once the records in the doc now have been checked. */
  settled(): Promise<void>
}

/**
 * Reads the community's trust records as they arrive, checks each signature once,
 * and replays the checked records into a verdict. A device that joined with an
 * invitation secret writes its proof once (`pending`), after taking in the
 * invitation's stamp so the proof sorts after it.
 */
export function makeCommunityTrust(options: {
  community: string
  founder: string | undefined
  docs: SpaceDocs
  clock: HybridClock
  keys: Promise<DeviceKeys | null>
  pending?: { secret: string; at: string }
  onAccepted?: () => void
}): CommunityTrust {
  const { community, founder, docs, clock } = options
  const [state, setState] = createSignal<TrustState>({ checked: false, why: 'noFounder' })
  let running: Promise<void> = Promise.resolve()
  const check = () => {
    running = running.then(async () => {
      if (!founder) return
      const keys = await options.keys
      if (!keys) {
        setState({ checked: false, why: 'noCrypto' })
        return
      }
      const stored = readTrust(docs)
      const valid = await Promise.all(stored.map(verifyTrust))
      const records = stored.filter((_, i) => valid[i]).map((t) => t.record)
      records.forEach((record) => clock.receive(record.stamp))
      const verdict = verdictOf(community, founder, records)
      setState({ checked: true, verdict, mine: verdict.roles.get(keys.publicKey) ?? null, refused: verdict.refused.length + valid.filter((ok) => !ok).length })
    })
    return running
  }
  publicSpace(docs).trust.observe(() => void check())
  void check()

  if (options.pending && founder) {
    const { secret, at } = options.pending
    void options.keys.then(async (keys) => {
      if (!keys) return
      clock.receive(at)
      const proof = await acceptInvitation(secret, { community, key: keys.publicKey, stamp: clock.tick() })
      if (proof) putTrust(docs, proof)
      options.onAccepted?.()
    })
  }

  return {
    state,
    async invite(role, uses) {
      const current = state()
      if (!current.checked || !current.mine || !mayGrant(current.mine, role)) return null
      const keys = await options.keys
      if (!keys) return null
      const invitation = await makeInvitationKey()
      const signed = await signTrust(keys, { type: 'invitation', community, stamp: clock.tick(), invitation: invitation.publicKey, role, uses })
      putTrust(docs, signed)
      return { secret: invitation.secret, at: signed.record.stamp }
    },
    settled: () => running,
  }
}
