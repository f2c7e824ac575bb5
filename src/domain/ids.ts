import * as v from 'valibot'

// Random ids: 20 characters from [0-9a-z] carry ~103 bits, so devices that never
// talk to each other still never pick the same id.
const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz'

export function newId(length = 20): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length))
  let id = ''
  for (const b of bytes) id += ALPHABET[b % 36]
  return id
}

/** A long random secret for a space: 32 bytes, base64url. */
export function newSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32))
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** The id of a dated record (a shift, an activity, a delivery round): its month, then a random id. */
export const datedId = (day: string): string => `${day.slice(0, 7)}_${newId()}`

/** A record's id in its schema (what `newId` and `datedId` make, or a key made from one). */
export const IdSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(80))
