import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { isDocNameNear } from '../store/space-docs'

// A community's data as a file, for devices that never meet: passed on a USB stick
// or forwarded in a chat. Each space's docs (its standing doc and every month this
// device holds) are encrypted with that space's secret, so the file reveals nothing
// to whoever finds it, and a device opens only the spaces it holds (a resident never
// reads the staff part of a staff member's file). A small clear header names the
// community, so a wrong file is refused before anything is decrypted. Loading a file
// is applying Yjs updates: safe to repeat, and it merges with what is there.
//
//   "neighbours-file"  version  header (JSON)  section count
//   per section:  kind  room  iv  AES-GCM(doc count, per doc: name, update)
// The header, kind and room are the cipher's additional data: changing them breaks it.

const MAGIC = 'neighbours-file'
const VERSION = 1
/**
 * What a file may hold: a community's whole year is some 50 MB, and sync keeps months
 * three years back and two ahead, so a file past these is no file of ours (each doc
 * name becomes a database of its own on the phone that loads it).
 */
export const FILE_LIMITS = { bytes: 200 * 1024 * 1024, headerChars: 2_000, nameChars: 60, sections: 2, docsPerSection: 62 }
const MAGIC_BYTES = (() => {
  const out = encoding.createEncoder()
  encoding.writeVarString(out, MAGIC)
  return encoding.toUint8Array(out)
})()

export interface FileHeader {
  community: string
  name: string
  /** When the file was made (ISO instant); shown, never trusted. */
  made: string
}

export interface FileSpace {
  kind: 'public' | 'staff'
  room: string
  secret: string
  /** Encoded state of each doc, by doc name ('standing' or a month). */
  docs: Map<string, Uint8Array>
}

export type FileProblem = 'file.notOurs' | 'file.newer' | 'file.otherCommunity' | 'file.damaged' | 'file.nothingForUs' | 'file.tooLarge'

export type OpenedFile =
  | { ok: true; header: FileHeader; spaces: FileSpace[] }
  | { ok: false; problem: FileProblem; header?: FileHeader }

async function fileKey(secret: string, room: string): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), 'HKDF', false, ['deriveKey'])
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new TextEncoder().encode(room), info: new TextEncoder().encode(`${MAGIC} ${VERSION}`) },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  )
}

const boundTo = (headerJson: string, kind: string, room: string) => new TextEncoder().encode(`${headerJson}\n${kind}\n${room}`)

export async function sealFile(header: FileHeader, spaces: FileSpace[]): Promise<Uint8Array<ArrayBuffer>> {
  const headerJson = JSON.stringify(header)
  const out = encoding.createEncoder()
  encoding.writeUint8Array(out, MAGIC_BYTES)
  encoding.writeVarUint(out, VERSION)
  encoding.writeVarString(out, headerJson)
  encoding.writeVarUint(out, spaces.length)
  for (const space of spaces) {
    const plain = encoding.createEncoder()
    encoding.writeVarUint(plain, space.docs.size)
    for (const [name, update] of space.docs) {
      encoding.writeVarString(plain, name)
      encoding.writeVarUint8Array(plain, update)
    }
    const iv = crypto.getRandomValues(new Uint8Array(12))
    const sealed = await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: boundTo(headerJson, space.kind, space.room) },
      await fileKey(space.secret, space.room),
      encoding.toUint8Array(plain),
    )
    encoding.writeVarString(out, space.kind)
    encoding.writeVarString(out, space.room)
    encoding.writeVarUint8Array(out, iv)
    encoding.writeVarUint8Array(out, new Uint8Array(sealed))
  }
  return encoding.toUint8Array(out) as Uint8Array<ArrayBuffer> // lib0 builds it on plain ArrayBuffers
}

/**
 * Reads a file for this community: every part this device holds a secret for is
 * decrypted and checked whole before anything is returned, so a bad file changes nothing.
 */
export async function openFile(bytes: Uint8Array, community: string, held: Omit<FileSpace, 'docs'>[]): Promise<OpenedFile> {
  let header: FileHeader
  let sections: { kind: string; room: string; iv: Uint8Array; sealed: Uint8Array }[]
  let headerJson: string
  if (!bytes.subarray(0, MAGIC_BYTES.length).every((byte, i) => byte === MAGIC_BYTES[i])) return { ok: false, problem: 'file.notOurs' }
  if (bytes.length > FILE_LIMITS.bytes) return { ok: false, problem: 'file.tooLarge' }
  try {
    const input = decoding.createDecoder(bytes.subarray(MAGIC_BYTES.length))
    if (decoding.readVarUint(input) > VERSION) return { ok: false, problem: 'file.newer' }
    headerJson = decoding.readVarString(input)
    if (headerJson.length > FILE_LIMITS.headerChars) return { ok: false, problem: 'file.damaged' }
    header = JSON.parse(headerJson) as FileHeader
    if (typeof header.community !== 'string' || typeof header.name !== 'string' || header.name.length > FILE_LIMITS.nameChars) return { ok: false, problem: 'file.damaged' }
    if (header.community !== community) return { ok: false, problem: 'file.otherCommunity', header }
    const count = decoding.readVarUint(input)
    if (count > FILE_LIMITS.sections) return { ok: false, problem: 'file.damaged', header }
    sections = Array.from({ length: count }, () => ({
      kind: decoding.readVarString(input),
      room: decoding.readVarString(input),
      iv: decoding.readVarUint8Array(input),
      sealed: decoding.readVarUint8Array(input),
    }))
  } catch {
    // Not even the clear part reads: cut short, or not one of ours.
    return { ok: false, problem: 'file.damaged' }
  }

  const spaces: FileSpace[] = []
  for (const section of sections) {
    const mine = held.find((space) => space.room === section.room && space.kind === section.kind)
    if (!mine) continue // a space this device does not hold (the staff part, for a resident)
    try {
      const plain = await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: new Uint8Array(section.iv), additionalData: boundTo(headerJson, section.kind, section.room) },
        await fileKey(mine.secret, mine.room),
        new Uint8Array(section.sealed),
      )
      const input = decoding.createDecoder(new Uint8Array(plain))
      const docs = new Map<string, Uint8Array>()
      const count = decoding.readVarUint(input)
      if (count > FILE_LIMITS.docsPerSection) throw new Error(`${count} docs`)
      for (let left = count; left > 0; left--) {
        const name = decoding.readVarString(input)
        // The same rule as sync: the standing doc, or a month within the window around today.
        if (!isDocNameNear(name)) throw new Error(`not a doc name sync keeps: ${name}`)
        const update = decoding.readVarUint8Array(input)
        Y.decodeUpdate(update) // throws on anything that is not a Yjs update
        docs.set(name, update)
      }
      spaces.push({ ...mine, docs })
    } catch {
      return { ok: false, problem: 'file.damaged', header }
    }
  }
  if (spaces.length === 0) return { ok: false, problem: 'file.nothingForUs', header }
  return { ok: true, header, spaces }
}
