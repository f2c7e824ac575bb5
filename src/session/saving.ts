import { createSignal, type Accessor } from 'solid-js'
import type { CollectionName } from '../domain/collections'
import type { DocName } from '../store/space-docs'
import type { OpenSpace } from './space'

// What a command wrote, until it is signed and written to storage: a screen says
// "saved" only after, since a browser killed in between loses the write, or keeps it
// unsigned where a restarted device may not know it as its own.

export interface Saving {
  /** True from a command's write until it is signed and written to storage (milliseconds). */
  saving: Accessor<boolean>
  /** True while a record this device wrote (a new notice, shift, help request …) is not yet signed and on disk. */
  savingRecord(collection: CollectionName, key: string): boolean
}

/** Follows every write in these spaces; `ownSigned` resolves once this device's own writes so far are signed. */
export function trackSaving(spaces: readonly OpenSpace[], ownSigned: () => Promise<unknown>): Saving {
  const [saving, setSaving] = createSignal(false)
  // Each record a command wrote ("collection/key"), counted: a record written again
  // before the first write is on disk stays saving. A signal per record a screen asks
  // about, so a write wakes only its own mark.
  const unsaved = new Map<string, number>()
  const marks = new Map<string, [Accessor<boolean>, (saving: boolean) => void]>()
  const markSaving = (record: string, saving: boolean) => {
    const count = (unsaved.get(record) ?? 0) + (saving ? 1 : -1)
    if (count > 0) unsaved.set(record, count)
    else unsaved.delete(record)
    marks.get(record)?.[1](count > 0)
  }
  const savingRecord = (collection: CollectionName, key: string): boolean => {
    const record = `${collection}/${key}`
    let mark = marks.get(record)
    if (!mark) marks.set(record, (mark = createSignal(unsaved.has(record))))
    return mark[0]()
  }
  let writes = 0
  // The docs written since the last wait began: only they need to reach storage.
  let written: { space: OpenSpace; name: DocName; record: string }[] = []
  const wrote = (space: OpenSpace, name: DocName, record: string) => {
    written.push({ space, name, record })
    markSaving(record, true)
    if (written.length > 1) return // one wait for all of a command's writes
    setSaving(true)
    queueMicrotask(() => {
      const docs = written
      written = []
      const write = ++writes
      void ownSigned()
        .then(() => Promise.all(docs.map(({ space, name }) => space.storage.get(name)?.flushed())))
        .then(() => docs.forEach(({ record }) => markSaving(record, false)))
        .finally(() => write === writes && setSaving(false))
    })
  }
  spaces.forEach((space) => space.docs.onWrite((name, collection, key) => wrote(space, name, `${collection}/${key}`)))
  return { saving, savingRecord }
}
