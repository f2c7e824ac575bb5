import * as v from 'valibot'
import type { HybridClock } from '../domain/hlc'
import type { Elder, Round } from '../domain/canteen'
import type { Verdict } from '../domain/trust'
import { failed, type Checked } from '../domain/validation'
import { sharedRound, shareIdOf, SharedMarkSchema, SharedRoundSchema, type Share, type SharedMark, type SharedRound, type ShareKey, type ShareReply } from '../domain/shares'
import type { SpaceDocs } from '../store/space-docs'
import type { Person } from '../store/places'
import { endShare, importMark, putReply, putShare, readShareData } from '../store/shares'
import { fromBase64Url, openSealed, seal, toBase64Url, type DeviceKeys } from './keys'

// Sealing a round to its volunteer's devices, and opening what comes back
// (domain/shares.ts). The share's own key is a fresh AES-GCM key; it is sealed to each
// of the volunteer's devices with their key-agreement key (sync/keys.ts), and kept in
// the staff space for the staff devices.

const encoder = new TextEncoder()
const decoder = new TextDecoder()

const aesKey = (raw: Uint8Array<ArrayBuffer>, usage: KeyUsage) => crypto.subtle.importKey('raw', raw, 'AES-GCM', false, [usage])

async function encrypt(raw: Uint8Array<ArrayBuffer>, value: unknown): Promise<{ iv: string; box: string }> {
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const box = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await aesKey(raw, 'encrypt'), encoder.encode(JSON.stringify(value)))
  return { iv: toBase64Url(iv), box: toBase64Url(new Uint8Array(box)) }
}

/** Opens and validates; null if the key is wrong, the box was changed, or what is inside is not what it should be. */
async function decrypt<T>(raw: Uint8Array<ArrayBuffer>, sealed: { iv: string; box: string }, schema: v.GenericSchema<unknown, T>): Promise<T | null> {
  try {
    const bytes = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64Url(sealed.iv) }, await aesKey(raw, 'decrypt'), fromBase64Url(sealed.box))
    const parsed = v.safeParse(schema, JSON.parse(decoder.decode(bytes)))
    return parsed.success ? parsed.output : null
  } catch {
    return null
  }
}

/**
 * Staff: seals a round's stops to the devices of its volunteer, by their signed device
 * records. A volunteer whose phone has no device record yet (it has not joined since
 * device keys came in) cannot be sealed to.
 */
export async function shareRound(pubDocs: SpaceDocs, staffDocs: SpaceDocs, clock: HybridClock, round: Round, elders: ReadonlyMap<string, Elder>, devices: Verdict['devices']): Promise<Checked<Share>> {
  if (!round.volunteerId) return failed('round', 'problem.noVolunteer')
  const theirs = [...devices].filter(([, device]) => device.person === round.volunteerId)
  if (theirs.length === 0) return failed('round', 'problem.noDeviceKey')
  const id = shareIdOf(round.id)
  // Sent again (the stops changed): the same key, so door marks sealed with it still open.
  const kept = readShareData(pubDocs, staffDocs).keys.find((k) => k.id === id)
  const raw = kept ? fromBase64Url(kept.key) : crypto.getRandomValues(new Uint8Array(32))
  const content = await encrypt(raw, sharedRound(round, elders))
  const keys: Share['keys'] = {}
  for (const [deviceKey, device] of theirs) keys[deviceKey] = await seal(device.sealKey, raw)
  const share = putShare(pubDocs, staffDocs, clock, { id, roundId: round.id, personId: round.volunteerId, keys, ...content, until: round.day }, { id, roundId: round.id, key: toBase64Url(raw), until: round.day })
  return { ok: true, value: share }
}

export interface OpenedShare {
  share: Share
  round: SharedRound
  key: Uint8Array<ArrayBuffer>
}

/** The volunteer's device: opens a share sealed to it; null if it is not for this device or does not open. */
export async function openShare(keys: DeviceKeys, share: Share): Promise<OpenedShare | null> {
  const sealed = share.keys[keys.publicKey]
  if (!sealed) return null
  const opened = await openSealed(keys, sealed)
  if (!opened || opened.length !== 32) return null
  const key = new Uint8Array(opened)
  const round = await decrypt(key, share, SharedRoundSchema)
  return round ? { share, round, key } : null
}

/** The volunteer's door mark, sealed with the share's key. */
export async function markSharedDoor(pubDocs: SpaceDocs, clock: HybridClock, opened: OpenedShare, mark: SharedMark & { name: string }, person: Person): Promise<Checked<ShareReply>> {
  if (!opened.round.stops.some((stop) => stop.code === mark.code)) return failed('stop', 'problem.notFound')
  if (mark.result === 'concern' && !mark.note.trim()) return failed('note', 'problem.concernNeedsNote')
  const sealed = await encrypt(opened.key, { ...mark, note: mark.note.trim().slice(0, 300) })
  return { ok: true, value: putReply(pubDocs, clock, opened.share.id, mark.code, person, sealed) }
}

/** Opens one reply with a share's key (the volunteer's own, to show what they marked; staff's, to import it). */
export async function openReply(key: Uint8Array<ArrayBuffer>, reply: ShareReply): Promise<(SharedMark & { name?: string }) | null> {
  return decrypt(key, reply, v.object({ ...SharedMarkSchema.entries, name: v.optional(v.string()) }))
}

/**
 * A staff device: opens every reply it holds a key for into the round's door marks,
 * and deletes shares past their day with their keys. Idempotent: any staff device may
 * run it, and running it twice writes nothing new.
 */
export async function settleShares(pubDocs: SpaceDocs, staffDocs: SpaceDocs, today: string): Promise<{ imported: number; ended: number }> {
  const { shares, replies, keys } = readShareData(pubDocs, staffDocs)
  const byId = new Map<string, ShareKey>(keys.map((k) => [k.id, k]))
  let imported = 0
  for (const reply of replies) {
    const key = byId.get(reply.shareId)
    if (!key) continue
    const mark = await openReply(fromBase64Url(key.key), reply)
    if (mark && importMark(staffDocs, key.roundId, reply, mark, mark.name ?? '')) imported++
  }
  let ended = 0
  for (const id of new Set([...shares, ...keys].filter((s) => s.until < today).map((s) => s.id))) {
    endShare(pubDocs, staffDocs, id)
    ended++
  }
  return { imported, ended }
}
