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

/**
 * The id of a record one person writes and whose first stamp others are measured
 * against (a help request, a concern): `<person>.<wall time and counter of its stamp>.<random>`.
 * Its key then says when it began, so a device that never saw the first version can
 * still refuse one re-dated later (the schema checks the two agree).
 */
export const ownedId = (person: string, stamp: string): string => `${person}.${stamp.slice(0, 17)}.${newId(8)}`

/** Whether a record's first stamp is the one its id was made with (ids made before `ownedId` carry none). */
export function stampAgreesWithId(id: string, stamp: string): boolean {
  const parts = id.split('.')
  return parts.length !== 3 || stamp.startsWith(`${parts[1]}-`) || stamp.slice(0, 17) === parts[1]
}
