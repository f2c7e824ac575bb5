import * as v from 'valibot'
import { PrivateNoteSchema, PrivateWordsSchema, type Concern, type ConcernEvent, type PrivateNote, type PrivateWords, type SealedConcern } from '../domain/concerns'
import type { DropboxKey } from '../domain/canteen'
import { fromBase64Url, openSealed, seal, toBase64Url, type DeviceKeys } from './keys'

// Private concerns: what, where and whose are sealed under a key of the concern's own
// (AES-GCM, bound to its id), and that key is sealed to staff's drop box (which every
// staff device opens from the staff space) and to the reporter's device. Staff's notes
// on it go under the same key, so the reporter reads the answer and nobody else does.

const encoder = new TextEncoder()
const decoder = new TextDecoder()
const aes = (raw: Uint8Array<ArrayBuffer>, usage: KeyUsage) => crypto.subtle.importKey('raw', raw, 'AES-GCM', false, [usage])
const KeyPayload = v.object({ id: v.string(), k: v.string() })

async function boxUp(key: Uint8Array<ArrayBuffer>, bound: string, value: unknown): Promise<{ iv: string; box: string }> {
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const box = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(bound) }, await aes(key, 'encrypt'), encoder.encode(JSON.stringify(value))))
  return { iv: toBase64Url(iv), box: toBase64Url(box) }
}

async function unbox<T>(key: Uint8Array<ArrayBuffer>, bound: string, sealed: { iv: string; box: string }, schema: v.GenericSchema<unknown, T>): Promise<T | null> {
  try {
    const bytes = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64Url(sealed.iv), additionalData: encoder.encode(bound) }, await aes(key, 'decrypt'), fromBase64Url(sealed.box))
    const parsed = v.safeParse(schema, JSON.parse(decoder.decode(bytes)))
    return parsed.success ? parsed.output : null
  } catch {
    return null
  }
}

/** Seals a concern's words for staff (the drop box's public key) and the reporter's devices (their key-agreement keys). */
export async function sealConcern(id: string, words: PrivateWords, dropbox: string, own: readonly string[]): Promise<SealedConcern> {
  const key = crypto.getRandomValues(new Uint8Array(32))
  const payload = encoder.encode(JSON.stringify({ id, k: toBase64Url(key) }))
  const mine: SealedConcern['own'] = {}
  for (const to of own) mine[to] = await seal(to, payload)
  return { staff: { to: dropbox, ...(await seal(dropbox, payload)) }, own: mine, ...(await boxUp(key, id, words)) }
}

/** What opens private concerns on this device: its own keys, and on staff devices the drop box's private halves. */
export interface PrivateKeys {
  device: DeviceKeys | null
  dropbox: readonly DropboxKey[]
}

/** The concern's own key, if this device may hold it; null otherwise (or if it names another concern). */
export async function concernKey(concern: Pick<Concern, 'id' | 'sealed'>, keys: PrivateKeys): Promise<Uint8Array<ArrayBuffer> | null> {
  const sealed = concern.sealed
  if (!sealed) return null
  const tries: [DeviceKeys, SealedConcern['staff']][] = []
  const mine = keys.device && sealed.own[keys.device.agreementKey]
  if (keys.device && mine) tries.push([keys.device, { to: '', ...mine }])
  const box = keys.dropbox.find((k) => k.id === sealed.staff.to)
  if (box) tries.push([{ agreement: { privateKey: fromBase64Url(box.secret) } } as DeviceKeys, sealed.staff])
  for (const [device, sealedKey] of tries) {
    const opened = await openSealed(device, sealedKey)
    if (!opened) continue
    try {
      const parsed = v.safeParse(KeyPayload, JSON.parse(decoder.decode(opened)))
      if (parsed.success && parsed.output.id === concern.id) return fromBase64Url(parsed.output.k)
    } catch {
      // not ours: try the next
    }
  }
  return null
}

export const openWords = (key: Uint8Array<ArrayBuffer>, concern: Pick<Concern, 'id' | 'sealed'>): Promise<PrivateWords | null> =>
  concern.sealed ? unbox(key, concern.id, concern.sealed, PrivateWordsSchema) : Promise.resolve(null)

/** A step's note, office and assignee on a private concern, bound to the step's own key. */
export const sealNote = (key: Uint8Array<ArrayBuffer>, eventId: string, note: PrivateNote) => boxUp(key, eventId, note)

export const openNote = (key: Uint8Array<ArrayBuffer>, event: Pick<ConcernEvent, 'id' | 'sealed'>): Promise<PrivateNote | null> =>
  event.sealed ? unbox(key, event.id, event.sealed, PrivateNoteSchema) : Promise.resolve(null)
