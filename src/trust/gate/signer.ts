import * as Y from 'yjs'
import { recordBytes, type RecordScope } from '../../domain/trust'
import type { SpaceDocs, SpaceMap } from '../../store/space-docs'
import { signRaw, type DeviceKeys } from '../keys'
import { afterPaint } from '../../store/after-paint'
import { entryOf, hasSignature, itemOf, SIGNING } from './parts'

// Signing what this device writes. What is this device's own is known on the command
// path alone: the very object a command stored (SpaceMap.set hands it to the gate).
// Nothing about a Yjs item proves who wrote it: client ids are copied by anyone, so a
// record that merely bears this device's client id is a peer's. WebCrypto signs
// asynchronously and a command's transaction is not, so each written record is signed
// once the screen has drawn the write, in one transaction for all written together, as
// `sig: { by, s }` (a tap shows at once; "saving" lasts until the signed version is on disk).

export function makeSigner(options: { docs: SpaceDocs; keys: Promise<DeviceKeys | null>; scope: RecordScope }) {
  const { docs, scope } = options
  // The values this device's commands stored this session, and their signed versions:
  // read as they are. (A value decoded from a peer's update is always a new object.)
  const own = new WeakSet<object>()
  const toSign = new Map<SpaceMap, Set<string>>()
  let signing: Promise<void> = Promise.resolve()
  // The next round of signing, waiting for the screen to draw.
  let round: Promise<void> | null = null
  let closed = false

  const signWritten = () => {
    signing = signing.then(async () => {
      const keys = await options.keys
      if (!keys || closed) return
      const batch = [...toSign].flatMap(([map, set]) => [...set].map((key) => ({ map, key })))
      toSign.clear()
      const signed: { shard: Y.Map<unknown>; item: Y.Item; key: string; value: Record<string, unknown> }[] = []
      for (const { map, key } of batch) {
        const shard = map.shardOf(key)
        const item = shard && itemOf(shard, key)
        const raw = shard?.get(key)
        if (!shard || !item || item.deleted || typeof raw !== 'object' || raw === null || !own.has(raw) || hasSignature(raw)) continue
        const content = raw as Record<string, unknown>
        const s = await signRaw(keys.signing.privateKey, recordBytes(scope, map.name, key, content))
        const value = { ...content, sig: { by: keys.publicKey, s } }
        own.add(value)
        signed.push({ shard, item, key, value })
      }
      // A key written again while this was signing is signed in the next round.
      if (signed.length > 0) docs.transact(() => signed.forEach(({ shard, item, key, value }) => itemOf(shard, key) === item && shard.set(key, value)), SIGNING)
    })
    signing = signing.catch((error: unknown) => console.warn('signing failed', error))
  }

  return {
    /** Whether this value is one this device's commands stored (or signed). */
    isOwn: (value: unknown): boolean => typeof value === 'object' && value !== null && own.has(value),
    /** A command stored `value` under `key`: it is this device's own, and signed next if `sign`. */
    written(map: SpaceMap, key: string, value: unknown, sign: boolean) {
      if (typeof value === 'object' && value !== null) own.add(value)
      if (!sign) return
      entryOf(toSign, map, () => new Set<string>()).add(key)
      round ??= new Promise((started) =>
        afterPaint(() => {
          round = null
          signWritten()
          started()
        }, 100),
      )
    },
    /** Resolves once every record written so far is signed. */
    async signed() {
      while (round) await round
      await signing
    },
    close() {
      closed = true
    },
  }
}
