import type { Concern, ConcernEvent, PrivateNote, PrivateWords } from '../domain/concerns'
import { readDropbox, readDropboxKeys } from '../store/canteen'
import type { Sealer } from '../store/concerns'
import type { SpaceDocs } from '../store/space-docs'
import type { DeviceKeys } from '../trust/keys'

// Private concerns on this device: sealed to staff's drop box and the reporter's device
// (trust/private.ts, loaded when first used). A concern's key is kept once opened.

export interface PrivateConcerns {
  /** Seals a new private concern's words, and a step's note on one. */
  sealer: Sealer
  /** A private concern's words, where this device may open them (staff, the reporter); null elsewhere. */
  words(concern: Concern): Promise<PrivateWords | null>
  note(concern: Concern, event: ConcernEvent): Promise<PrivateNote | null>
}

const privately = () => import('../trust/private')

export function privateConcerns(pub: SpaceDocs, staff: SpaceDocs | null, keys: Promise<DeviceKeys | null>): PrivateConcerns {
  const concernKeys = new Map<string, Promise<Uint8Array<ArrayBuffer> | null>>()
  const keyOf = (concern: Concern) => {
    let key = concernKeys.get(concern.id)
    if (!key) {
      key = (async () => (await privately()).concernKey(concern, { device: await keys, dropbox: staff ? readDropboxKeys(staff) : [] }))()
      concernKeys.set(concern.id, key)
      // Not opened yet (the drop box's key may still be on its way): asked again next time.
      void key.then((k) => k || concernKeys.delete(concern.id))
    }
    return key
  }
  return {
    sealer: {
      concern: async (id, words) => {
        const [box, own] = [readDropbox(pub), await keys]
        return box && own ? (await privately()).sealConcern(id, words, box.key, [own.agreementKey]) : null
      },
      note: async (concern, eventId, note) => {
        const key = await keyOf(concern)
        return key ? (await privately()).sealNote(key, eventId, note) : null
      },
    },
    words: async (concern) => {
      const key = await keyOf(concern)
      return key ? (await privately()).openWords(key, concern) : null
    },
    note: async (concern, event) => {
      const key = await keyOf(concern)
      return key ? (await privately()).openNote(key, event) : null
    },
  }
}
