import { COLLECTIONS, COLLECTION_NAMES, collectionsIn, type CollectionName } from '../domain/collections'
import type { SpaceDocs, SpaceMap } from './space-docs'

// How each space is laid out: one map per collection, each spread over the space's
// docs by month (space-docs.ts). The collections are declared in domain/collections.ts;
// this file only gives each space its maps by name.

type In<S extends 'public' | 'staff'> = { [N in CollectionName]: (typeof COLLECTIONS)[N]['space'] extends S ? N : never }[CollectionName]
export type PublicCollection = In<'public'>
export type StaffCollection = In<'staff'>

const PUBLIC = collectionsIn('public') as PublicCollection[]
const STAFF = collectionsIn('staff') as StaffCollection[]

function mapsOf<N extends CollectionName>(docs: SpaceDocs, names: readonly N[]): { readonly [K in N]: SpaceMap } {
  const maps = {} as Record<N, SpaceMap>
  for (const name of names) maps[name] = docs.getMap(name)
  return maps
}

/** The public space's maps: menus, shifts, activities, mutual aid, and the signed trust records. */
export const publicSpace = (docs: SpaceDocs) => mapsOf(docs, PUBLIC)

/** The staff space's maps: personal data only staff devices hold (its own docs, rooms and secret). */
export const staffSpace = (docs: SpaceDocs) => mapsOf(docs, STAFF)

/** Every collection either space holds: a peer's update that makes any other top-level type is refused (sync/limits.ts). */
export const COLLECTION_SET: ReadonlySet<string> = new Set(COLLECTION_NAMES)
