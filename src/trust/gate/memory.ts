import * as Y from 'yjs'
import { fromBase64, toBase64 } from 'lib0/buffer'
import { idText } from './parts'
import { docNameOf } from '../../store/space-docs'

// The verdict cache. A Yjs item never changes, so whether its signature holds is
// decided once per item and kept: per doc, on disk, as a Yjs id set (ranges per
// writer) and the few ids that failed. A start then checks only what is new. (An
// item id names one content on this device forever; the cache is forgotten with the
// doc's data, so an id seen again after that is checked again.)

/** Where checks and the last authority are kept (localStorage in the app). */
export interface CheckMemory {
  read(name: string): string | null
  write(name: string, value: string): void
}

const PREFIX = 'neighbours.'

export const localMemory: CheckMemory = {
  read: (name) => localStorage.getItem(`${PREFIX}${name}`),
  write: (name, value) => {
    try {
      localStorage.setItem(`${PREFIX}${name}`, value)
    } catch {
      // A full storage only costs checking some signatures again at the next start.
    }
  },
}

/** What was checked of one doc, kept for another store's copy of it (the same items, so the same verdicts). */
export function copyChecks(fromDoc: string, toDoc: string, memory: CheckMemory = localMemory): void {
  const saved = memory.read(`checked.${fromDoc}`)
  if (saved) memory.write(`checked.${toDoc}`, saved)
}

/**
 * Forgets what was checked of a space's docs (or only its months'), with their data:
 * an item id is one content only while the doc that holds it is kept, so items seen
 * again after are checked again.
 */
export function forgetChecks(store: string, { keepStanding = false } = {}): void {
  if (typeof localStorage === 'undefined') return
  const own = `${PREFIX}checked.${store}`
  const names = Array.from({ length: localStorage.length }, (_, i) => localStorage.key(i) ?? '')
  for (const name of names) if ((name === own && !keepStanding) || name.startsWith(`${own}.`)) localStorage.removeItem(name)
}

interface DocChecks {
  /** The doc's name in its space (STANDING or a month): where its checks are kept. */
  name: string
  checked: ReturnType<typeof Y.createDeleteSet>
  bad: Set<string>
  /** Checked this session, not yet merged into `checked`. */
  fresh: Map<string, { id: Y.ID; good: boolean }>
}

/** Which items of one space's docs were checked, and how it went; `docRoom` names each doc's entry on disk. */
export function makeCheckedItems(memory: CheckMemory, docRoom: (name: string) => string) {
  const checks = new Map<Y.Doc, DocChecks>()
  const of = (doc: Y.Doc, name: string): DocChecks => {
    let found = checks.get(doc)
    if (found) return found
    const saved = memory.read(`checked.${docRoom(name)}`)
    let checked = Y.createDeleteSet()
    let bad = new Set<string>()
    if (saved) {
      try {
        const { ds, bad: badList } = JSON.parse(saved) as { ds: string; bad: string[] }
        checked = Y.decodeSnapshot(fromBase64(ds)).ds
        bad = new Set(badList)
      } catch {
        // Unreadable: everything is checked again.
      }
    }
    checks.set(doc, (found = { name, checked, bad, fresh: new Map() }))
    return found
  }

  /** Folds this session's checks (and every deleted item, which is never read again) into what is kept on disk. */
  const save = () => {
    clearTimeout(saving)
    saving = undefined
    for (const [doc, docChecks] of checks) {
      if (docChecks.fresh.size === 0) continue
      const fresh = Y.createDeleteSet()
      for (const { id, good } of docChecks.fresh.values()) {
        fresh.clients.set(id.client, [...(fresh.clients.get(id.client) ?? []), { clock: id.clock, len: 1 } as never])
        if (!good) docChecks.bad.add(idText(id))
      }
      docChecks.checked = Y.mergeDeleteSets([docChecks.checked, fresh, Y.createDeleteSetFromStructStore(doc.store)])
      docChecks.fresh.clear()
      const ds = toBase64(Y.encodeSnapshot(Y.createSnapshot(docChecks.checked, new Map())))
      memory.write(`checked.${docRoom(docChecks.name)}`, JSON.stringify({ ds, bad: [...docChecks.bad] }))
    }
  }
  let saving: ReturnType<typeof setTimeout> | undefined
  // A phone closed within the 2 s before a save keeps its checks too.
  const onHide = () => saving !== undefined && save()
  if (typeof window !== 'undefined') window.addEventListener('pagehide', onHide)

  return {
    /** Whether the item (stored under `key`) had its signature checked and held; undefined if it was never checked. */
    known(doc: Y.Doc, key: string, item: Y.Item): boolean | undefined {
      // Every stored record passes here at each start: the common case (checked before,
      // nothing failed) makes no string.
      const docChecks = checks.get(doc) ?? of(doc, docNameOf(key))
      if (docChecks.fresh.size === 0 && docChecks.bad.size === 0 && Y.isDeleted(docChecks.checked, item.id)) return true
      const id = idText(item.id)
      const fresh = docChecks.fresh.get(id)
      if (fresh) return fresh.good
      if (Y.isDeleted(docChecks.checked, item.id)) return !docChecks.bad.has(id)
      return undefined
    },
    note(doc: Y.Doc, docName: string, id: Y.ID, good: boolean) {
      of(doc, docName).fresh.set(idText(id), { id, good })
    },
    /** Kept on disk a moment after the last check, not at each one. */
    remember() {
      saving ??= setTimeout(save, 2_000)
    },
    close() {
      onHide()
      if (typeof window !== 'undefined') window.removeEventListener('pagehide', onHide)
    },
  }
}
export type CheckedItems = ReturnType<typeof makeCheckedItems>
