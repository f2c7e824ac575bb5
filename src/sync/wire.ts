import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'

// Replication's messages as bytes (replication.ts says what each means). Every message
// begins with its protocol version, so two builds can tell each other apart: builds
// from before versions began start with the message's type (0–2) and are read as
// version 0, which is the same messages without the version. A device answers each
// peer in the version it heard from that peer, so a phone that has updated still syncs
// with one that has not.

/** This build's protocol. Raise it when a message changes, and keep reading the ones before. */
export const WIRE_VERSION = 1
/** A version is sent as 16 + n: below that, the first number is an old build's message type. */
const VERSION_BASE = 16

const DIGESTS = 0
const STATE = 1
const DATA = 2

export type WireMessage =
  /** Who this device is, and a digest of every doc it holds (sent when two devices meet). */
  | { type: 'digests'; device: string; label: string; docs: [name: string, digest: string][] }
  /** What this device holds of one doc. */
  | { type: 'state'; name: string; digest: string; stateVector: Uint8Array }
  /** Changes to one doc; `held`: the sender's state vector, when it is known to cover them. */
  | { type: 'data'; name: string; update: Uint8Array; held: Uint8Array | null }

export function encodeMessage(message: WireMessage, version: number = WIRE_VERSION): Uint8Array {
  const encoder = encoding.createEncoder()
  if (version > 0) encoding.writeVarUint(encoder, VERSION_BASE + version)
  switch (message.type) {
    case 'digests':
      encoding.writeVarUint(encoder, DIGESTS)
      encoding.writeVarString(encoder, message.device)
      encoding.writeVarString(encoder, message.label)
      encoding.writeVarUint(encoder, message.docs.length)
      for (const [name, digest] of message.docs) {
        encoding.writeVarString(encoder, name)
        encoding.writeVarString(encoder, digest)
      }
      break
    case 'state':
      encoding.writeVarUint(encoder, STATE)
      encoding.writeVarString(encoder, message.name)
      encoding.writeVarString(encoder, message.digest)
      encoding.writeVarUint8Array(encoder, message.stateVector)
      break
    case 'data':
      encoding.writeVarUint(encoder, DATA)
      encoding.writeVarString(encoder, message.name)
      encoding.writeVarUint8Array(encoder, message.update)
      if (message.held) encoding.writeVarUint8Array(encoder, message.held)
      break
  }
  return encoding.toUint8Array(encoder)
}

/** Reads a message of this build's version or an earlier one; throws on anything else (the caller skips and counts it). */
export function decodeMessage(bytes: Uint8Array): { version: number; message: WireMessage } {
  const decoder = decoding.createDecoder(bytes)
  const first = decoding.readVarUint(decoder)
  const version = first >= VERSION_BASE ? first - VERSION_BASE : 0
  if (version > WIRE_VERSION) throw new Error(`replication message of a newer build (protocol ${version})`)
  const type = first >= VERSION_BASE ? decoding.readVarUint(decoder) : first
  switch (type) {
    case DIGESTS: {
      const device = decoding.readVarString(decoder)
      const label = decoding.readVarString(decoder)
      const count = decoding.readVarUint(decoder)
      const docs: [string, string][] = []
      for (let i = 0; i < count; i++) docs.push([decoding.readVarString(decoder), decoding.readVarString(decoder)])
      return { version, message: { type: 'digests', device, label, docs } }
    }
    case STATE:
      return { version, message: { type: 'state', name: decoding.readVarString(decoder), digest: decoding.readVarString(decoder), stateVector: decoding.readVarUint8Array(decoder) } }
    case DATA: {
      const name = decoding.readVarString(decoder)
      const update = decoding.readVarUint8Array(decoder)
      const held = decoding.hasContent(decoder) ? decoding.readVarUint8Array(decoder) : null
      return { version, message: { type: 'data', name, update, held } }
    }
    default:
      throw new Error('unknown replication message')
  }
}
