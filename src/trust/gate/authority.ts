import type { Authority, TrustRole } from '../../domain/trust'
import type { SpaceMap } from '../../store/space-docs'
import { entryOf } from './parts'

// Who may write what (the trust verdict): kept on disk, so a phone shows its stored
// records at once at the next start, and compared with the one before when it
// changes, so only what the change touches is read again.

export const authorityJson = (a: Authority) => JSON.stringify({ roles: [...a.roles], people: [...a.people], removed: [...a.removed], since: [...(a.since ?? [])] })

export function authorityFrom(text: string | null): Authority | null {
  if (!text) return null
  try {
    const parsed = JSON.parse(text) as { roles: [string, TrustRole][]; people: [string, string][]; removed: [string, { role: TrustRole | null; at: string }][]; since?: [string, string][] }
    return { roles: new Map(parsed.roles), people: new Map(parsed.people), removed: new Map(parsed.removed), since: new Map(parsed.since ?? []) }
  } catch {
    return null
  }
}

/** Records refused because their author had no role yet: read again when it gets one. */
export function makeWaiting(options: {
  /** Tells the screens these keys read differently now. */
  recheck: (map: SpaceMap, keys: Iterable<string>) => void
  /** Tells the screens every key reads differently now. */
  recheckAll: () => void
}) {
  const waiting = new Map<string, Map<SpaceMap, Set<string>>>()
  return {
    add: (author: string, map: SpaceMap, key: string) => entryOf(entryOf(waiting, author, () => new Map()), map, () => new Set()).add(key),
    /** Reads again what a new authority changes. */
    changed(before: Authority, next: Authority) {
      const same = (key: string) =>
        before.roles.get(key) === next.roles.get(key) &&
        before.people.get(key) === next.people.get(key) &&
        before.removed.get(key)?.at === next.removed.get(key)?.at
      const authors = new Set([...before.roles.keys(), ...before.people.keys(), ...before.removed.keys()])
      // An author whose rights changed: everything is read again (rare: a grant or a removal).
      if ([...authors].some((key) => !same(key))) return options.recheckAll()
      // A newcomer: only the records that waited for it.
      for (const key of [...next.roles.keys(), ...next.people.keys()]) {
        if (authors.has(key)) continue
        waiting.get(key)?.forEach((keySet, map) => options.recheck(map, keySet))
        waiting.delete(key)
      }
    },
  }
}
