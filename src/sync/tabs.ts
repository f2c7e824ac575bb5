import * as Y from 'yjs'
import type { SpaceDocs } from '../store/space-docs'
import { isDocName } from '../store/space-docs'

// Tabs of one device in step, with no network. Two tabs (the installed app and a
// browser tab, say) share IndexedDB, but each reads a doc only when it opens it, so a
// change made in one showed in the other only after a reload; offline, never. Each tab
// tells the others on a BroadcastChannel what this device wrote, once it is signed and
// on disk: only those updates, never a whole doc. A tab that has the doc open takes
// them in, and its screens, its saving mark and its glance follow; a doc it has not
// opened is read from the shared disk when it is.

/** Updates taken from another tab of this device: not told back to the tabs. */
export const FROM_TAB = 'tab'

interface TabMessage {
  name: string
  update: Uint8Array
}

const isTabMessage = (data: unknown): data is TabMessage =>
  typeof data === 'object' && data !== null && typeof (data as TabMessage).name === 'string' && isDocName((data as TabMessage).name) && (data as TabMessage).update instanceof Uint8Array

/**
 * Keeps the open docs of one space in step with the same space in other tabs. `store`
 * names the space on this device (sync/persistence.ts storeOf); `settled` resolves once
 * what this device wrote so far is signed and on disk; `loaded`, once a doc has read
 * what was stored. Returns the stop.
 */
export function keepTabsInStep(store: string, docs: SpaceDocs, settled: () => Promise<void>, loaded: (name: string) => Promise<void>): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => {}
  const channel = new BroadcastChannel(`neighbours.tabs.${store}`)
  // This tab's own updates per doc, sent together once they are signed and on disk.
  const waiting = new Map<string, Uint8Array[]>()
  let sending: Promise<void> | null = null
  const send = () => {
    sending ??= settled()
      .then(() => {
        const batch = [...waiting]
        waiting.clear()
        for (const [name, updates] of batch) channel.postMessage({ name, update: Y.mergeUpdates(updates) } satisfies TabMessage)
      })
      .catch(() => undefined) // not on disk: told with the next write that is
      .finally(() => {
        sending = null
        if (waiting.size > 0) send()
      })
  }
  const onUpdate = (name: string) => (update: Uint8Array, _origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) => {
    // Only what this device wrote (its own transactions): what is read from disk, or
    // taken from a peer, a file or another tab, comes in as an applied update.
    if (!transaction.local) return
    waiting.set(name, [...(waiting.get(name) ?? []), update])
    send()
  }
  // Listened to once loaded: with an update listener while a doc loads, Yjs would encode
  // all it read from disk once more (a month's doc, over a second on a cheap phone).
  let stopped = false
  const stopOpen = docs.onOpen((name, doc) => void loaded(name).then(() => stopped || doc.on('update', onUpdate(name))))
  channel.onmessage = (event: MessageEvent<unknown>) => {
    if (!isTabMessage(event.data)) return
    const doc = docs.get(event.data.name)
    if (doc) Y.applyUpdate(doc, event.data.update, FROM_TAB)
  }
  return () => {
    stopped = true
    stopOpen()
    channel.close()
  }
}
