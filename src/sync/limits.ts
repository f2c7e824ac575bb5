import * as Y from 'yjs'
import * as decoding from 'lib0/decoding'

// What one peer can make this device (or a hub) take in. Honest peers send one
// replication message per doc at a time, and a sync answer is the whole difference of
// one doc in one message (replication.ts): a month of a busy community's year is about
// 4 MB encoded, the standing doc a few MB more for each year it holds (the year
// benchmark: 14 docs, 52 MB). Limits sit far above that, so a community ten times
// the benchmark's still passes, and far below what fills a cheap phone's memory.

/** The largest whole data-channel message taken in (64 MiB: over 10× the largest doc a community sends). */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024
/** The largest Yjs update inside one (the message is the update and a doc name and state vector). */
export const MAX_UPDATE_BYTES = MAX_MESSAGE_BYTES - 64 * 1024

/** What replication refused from peers this session (Diagnostics). */
export interface TrafficRefusals {
  /** Messages or updates over the limits above, dropped unread. */
  oversize: number
  /** Updates that would create collections the app never reads, refused whole. */
  unknownCollections: number
}

export const noRefusals = (): TrafficRefusals => ({ oversize: 0, unknownCollections: 0 })

// ---- The top-level types an update names -----------------------------------------
// Yjs names a top-level type (a collection) in every item that has no neighbour to
// inherit its parent from: the first item under each map key. Y.decodeUpdate finds
// them but decodes every record on the way, as long as applying the update takes; this
// walks the update format (v1) skipping contents, several times faster. Anything it
// does not know sends it back to Y.decodeUpdate.

const MAX_DEPTH = 64

function skipString(decoder: decoding.Decoder): void {
  const length = decoding.readVarUint(decoder)
  if (decoder.pos + length > decoder.arr.length) throw new Error('string past the end')
  decoder.pos += length
}

/** Skips one value of lib0's `writeAny` encoding. */
function skipAny(decoder: decoding.Decoder, depth = 0): void {
  if (depth > MAX_DEPTH) throw new Error('too deep')
  switch (decoding.readUint8(decoder)) {
    case 127: // undefined
    case 126: // null
    case 121: // false
    case 120: // true
      return
    case 125:
      decoding.readVarInt(decoder)
      return
    case 124:
      decoder.pos += 4
      return
    case 123:
    case 122:
      decoder.pos += 8
      return
    case 119:
    case 116: // string, bytes: a length and that many bytes
      skipString(decoder)
      return
    case 118: {
      const length = decoding.readVarUint(decoder)
      for (let i = 0; i < length; i++) {
        skipString(decoder)
        skipAny(decoder, depth + 1)
      }
      return
    }
    case 117: {
      const length = decoding.readVarUint(decoder)
      for (let i = 0; i < length; i++) skipAny(decoder, depth + 1)
      return
    }
    default:
      throw new Error('unknown value type')
  }
}

const BIT6 = 32
const BIT7 = 64
const BIT8 = 128
const BITS5 = 31

/** Skips an item's content (Item.js contentRefs, v1 encoding). */
function skipContent(decoder: decoding.Decoder, ref: number): void {
  switch (ref) {
    case 1: // deleted: a length
      decoding.readVarUint(decoder)
      return
    case 2: { // JSON: strings
      const length = decoding.readVarUint(decoder)
      for (let i = 0; i < length; i++) skipString(decoder)
      return
    }
    case 3: // binary
    case 4: // string
    case 5: // embed (JSON text)
      skipString(decoder)
      return
    case 6: // format: key and JSON text
      skipString(decoder)
      skipString(decoder)
      return
    case 7: { // a nested type; XML elements and hooks carry a name
      const typeRef = decoding.readVarUint(decoder)
      if (typeRef === 3 || typeRef === 5) skipString(decoder)
      else if (typeRef > 6) throw new Error('unknown type')
      return
    }
    case 8: { // any
      const length = decoding.readVarUint(decoder)
      for (let i = 0; i < length; i++) skipAny(decoder)
      return
    }
    case 9: // a subdocument: guid and options
      skipString(decoder)
      skipAny(decoder)
      return
    default:
      throw new Error('unknown content')
  }
}

/** The walk itself (tests check it names what Yjs does); throws on what it does not know. */
export function scanNames(update: Uint8Array): Set<string> {
  const names = new Set<string>()
  const decoder = decoding.createDecoder(update)
  const clients = decoding.readVarUint(decoder)
  for (let c = 0; c < clients; c++) {
    const structs = decoding.readVarUint(decoder)
    decoding.readVarUint(decoder) // client
    decoding.readVarUint(decoder) // first clock
    for (let s = 0; s < structs; s++) {
      const info = decoding.readUint8(decoder)
      if (info === 10 || (info & BITS5) === 0) {
        // A skip or a garbage-collected range: a length.
        decoding.readVarUint(decoder)
        continue
      }
      if (info & BIT8) (decoding.readVarUint(decoder), decoding.readVarUint(decoder))
      if (info & BIT7) (decoding.readVarUint(decoder), decoding.readVarUint(decoder))
      if ((info & (BIT7 | BIT8)) === 0) {
        if (decoding.readVarUint(decoder) === 1) names.add(decoding.readVarString(decoder))
        else (decoding.readVarUint(decoder), decoding.readVarUint(decoder))
        if (info & BIT6) skipString(decoder)
      }
      skipContent(decoder, info & BITS5)
    }
  }
  return names
}

/** The names of top-level types an update puts items under directly (a v1 update). Throws if it is not one. */
export function topLevelNames(update: Uint8Array): Set<string> {
  try {
    return scanNames(update)
  } catch {
    // Not what this scanner knows: Yjs's own reader decides (and throws on junk).
    const names = new Set<string>()
    for (const struct of Y.decodeUpdate(update).structs) {
      const parent = (struct as { parent?: unknown }).parent
      if (typeof parent === 'string') names.add(parent)
    }
    return names
  }
}
